"""Keypress to next scene: from pressing a choice's number to the last frame it
causes, in wall time and in CPU time (headless; the frames are timed where the
app draws them, so the pilot's own waiting after the last frame is not counted).

A generated scenario loops between two scenes with Markdown text (one has a
paragraph more), facts, a glossary term and shown variables, so every press
renders a full new scene.
The baseline, measured the same way in the same run, is a bare Textual app of
the same size whose key replaces the text of one Markdown widget with the same
Markdown a scene shows (a heading, a paragraph and a list): the pilot's own
overhead, Textual's frame timing and the Markdown are in both, so the ratio is
what journey adds. The two run in alternating rounds, so a change in the
machine's load falls on both.

With `--builtin`, journey plays the built-in scenario instead, taking a
random open choice at each press (seeded; the press that leads to an ending
switches screens and is not counted, as the goal allows), so scenes of every
length, the route map and the choice lists of the real journey are in it.

    python benchmarks/app_keypress.py [--presses N] [--rounds R] [--builtin]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual.binding import BindingType

QUIET = 0.05  # seconds without a new frame: the key's work is done
SIZE = (100, 30)

TEXT = """## {title}

The road bends along the river. *Every* choice here has a cost, and the
**hypothermia** of a winter crossing is never far away. Visit {visits}.
{more}
- a list item
- another item with `code`
"""

SCENE = """
  {id}:
    stage: {stage}
    text: |
{text}
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


# The west scene has one paragraph more, as real scenes differ in length.
MORE = {"East": "", "West": "\nThe ice is thin this far upstream, and the far bank is lit.\n"}


def scene(id: str, stage: str, title: str, other: str) -> str:
    text = textwrap.indent(TEXT.format(title=title, visits="{count}", more=MORE[title]), " " * 6)
    return SCENE.format(id=id, stage=stage, other=other, text=text.rstrip("\n"))


def scenario_text() -> str:
    return HEAD + scene("east", "one", "East", "west") + scene("west", "two", "West", "east")


class Renders:
    """When the app last drew, in wall and CPU time: `App._display` is called
    with every compositor update (also headless), after layout and rendering."""

    def __init__(self, app: object) -> None:
        self.wall = self.cpu = 0.0
        self.frames = 0  # drawn since the last key
        original = app._display  # type: ignore[attr-defined]

        def display(screen: object, renderable: object) -> None:
            original(screen, renderable)
            if renderable is not None:
                self.wall, self.cpu = time.perf_counter(), time.process_time()
                self.frames += 1

        app._display = display  # type: ignore[attr-defined]


Press = tuple[float, float, int]  # wall and CPU seconds to the last frame, frames drawn


async def timed_press(pilot: object, renders: Renders, changed: Callable[[], bool], key: str = "1") -> Press:
    """Wall and CPU time from the key to the last frame it caused (not to the
    end of the pilot's own waits, which are not the player's), and how many
    frames it caused."""
    wall, cpu = time.perf_counter(), time.process_time()
    renders.frames = 0
    await pilot.press(key)  # type: ignore[attr-defined]
    while not changed():
        await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause(QUIET)  # type: ignore[attr-defined]  # every frame the key caused is drawn
    return renders.wall - wall, renders.cpu - cpu, renders.frames


def scene_markdown(count: int) -> str:
    """The Markdown a scene of the loop shows (without its glossary link)."""
    title = ("East", "West")[count % 2]
    return TEXT.format(title=title, visits=count, more=MORE[title])


def short_markdown(count: int) -> str:
    """Two short blocks: the baseline this benchmark used first, kept for reference."""
    return f"## Scene {count}\n\nThe road *bends*."


async def measure_bare(presses: int, markdown: Callable[[int], str]) -> list[Press]:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Markdown

    class Bare(App[None]):
        BINDINGS: ClassVar[list[BindingType]] = [("1", "next", "Next")]
        count = 0

        def compose(self) -> ComposeResult:
            yield Markdown(markdown(0))
            yield Footer()

        def action_next(self) -> None:
            self.count += 1
            self.query_one(Markdown).update(markdown(self.count))

    app = Bare()
    times: list[Press] = []
    async with app.run_test(size=SIZE) as pilot:
        renders = Renders(app)
        await pilot.pause()
        for _ in range(presses):
            before = app.query_one(Markdown).source
            times.append(
                await timed_press(
                    pilot, renders, lambda before=before: app.query_one(Markdown).source != before
                )
            )
    return times


async def to_first_scene(app: object, pilot: object) -> Renders:
    """Past the notes (the persona is given) to the first scene, drawn; its
    frames are timed from then on."""
    from journey.app.screens.scene import SceneScreen

    renders = Renders(app)
    await pilot.press("enter")  # type: ignore[attr-defined]
    while not isinstance(app.screen, SceneScreen):  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return renders


async def measure(path: Path, presses: int) -> list[Press]:
    from journey.app import JourneyApp
    from journey.app.widgets.scene_text import SceneText
    from journey.launch import open_session

    app = JourneyApp(open_session(str(path), resume=False), direct=True, seed=1, blink=False)
    times: list[Press] = []
    async with app.run_test(size=SIZE) as pilot:
        renders = await to_first_scene(app, pilot)
        for _ in range(presses):
            before = app.screen.query_one(SceneText).source
            times.append(
                await timed_press(
                    pilot, renders, lambda before=before: app.screen.query_one(SceneText).source != before
                )
            )
    return times


async def measure_builtin(presses: int, seed: int) -> list[Press]:
    """Random open choices through the built-in scenario, new journeys as
    they end, until `presses` scene-to-scene presses are timed."""
    import random

    from journey.app import JourneyApp
    from journey.app.screens.scene import SceneScreen
    from journey.app.widgets.choices import ChoiceList
    from journey.launch import open_session

    rng = random.Random(seed)
    times: list[Press] = []
    while len(times) < presses:
        session = open_session(None, resume=False)
        persona = rng.choice(sorted(session.scenario.personas) or [None])
        app = JourneyApp(session, direct=True, seed=rng.randrange(10**6), blink=False, persona=persona)
        async with app.run_test(size=SIZE) as pilot:
            renders = await to_first_scene(app, pilot)
            while len(times) < presses and isinstance(app.screen, SceneScreen):
                screen = app.screen
                open_choices = [c for c in screen.view.choices if c.available and c.number <= 9]
                if not open_choices:
                    break
                choice = rng.choice(open_choices)
                position = screen.query_one(ChoiceList).position_of(choice.index)
                if position is not None and screen.query_one(ChoiceList).out_of_view(position) is not None:
                    await pilot.press(str(choice.number))  # the first press shows it; the second takes it
                    await pilot.pause(QUIET)
                before = screen.view

                def moved(app: JourneyApp = app, screen: SceneScreen = screen, was: object = before) -> bool:
                    return app.screen is not screen or screen.view is not was

                press = await timed_press(pilot, renders, moved, str(choice.number))
                if app.screen is screen:  # not the switch to the ending screen
                    times.append(press)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=200, help="presses for each app, in all")
    parser.add_argument("--rounds", type=int, default=4, help="alternating runs of each app")
    parser.add_argument("--builtin", action="store_true", help="journey plays the built-in scenario")
    args = parser.parse_args()
    each = max(1, args.presses // args.rounds)
    times: list[Press] = []
    bare: list[Press] = []
    short: list[Press] = []
    with tempfile.TemporaryDirectory() as home:
        os.environ["JOURNEY_HOME"] = home  # autosaves go here, not to the player's folder
        path = Path(home) / "loop.yaml"
        path.write_text(scenario_text(), encoding="utf-8")
        for round in range(args.rounds):
            times += asyncio.run(measure_builtin(each, round) if args.builtin else measure(path, each))
            bare += asyncio.run(measure_bare(each, scene_markdown))
            short += asyncio.run(measure_bare(each, short_markdown))
    report("bare Textual app, one Markdown widget updated with a scene's Markdown", bare)
    report("bare Textual app, one Markdown widget updated with two short blocks", short)
    what = "the built-in scenario, random choices" if args.builtin else "the benchmark's loop"
    report(f"journey, keypress to next scene (with autosave), {what}", times)
    ratios("ratio of medians to the bare app with a scene's Markdown (the baseline)", times, bare)
    ratios("ratio of medians to the bare app with two short blocks (for reference)", times, short)
    return 0


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def ratios(what: str, times: list[Press], bare: list[Press]) -> None:
    cpu = statistics.median(c for _, c, _ in times) / statistics.median(c for _, c, _ in bare)
    wall = statistics.median(w for w, _, _ in times) / statistics.median(w for w, _, _ in bare)
    tail = p95([w for w, _, _ in times]) / p95([w for w, _, _ in bare])
    print(f"{what}: CPU {cpu:.2f}x, key to last frame {wall:.2f}x, its p95 {tail:.2f}x")


def report(what: str, times: list[Press]) -> None:
    wall = [w * 1000 for w, _, _ in times]
    cpu = [c * 1000 for _, c, _ in times]
    frames = statistics.mean(f for _, _, f in times)
    print(
        f"{what}: key to last frame median {statistics.median(wall):.1f} ms, "
        f"p95 {p95(wall):.1f} ms; CPU median {statistics.median(cpu):.1f} ms, "
        f"p95 {p95(cpu):.1f} ms; {frames:.2f} frames a key, at most {max(f for _, _, f in times)} "
        f"({len(wall)} presses)"
    )


if __name__ == "__main__":
    sys.exit(main())
