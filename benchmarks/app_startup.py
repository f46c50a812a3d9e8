"""Time to first frame of the app against a bare Textual app, in the same run.

Each is started as a fresh process (so imports count, as they do for a
player), run headless, and stopped as soon as its first screen is shown. Prints
the median of each and the ratio.

    python benchmarks/app_startup.py [SCENARIO] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "app" / "fixtures" / "winter-pass.yaml"

BARE = """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("Hello")
        yield Footer()

async def first_frame(pilot):
    await pilot._wait_for_screen()
    pilot.app.exit()

Bare().run(headless=True, size=(80, 24), auto_pilot=first_frame)
"""

JOURNEY = """
import sys
from journey.app import JourneyApp
from journey.app.screens.notes import NotesScreen
from journey.launch import open_session

async def first_frame(pilot):
    while not isinstance(pilot.app.screen, NotesScreen):
        await pilot.pause()
    await pilot._wait_for_screen()
    pilot.app.exit()

app = JourneyApp(open_session(sys.argv[1], resume=False), direct=True)
app.run(headless=True, size=(80, 24), auto_pilot=first_frame)
"""


def timed(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default=str(EXAMPLE))
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["JOURNEY_HOME"] = home  # never touch the player's saves
        timed(BARE)  # warm the file cache and bytecode for both
        timed(JOURNEY, args.scenario)
        bare = [timed(BARE) for _ in range(args.repeat)]
        journey = [timed(JOURNEY, args.scenario) for _ in range(args.repeat)]
    b, j = statistics.median(bare), statistics.median(journey)
    print(f"bare Textual app:  {b * 1000:7.1f} ms to first frame (median of {args.repeat})")
    print(
        f"journey app:       {j * 1000:7.1f} ms to first frame (content notes of {Path(args.scenario).name})"
    )
    print(f"ratio:             {j / b:7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
