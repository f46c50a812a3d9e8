"""Time to first frame: `journey` (the built-in scenario, no arguments) against a
bare Textual app with one Static, in the same run.

A third app shows what journey's own way of starting is worth: a bare Textual
app (no journey code) that draws the same content notes with the same widgets,
styles, text and footer keys, written the usual way: the notes are a screen
pushed over Textual's default screen, with Textual's Footer and the buttons
composed with the notes. Journey instead makes the notes its default screen,
so they are drawn in Textual's first frame, with a footer whose keys are in
that frame too, and its two buttons come a frame later (the first Button
costs Textual its 45 style rules; see screens/notes.py).

Each is started as a fresh process in a pseudo-terminal of 80x24 (so imports,
loading the scenario and drawing all count, as they do for a player), and timed
from process start until its title is on the terminal, and until its whole
first screen is (the title and the footer's keys: at 80x24 the notes fill
the screen, and their buttons are below them); then it is stopped.

The two measures differ for the bare app: Textual fills a footer in after the
screen's first refresh, so the bare app's first frame shows its text and an
empty footer, and the keys come a frame later. (Its Footer costs the title
nothing: an app with the Static alone showed it at the same time, 239 ms
against 238, median of 12 alternating runs.)
Runs alternate, and the medians and their ratio are printed. Both run with
their bytecode cached, as on a player's machine: PYTHONDONTWRITEBYTECODE is
dropped, or journey's own modules (installed editable, so never compiled by
pip, unlike Textual's) would be compiled from source at every start.

    python benchmarks/app_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

BARE = """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("Bare Textual Hello")
        yield Footer()

Bare().run()
"""
SAME_SCREEN = """
from textual.app import App
from textual.binding import Binding
from textual.containers import Center, Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

class NotesScreen(Screen):
    DEFAULT_CSS = {notes_css!r}
    BINDINGS = [Binding("enter", "begin", "Begin", priority=True), Binding("escape", "back", "Back")]
    AUTO_FOCUS = "#notes"

    def compose(self):
        with VerticalScroll(id="notes"):
            yield Static(Content.from_markup({notes!r}), id="notes-text")
            with Center(), Horizontal(id="buttons"):
                yield Button("Begin (Enter)", id="begin", variant="primary")
                yield Button("Back (Escape)", id="back")
        yield Footer()

class Same(App):
    CSS = {app_css!r}
    BINDINGS = [Binding("question_mark", "help", "Help", key_display="?"), Binding("q", "quit", "Quit")]

    def on_mount(self):
        self.push_screen(NotesScreen())

Same().run()
"""
JOURNEY = "import sys; from journey.cli import main; sys.exit(main([]))"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


FOOTER = b"palette"  # the footer's last key (^p palette), in all three apps


def first_frame(code: str, title: bytes, env: dict[str, str], timeout: float = 30.0) -> tuple[float, float]:
    """Seconds from starting `python -c code` until `title` shows in its
    terminal, and until the footer's keys show too."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    titled = 0.0
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
            shown = ANSI.sub(b"", seen)
            if not titled and title in shown:
                titled = time.perf_counter() - start
            if titled and FOOTER in shown:
                return titled, time.perf_counter() - start
        shown = ANSI.sub(b"", seen)[-400:]
        raise RuntimeError(f"no {title!r} and {FOOTER!r} on screen; it showed: {shown!r}")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)


def same_screen() -> str:
    """The code of a bare Textual app that draws journey's first screen the usual way."""
    from journey.app.app import JourneyApp
    from journey.app.screens.notes import NotesScreen, notes_content
    from journey.launch import open_session

    notes = notes_content(open_session(None, resume=False).cover).markup
    app_css = Path(str(JourneyApp.CSS_PATH)).read_text(encoding="utf-8")
    return SAME_SCREEN.format(notes_css=NotesScreen.DEFAULT_CSS, notes=notes, app_css=app_css)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "JOURNEY_HOME": home, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        same = same_screen()
        first_frame(BARE, b"Hello", env)  # warm the file cache, the bytecode and journey's scenario cache
        first_frame(same, b"Long Way Round", env)
        first_frame(JOURNEY, b"Long Way Round", env)
        bare, floor, journey = [], [], []
        for _ in range(args.repeat):  # alternating, so all see the same machine
            bare.append(first_frame(BARE, b"Hello", env))
            floor.append(first_frame(same, b"Long Way Round", env))
            journey.append(first_frame(JOURNEY, b"Long Way Round", env))
    print(f"median of {args.repeat} alternating runs, 80x24 pty; ms from process start")
    for i, measure in enumerate(("title on screen", "whole first screen (footer keys too)")):
        b, f, j = (statistics.median(run[i] for run in runs) for runs in (bare, floor, journey))
        print(f"{measure}:")
        print(f"  bare Textual app:  {b * 1000:7.1f}")
        print(f"  the usual way:     {f * 1000:7.1f} ({f / b:.2f}x): the same screen, written as usual")
        print(f"  journey:           {j * 1000:7.1f} ({j / b:.2f}x the bare app, {j / f:.2f}x the usual way)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
