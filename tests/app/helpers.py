"""Shared helpers for the app tests."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from journey.app import JourneyApp
from journey.launch import Session, open_session

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
WINTER = FIXTURES / "winter-pass.yaml"  # a copy of the format's example, kept in the repository


def screen_text(app: App[object]) -> str:
    """What the terminal shows, as plain text (for asserting on words)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def session(path: Path = WINTER) -> Session:
    return open_session(str(path), resume=False)


def make_app(path: Path = WINTER, **kwargs: object) -> JourneyApp:
    options: dict[str, object] = {"direct": True, "seed": 1, "blink": False}
    options.update(kwargs)
    return JourneyApp(session(path), **options)  # type: ignore[arg-type]


async def settle(pilot: Pilot[object]) -> None:
    """Let queued messages, screen changes and animations finish, and draw
    (Pilot's idle wait asks the app: conftest.py's quiet_waits, quiet.py)."""
    await pilot.pause()


async def until(pilot: Pilot[object], check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Process events until `check()` holds; fail (not hang) after `timeout` s.
    What the app's own work cannot make true (a save written by its thread, a
    timer) is polled every 2 ms, as there is no event for it to await."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            shown = screen_text(pilot.app)
            raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{shown}")
        await pilot.pause()
        if not check():
            await asyncio.sleep(0.002)


async def on_screen(pilot: Pilot[object], kind: type[Screen[object]]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    await settle(pilot)


async def press(pilot: Pilot[object], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


class Frames:
    """The frames the app draws from now on: how many (`count`; set it to 0
    before a key) and, with `look`, what `look(app)` saw on each (`seen`)."""

    def __init__(self, app: App[object], look: Callable[[App[object]], str] | None = None) -> None:
        self.count = 0
        self.seen: list[str] = []
        display = app._display

        def counted(screen: Screen[object], renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if renderable is not None:
                self.count += 1
                if look is not None:
                    self.seen.append(look(app))

        app._display = counted  # type: ignore[method-assign]
