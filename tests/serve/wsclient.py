"""A scripted student for `journey serve`: joins over HTTP, plays over the
websocket, and reads the screen through a terminal emulator (pyte), as a
browser's xterm.js would. Used by the end-to-end tests and the benchmark."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

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
        self.messages: list[list[object]] = []

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
            elif message.type == aiohttp.WSMsgType.TEXT:  # the app's requests: open a URL, a download
                self.messages.append(json.loads(message.data))
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

    async def download(self, timeout: float = 30.0) -> str:
        """The file the app delivered (textual-serve's download), as the browser fetches it."""
        deadline = time.monotonic() + timeout
        while not any(m[0] == "deliver_file_start" for m in self.messages):
            assert time.monotonic() < deadline, "no download was offered"
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), 1.0)
        key = next(m[1] for m in self.messages if m[0] == "deliver_file_start")
        async with self.http.get(f"{self.base}/download/{key}") as response:
            assert response.status == 200, response.status
            return await response.text()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await self.reader
        await self.http.close()


class Served:
    """`journey serve ARGS` running in the background, on a free port."""

    def __init__(self, exe: str, *args: str, home: Path, scenario: str | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        env["JOURNEY_HOME"] = str(home)
        self.home = home
        command = [exe, "serve", *([scenario] if scenario else []), "--port", "0", *args]
        self.proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.wait_line("Press Ctrl-C")
        text = "\n".join(self.output)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", text)
        assert found, text
        self.base = found.group(0).rstrip("/")
        code = re.search(r"Join code: (\S+)", text)
        self.code = code.group(1) if code else None

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("\0")  # the end

    def wait_line(self, needle: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                said = "\n".join(self.output)
                raise AssertionError(f"journey serve never said {needle!r}; it said:\n{said}") from None
            if line == "\0":
                raise AssertionError(
                    f"journey serve stopped before saying {needle!r}:\n" + "\n".join(self.output)
                )
            self.output.append(line)
            if needle in line:
                return line

    def stop(self, timeout: float = 30.0) -> int:
        """Ctrl-C, as a teacher would press it; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        while True:
            try:
                line = self.lines.get(timeout=5)
            except queue.Empty:
                break
            if line == "\0":
                break
            self.output.append(line)
        return code
