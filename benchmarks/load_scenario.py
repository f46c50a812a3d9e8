"""Time loading and checking a scenario against a plain YAML parse of the same
files in the same run (PyYAML's C safe loader where present), and print the ratio.

Each round times one plain parse of every file, then one `load` (read, compose,
check, build; never the scenario cache), alternately, in CPU time with the
garbage collector paused for both (as `load` pauses it); the medians are shown.

    python benchmarks/load_scenario.py [SCENARIO] [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path

import yaml

from journey.resources import DEFAULT, builtin_scenarios
from journey.scenario import load
from journey.tools.reachability import check as reachability

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]


def alternating(fns: list[Callable[[], object]], rounds: int) -> list[float]:
    """The median CPU time of each function, run in turn `rounds` times."""
    times: list[list[float]] = [[] for _ in fns]
    gc.disable()
    try:
        for _ in range(rounds):
            for fn, spent in zip(fns, times, strict=True):
                start = time.process_time()
                fn()
                spent.append(time.process_time() - start)
    finally:
        gc.enable()
    return [statistics.median(t) for t in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", nargs="?", default=str(builtin_scenarios().get(DEFAULT, "")))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    loaded = load(args.scenario)
    if loaded.scenario is None:
        print("\n".join(d.format() for d in loaded.diagnostics.errors), file=sys.stderr)
        return 1
    files = [Path(f).read_text(encoding="utf-8") for f in loaded.scenario.files]
    baseline, ours = alternating(
        [lambda: [yaml.load(t, Loader=Loader) for t in files], lambda: load(args.scenario)], args.repeat
    )
    runs = max(3, args.repeat // 5)
    search = min(
        timeit.repeat(lambda: reachability(loaded.scenario), number=1, repeat=runs, timer=time.process_time)
    )
    print(f"{args.scenario}: {len(files)} files")
    print(f"plain YAML parse       {baseline * 1e3:8.2f} ms  (baseline, CPU, median of {args.repeat})")
    print(f"load and check         {ours * 1e3:8.2f} ms  ({ours / baseline:.1f}x the baseline)")
    print(f"reachability search    {search * 1e3:8.2f} ms  ({search / baseline:.1f}x the baseline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
