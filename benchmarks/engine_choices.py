"""Play 10,000 random journeys of winter-pass.yaml through the engine and print
microseconds per choice (a view of the scene plus the choice itself, which is
what a front end does per keypress). Target: at most 40 us per choice.

Then walk one long journey (--long N choices, default 20,000) round a two-scene
loop and compare the cost of its last 1,000 choices with its first 1,000: a
choice must cost the same however long the journey already is (ratio near 1).

    python benchmarks/engine_choices.py [SCENARIO] [--journeys N] [--long N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from journey.engine import Engine
from journey.scenario import load

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent / "tests" / "fixtures" / "winter-pass.yaml"
TARGET_US = 40.0


def play(engine: Engine, journeys: int, seed: int) -> tuple[int, float]:
    rng = random.Random(seed)
    personas = list(engine.scenario.personas) or [None]
    choices = 0
    started = time.perf_counter()
    for n in range(journeys):
        state = engine.start(rng.choice(personas), seed=n)
        for _ in range(500):
            view = engine.view(state)
            open_ = [c.index for c in view.choices if c.available]
            if view.ending is not None or not open_:
                break
            state = engine.choose(state, rng.choice(open_)).state
            choices += 1
    return choices, time.perf_counter() - started


LOOP = """\
format: 1
id: loop
title: Loop
variables:
  n: {start: 0, min: 0, max: 1000, label: N}
route: [{id: r, title: R}]
endings:
  done: {title: Done, kind: safe}
start: here
scenes:
  here:
    stage: r
    choices:
      - {text: There, add: {n: 1}, goto: there}
      - {text: Stop, goto: end}
  there:
    stage: r
    choices:
      - {text: Here, add: {n: -1}, goto: here}
  end: {stage: r, ending: done}
"""
WINDOW = 1_000


def long_journey(choices: int) -> tuple[float, float]:
    """Microseconds per choice over the first and the last WINDOW choices of
    one journey `choices` long."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "loop.yaml"
        path.write_text(LOOP, encoding="utf-8")
        loaded = load(path)
    assert loaded.scenario is not None
    engine = Engine(loaded.scenario)
    state = engine.start(None, seed=1)
    marks = [time.perf_counter()]
    for n in range(1, choices + 1):
        engine.view(state)
        state = engine.choose(state, 0).state
        if n in (WINDOW, choices - WINDOW, choices):
            marks.append(time.perf_counter())
    first, _, last = marks[1] - marks[0], marks[2] - marks[1], marks[3] - marks[2]
    return first / WINDOW * 1e6, last / WINDOW * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", nargs="?", default=str(DEFAULT))
    parser.add_argument("--journeys", type=int, default=10_000)
    parser.add_argument("--long", type=int, default=20_000, help="choices in the long journey")
    args = parser.parse_args()
    loaded = load(args.scenario)
    if loaded.scenario is None:
        print("\n".join(d.format() for d in loaded.diagnostics.errors), file=sys.stderr)
        return 1
    engine = Engine(loaded.scenario)
    play(engine, 200, seed=1)  # warm up
    choices, seconds = play(engine, args.journeys, seed=2)
    per_choice = seconds / choices * 1e6
    print(f"{args.journeys} journeys, {choices} choices, {seconds:.2f} s")
    print(
        f"{per_choice:.1f} us per choice (target {TARGET_US:.0f} us: "
        f"{per_choice / TARGET_US:.2f} of the budget)"
    )
    if args.long >= 3 * WINDOW:
        first, last = long_journey(args.long)
        print(
            f"one journey of {args.long:,} choices: {first:.1f} us per choice over the first "
            f"{WINDOW:,}, {last:.1f} us over the last {WINDOW:,} (ratio {last / first:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
