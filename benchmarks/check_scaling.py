"""How checking grows with the file: generated scenarios of 300, 3,000 and 30,000
scenes (benchmarks/generate.py, the compact form so the largest stays under the
4 MB cap), each timed as a plain YAML parse (PyYAML's C loader, as it is, and with the
garbage collector paused as `load` pauses it: the baselines), load and check,
and the reachability check, in the same run. The parses and `load` (never the
scenario cache) run in turn, `--repeat` rounds, and their medians are shown.
Prints CPU milliseconds, ratios against the baselines (load and check against
both; reachability, run once, against the paused one), and the peak memory
Python allocates for loading and checking.

    python benchmarks/check_scaling.py [--sizes 300,3000,30000] [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate

from journey.scenario import load
from journey.tools.reachability import check

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]


def cpu(fn: Callable[[], object]) -> float:
    """The CPU time of one run (CPU, not wall: the machine is shared)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def alternating(fns: list[Callable[[], object]], rounds: int) -> list[float]:
    """The median CPU time of each function, run in turn `rounds` times."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, spent in zip(fns, times, strict=True):
            spent.append(cpu(fn))
    return [statistics.median(t) for t in times]


def paused(fn: Callable[[], object]) -> Callable[[], object]:
    """fn with the garbage collector paused, as `load` runs."""

    def run() -> object:
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()

    return run


def peak(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="300,3000,30000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'scenes':>7} {'bytes':>10} {'yaml ms':>9} {'load+check':>15} {'reachability':>17} {'peak MB':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for scenes in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"g{scenes}.yaml"
            path.write_text(generate(scenes, compact=True), encoding="utf-8")
            text = path.read_text(encoding="utf-8")
            scenario = load(path).scenario
            assert scenario is not None, "the generated scenario has errors"
            plain, base, ours = alternating(
                [
                    lambda: yaml.load(text, Loader=Loader),  # noqa: B023
                    paused(lambda: yaml.load(text, Loader=Loader)),  # noqa: B023
                    lambda: load(path),  # noqa: B023
                ],
                args.repeat,
            )
            reach = cpu(lambda: check(scenario))  # noqa: B023
            top = peak(lambda: check(load(path).scenario))  # type: ignore[arg-type]  # noqa: B023
            print(
                f"{scenes:>7,} {len(text.encode()):>10,} {plain * 1e3:>9.1f} {base * 1e3:>12.1f} "
                f"{ours * 1e3:>8.1f} ({ours / plain:.1f}x, {ours / base:.1f}x) "
                f"{reach * 1e3:>9.1f} ({reach / base:.1f}x) {top / 1e6:>8.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
