"""End to end: the installed `journey` in a real terminal under tmux, from the
content notes to an ending of winter-pass.yaml. Skipped when tmux is missing
(CI installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FIXTURES

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
TIMEOUT = 30.0  # seconds for any one screen to appear; Textual starts in about one


def journey_command() -> list[str]:
    """The installed console script when there is one, else the module."""
    script = Path(sys.executable).parent / "journey"
    return [str(script)] if script.exists() else [sys.executable, "-m", "journey"]


class Terminal:
    def __init__(self, name: str, socket: str) -> None:
        self.name, self.socket = name, socket

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=10, check=True
        )
        return done.stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str) -> str:
        """Poll the pane until `text` shows; fail after TIMEOUT with what it shows."""
        deadline = time.monotonic() + TIMEOUT
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)  # polling a separate process: there is no event to await
        raise AssertionError(f"{text!r} did not appear within {TIMEOUT}s; the pane shows:\n{shown}")


@pytest.fixture
def terminal(journey_home: Path) -> Iterator[Terminal]:
    yield from open_terminal(journey_home, 100, 30)


@pytest.fixture
def small_terminal(journey_home: Path) -> Iterator[Terminal]:
    """The smallest supported terminal: 40 columns, 12 rows."""
    yield from open_terminal(journey_home, 40, 12)


def open_terminal(journey_home: Path, width: int, height: int) -> Iterator[Terminal]:
    socket = f"journey-test-{uuid.uuid4().hex[:8]}"
    term = Terminal("game", socket)
    env = {
        "JOURNEY_HOME": str(journey_home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        # Textual reads these before the terminal's own size; pytest may have set them
        "COLUMNS": str(width),
        "LINES": str(height),
    }
    command = " ".join(
        [
            *journey_command(),
            "play",
            str(FIXTURES / "winter-pass.yaml"),
            "--seed",
            "1",
            "--persona",
            "student",
        ]
    )
    exports = " ".join(f"{k}={v!r}" for k, v in env.items())
    # `; sleep` keeps the pane after the game exits, so its last screen can be read
    term.tmux(
        "new-session",
        "-d",
        "-s",
        "game",
        "-x",
        str(width),
        "-y",
        str(height),
        f"env {exports} {command}; echo EXIT=$?; sleep 30",
    )
    try:
        yield term
    finally:
        subprocess.run(
            [TMUX or "tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10, check=False
        )


def test_play_from_the_notes_to_an_ending(terminal: Terminal, journey_home: Path) -> None:
    terminal.wait_for("Before you begin")
    terminal.keys("Enter")
    terminal.wait_for("The bus leaves you in the square")
    terminal.keys("3")
    terminal.wait_for("The path climbs through pines")
    terminal.keys("1")  # seed 1: the roll leads to getting lost
    terminal.wait_for("The boot prints end in fresh snow")
    terminal.keys("1")
    shown = terminal.wait_for("The end: Carried down by the rescue team")
    assert "Your route" in shown
    assert (journey_home / "saves" / "winter-pass.json").is_file()
    terminal.keys("q")
    terminal.wait_for("Quit the game?")
    terminal.keys("y")
    terminal.wait_for("EXIT=0")


def test_content_notes_are_on_screen_before_begin_at_40x12(small_terminal: Terminal) -> None:
    """The notes screen opens at its top, notes first: nothing is skipped unseen."""
    shown = small_terminal.wait_for("Begin")
    assert "Before you begin" in shown
    assert "cold injury" in shown and "getting lost" in shown, shown


def test_ctrl_c_asks_to_quit(terminal: Terminal) -> None:
    terminal.wait_for("Before you begin")
    terminal.keys("Enter")
    terminal.wait_for("The bus leaves you in the square")
    terminal.keys("C-c")
    terminal.wait_for("Quit the game?")
    terminal.keys("y")
    terminal.wait_for("EXIT=0")
