"""A scripted student for `journey serve`: joins over HTTP, plays over the
websocket, and reads the screen through a terminal emulator (pyte), as a
browser's xterm.js would. Used by the end-to-end tests and the benchmark."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Callable

import aiohttp
import pyte


class Student:
    def __init__(self, base: str, name: str, width: int = 100, height: int = 32) -> None:
        self.base, self.name = base.rstrip("/"), name
        self.width, self.height = width, height
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.changed = asyncio.Event()
        self.reader: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()
        self.last_bytes = 0.0

    async def join(self, code: str | None) -> tuple[int, str]:
        """Post the join form; the status and page of the answer."""
        form = {"name": self.name, **({"code": code} if code is not None else {})}
        async with self.http.post(f"{self.base}/join", data=form, allow_redirects=True) as response:
            return response.status, await response.text()

    async def connect(self) -> None:
        url = self.base.replace("http", "ws", 1) + f"/ws?width={self.width}&height={self.height}"
        self.ws = await self.http.ws_connect(url)
        self.closed.clear()
        self.reader = asyncio.create_task(self._read())
        await self.send(["resize", {"width": self.width, "height": self.height}])

    async def _read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(message.data)
                self.last_bytes = time.perf_counter()
                self.changed.set()
        self.closed.set()

    async def send(self, envelope: list[object]) -> None:
        assert self.ws is not None
        await self.ws.send_str(json.dumps(envelope))

    async def press(self, keys: str) -> None:
        await self.send(["stdin", keys])

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    async def wait_for(self, what: str | Callable[[str], bool], timeout: float = 30.0) -> str:
        """Wait until the screen shows `what` (a regular expression, or a test)."""
        test = what if callable(what) else (lambda text: re.search(what, text) is not None)
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if test(screen):
                return screen
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"the screen never showed {what!r}; it shows:\n{screen}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 1.0))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await self.reader
        await self.http.close()
