"""Keypress to next scene: how long from pressing a choice's number until the
next scene is on screen, measured with Textual's pilot (headless).

A generated scenario loops between two scenes with Markdown text, facts, a
glossary term and shown variables, so every press renders a full new scene.
The baseline, measured the same way in the same run, is a bare Textual app
whose key replaces the text of one Markdown widget: the pilot's own overhead
and Textual's frame timing are in both, so the ratio is what journey adds.

    python benchmarks/app_keypress.py [--presses N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import ClassVar

from textual.binding import BindingType

SCENE = """
  {id}:
    stage: {stage}
    text: |
      ## {title}

      The road bends along the river. *Every* choice here has a cost, and the
      **hypothermia** of a winter crossing is never far away. Visit {visits}.

      - a list item
      - another item with `code`
    facts:
      - {{title: A fact, text: Facts come with sources., source: book}}
    choices:
      - text: Go on to the {other}
        add: {{count: 1}}
        goto: {other}
      - text: Locked for the benchmark
        if: count < 0
        show_locked: true
        goto: {other}
"""

HEAD = """format: 1
id: bench-loop
title: Benchmark loop
sources: {book: {title: A book}}
glossary: {hypothermia: Cold.}
variables:
  count: {start: 0, min: 0, label: Steps, shown: true}
  warmth: {start: 5, min: 0, max: 10, label: Warmth, shown: true}
route:
  - {id: one, title: One}
  - {id: two, title: Two}
endings: {never: {title: Never, kind: open}}
start: east
scenes:
"""


def scenario_text() -> str:
    return (
        HEAD
        + SCENE.format(id="east", stage="one", title="East", other="west", visits="{count}")
        + SCENE.format(id="west", stage="two", title="West", other="east", visits="{count}")
    )


async def measure_bare(presses: int) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Markdown

    class Bare(App[None]):
        BINDINGS: ClassVar[list[BindingType]] = [("1", "next", "Next")]
        count = 0

        def compose(self) -> ComposeResult:
            yield Markdown("## Start")
            yield Footer()

        def action_next(self) -> None:
            self.count += 1
            self.query_one(Markdown).update(f"## Scene {self.count}\n\nThe road *bends*.")

    app = Bare()
    times: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(presses):
            before = app.query_one(Markdown).source
            start = time.perf_counter()
            await pilot.press("1")
            while app.query_one(Markdown).source == before:
                await pilot.pause()
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return times


async def measure(path: Path, presses: int) -> list[float]:
    from journey.app import JourneyApp
    from journey.app.screens.scene import SceneScreen
    from journey.app.widgets.scene_text import SceneText
    from journey.launch import open_session

    app = JourneyApp(open_session(str(path), resume=False), direct=True, seed=1)
    times: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        while not isinstance(app.screen, SceneScreen):
            await pilot.pause()
        await pilot.pause()
        for _ in range(presses):
            before = app.screen.query_one(SceneText).source
            start = time.perf_counter()
            await pilot.press("1")
            while app.screen.query_one(SceneText).source == before:
                await pilot.pause()
            await pilot.pause()  # the new blocks mounted and laid out
            times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["JOURNEY_HOME"] = home  # autosaves go here, not to the player's folder
        path = Path(home) / "loop.yaml"
        path.write_text(scenario_text(), encoding="utf-8")
        times = asyncio.run(measure(path, args.presses))
        bare = asyncio.run(measure_bare(args.presses))
    report("bare Textual app (one Markdown update)", bare)
    report("journey, keypress to next scene (with autosave)", times)
    print(f"ratio of medians: {statistics.median(times) / statistics.median(bare):.2f}x")
    return 0


def report(what: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    print(
        f"{what}: median {statistics.median(ms):.1f} ms, "
        f"p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, max {ms[-1]:.1f} ms ({len(ms)} presses)"
    )


if __name__ == "__main__":
    sys.exit(main())
