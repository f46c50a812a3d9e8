"""How the reachability proof grows with the scenario: varied generated scenarios
(benchmarks/varied.py: money to keep over long roads, counters to raise, once-only
choices, gating rolls, loops, conditional gotos, `enter` effects, personas) of
100, 300 and 500 scenes, several seeds each. For each: what was left unsettled
(the N300 count; 0 is the goal), the CPU time of the reachability check against a
plain YAML parse of the same text (PyYAML's C loader, garbage collector paused)
in the same process, and the peak resident memory of that process. Each file is
checked in a fresh process, so the peaks do not mix.

    python benchmarks/proof_scaling.py [--sizes 100,300,500] [--seeds 12] [--first 0]
        [--more] [--json FILE]

Each row also names the seeds that left something unsettled (seed:count).
`--more` adds varied.py's three more shapes (a band, a flag kept with a counter,
rolls weighted by values): other scenarios for the same seeds.
`--json` writes every file's figures, one JSON object a line, to compare runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def one(scenes: int, seed: int, more: bool = False) -> dict[str, float]:
    """Check one generated file in this process: figures as a dict."""
    import yaml
    from varied import varied

    from journey.scenario import load
    from journey.tools.reachability import check

    text = varied(seed, scenes, more=more)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "v.yaml"
        path.write_text(text, encoding="utf-8")
        loaded = load(path)
    assert loaded.scenario is not None, "the generated scenario has errors"
    gc.disable()
    start = time.process_time()
    yaml.load(text, Loader=yaml.CSafeLoader)
    parse = time.process_time() - start
    gc.enable()
    start = time.process_time()
    diagnostics, found = check(loaded.scenario)
    reach = time.process_time() - start
    return {
        "scenes": len(loaded.scenario.scenes),
        "parse": parse,
        "reach": reach,
        "unsettled": found.unknown,
        "n300": sum(d.code == "N300" for d in diagnostics),
        "states": found.states,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,300,500")
    parser.add_argument("--seeds", type=int, default=12)
    parser.add_argument("--first", type=int, default=0, help="the first seed")
    parser.add_argument("--json", help="write each file's figures here, one JSON object a line")
    parser.add_argument("--more", action="store_true", help="varied.py's three more shapes too")
    parser.add_argument("--one", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(*args.one, more=args.more)))
        return 0
    heads = ("scenes", "files", "unsettled", "CPU median", "max", "x parse", "MB median", "max", "seeds left")
    widths = (7, 5, 9, 11, 7, 8, 9, 5, 0)
    print(" ".join(f"{h:>{w}}" for h, w in zip(heads, widths, strict=True)))
    log = open(args.json, "w", encoding="utf-8") if args.json else None  # noqa: SIM115
    for size in (int(s) for s in args.sizes.split(",")):
        rows = []
        for seed in range(args.first, args.first + args.seeds):
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(size), str(seed), *(["--more"] if args.more else [])],
                capture_output=True,
                text=True,
                check=True,
            )
            rows.append({**json.loads(out.stdout), "seed": seed, "size": size})
            if log:
                log.write(json.dumps(rows[-1]) + "\n")
                log.flush()
        reach = [r["reach"] for r in rows]
        ratio = statistics.median(r["reach"] / r["parse"] for r in rows)
        peak = [r["rss_mb"] for r in rows]
        left = " ".join(f"{r['seed']}:{r['unsettled']}" for r in rows if r["unsettled"])
        print(
            f"{size:>7} {len(rows):>5} {sum(r['unsettled'] for r in rows):>9} "
            f"{statistics.median(reach):>10.2f}s {max(reach):>6.2f}s {ratio:>7.0f}x "
            f"{statistics.median(peak):>9.0f} {max(peak):>5.0f} {left or '-'}",
            flush=True,
        )
    if log:
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
