"""One real browser: Debian's headless chromium (driven by Playwright, which
downloads nothing here) joins `journey serve`, plays a few choices, and asks
nothing of any host but the server."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyte
import pytest
from wsclient import Served

CHROMIUM = next(
    (
        p
        for p in (
            os.environ.get("JOURNEY_CHROMIUM"),
            shutil.which("chromium"),
            shutil.which("chromium-browser"),
        )
        if p
    ),
    None,
)
playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def served(tmp_path: Path, journey_exe: str, journey_home: Path, cli: Callable[..., Any]) -> Iterator[Served]:
    path = tmp_path / "route.yaml"
    assert cli("new", str(path)).code == 0
    server = Served(journey_exe, "--class", "Browser", home=journey_home, scenario=str(path))
    yield server
    server.stop()


def choices_recorded(home: Path) -> int:
    db = sqlite3.connect(home / "classes.sqlite3")
    try:
        return int(db.execute("SELECT COUNT(*) FROM choices WHERE undone = 0").fetchone()[0])
    finally:
        db.close()


def wait_until(test: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not test():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)  # polling the server's record from outside: no event to await


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_chromium_plays_and_asks_no_other_host(served: Served) -> None:
    asked: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.on("request", lambda request: asked.append(request.url))
        screen = pyte.Screen(300, 120)  # what the page's terminal got, read as it would show it
        stream = pyte.ByteStream(screen)

        def watch(ws: Any) -> None:
            asked.append(ws.url)
            ws.on("framereceived", lambda data: stream.feed(data) if isinstance(data, bytes) else None)

        def wait_for_screen(text: str) -> None:
            deadline = time.monotonic() + 30
            while not any(text in line for line in screen.display):
                assert time.monotonic() < deadline, f"the page never showed {text!r}"
                page.wait_for_timeout(50)  # lets Playwright deliver the frames

        page.on("websocket", watch)
        page.goto(served.base + "/")
        assert "Join code" in page.content()
        page.fill("#code", served.code or "")
        page.fill("#name", "Dana")
        page.click("button[type=submit]")
        page.wait_for_selector("body.-first-byte", timeout=60_000)  # the game drew its first screen
        page.click("#terminal")
        steps = (
            ("Begin", "Enter"),
            ("Who will you be", "1"),
            ("Walk to the river", "2"),
            ("Wade straight", "2"),
        )
        for shown, key in steps:
            wait_for_screen(shown)
            page.keyboard.press(key)
        wait_for_screen("The end: Back in the town")
        wait_until(lambda: choices_recorded(served.home) == 2)
        browser.close()
    origin = urlsplit(served.base).netloc
    others = [u for u in asked if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != origin]
    assert asked and not others, others
    assert any("/static/fonts/" in u for u in asked)  # the font came from the server itself
