"""Shared helpers for the app tests."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.app import App

from journey.app import JourneyApp
from journey.play import Session, open_session

EXAMPLE = Path("/work/shared/examples/winter-pass.yaml")
HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
WINTER = FIXTURES / "winter-pass.yaml" if (FIXTURES / "winter-pass.yaml").exists() else EXAMPLE


def screen_text(app: App[object]) -> str:
    """What the terminal shows, as plain text (for asserting on words)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text()


def session(path: Path = WINTER) -> Session:
    return open_session(str(path), resume=False)


def make_app(path: Path = WINTER, **kwargs: object) -> JourneyApp:
    options: dict[str, object] = {"direct": True, "seed": 1, "blink": False}
    options.update(kwargs)
    return JourneyApp(session(path), **options)  # type: ignore[arg-type]
