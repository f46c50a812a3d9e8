"""Time loading and checking a scenario against a plain YAML parse of the same
files in the same run (PyYAML's C safe loader where present), and print the ratio.

    python benchmarks/load_scenario.py [SCENARIO] [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

import yaml

from journey.resources import DEFAULT, builtin_scenarios
from journey.scenario import load
from journey.tools.reachability import check as reachability

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]


def best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    return min(timeit.repeat(fn, number=1, repeat=repeat))


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
    baseline = best(lambda: [yaml.load(t, Loader=Loader) for t in files], args.repeat)
    ours = best(lambda: load(args.scenario), args.repeat)
    search = best(lambda: reachability(loaded.scenario), max(3, args.repeat // 5))
    print(f"{args.scenario}: {len(files)} files")
    print(f"plain YAML parse       {baseline * 1e3:8.2f} ms  (baseline)")
    print(f"load and check         {ours * 1e3:8.2f} ms  ({ours / baseline:.1f}x the baseline)")
    print(f"reachability search    {search * 1e3:8.2f} ms  ({search / baseline:.1f}x the baseline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
