"""How checking grows with the file: generated scenarios of 300, 3,000 and 30,000
scenes (benchmarks/generate.py, the compact form so the largest stays under the
4 MB cap), each timed as a plain YAML parse (PyYAML's C loader, as it is, and with the
garbage collector paused as `load` pauses it: the baselines), load and check,
and the reachability check, in the same run. Prints CPU milliseconds, ratios
against the baselines (load and check against both; reachability against the
paused one), and the peak memory Python allocates for loading and checking.

    python benchmarks/check_scaling.py [--sizes 300,3000,30000] [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
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


def cpu(fn: Callable[[], object], repeat: int) -> float:
    """The best CPU time of `repeat` runs (CPU, not wall: the machine is shared)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


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
            plain = cpu(lambda: yaml.load(text, Loader=Loader), args.repeat)  # noqa: B023
            base = cpu(paused(lambda: yaml.load(text, Loader=Loader)), args.repeat)  # noqa: B023
            ours = cpu(lambda: load(path), args.repeat)  # noqa: B023
            reach = cpu(lambda: check(scenario), 1)  # noqa: B023
            top = peak(lambda: check(load(path).scenario))  # type: ignore[arg-type]  # noqa: B023
            print(
                f"{scenes:>7,} {len(text.encode()):>10,} {plain * 1e3:>9.1f} {base * 1e3:>12.1f} "
                f"{ours * 1e3:>8.1f} ({ours / plain:.1f}x, {ours / base:.1f}x) "
                f"{reach * 1e3:>9.1f} ({reach / base:.1f}x) {top / 1e6:>8.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
