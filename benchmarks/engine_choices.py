"""Play 10,000 random journeys of winter-pass.yaml through the engine and print
microseconds per choice (a view of the scene plus the choice itself, which is
what a front end does per keypress). Target: at most 40 us per choice.

    python benchmarks/engine_choices.py [SCENARIO] [--journeys N]
"""

from __future__ import annotations

import argparse
import random
import sys
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", nargs="?", default=str(DEFAULT))
    parser.add_argument("--journeys", type=int, default=10_000)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
