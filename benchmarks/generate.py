"""Generated scenarios of any size, for the scaling benchmarks and the budget tests.

    python benchmarks/generate.py SCENES [--rich] [--chain] -o FILE

A generated scenario is a road of scenes in stages of 50: each scene leads on,
some lead back a few scenes (loops), some choices have conditions on money and
hope, some roll, and the last scene ends the journey. `--rich` adds text and a
fact card to every scene (about 900 bytes a scene, as a teacher's file has);
`--chain` writes the plainest possible chain (one choice a scene);
`--compact` writes each scene on one line (30,000 scenes fit under 4 MB).
No aliases: every value is written out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HEAD = """\
format: 1
id: generated
title: A generated road
variables:
  money: {start: 20, min: 0, label: Money, shown: true}
  hope: {start: 5, min: 0, max: 10, label: Hope, shown: true}
  papers: {start: false}
personas:
  - {id: ana, name: Ana}
  - {id: ben, name: Ben, set: {money: 5, papers: true}}
sources:
  book: {title: A book about roads, publisher: A publisher, year: 2020}
endings:
  arrived: {title: Arrived, kind: safe}
  turned: {title: Turned back, kind: open}
"""

RICH_TEXT = (
    "      The road bends here between low walls, and the light is going. You count what\n"
    "      you have left, {money} in the pocket, and think about the people behind you.\n"
    "      Somebody has chalked an arrow on a stone; somebody else has rubbed it out.\n"
)


def generate(scenes: int, rich: bool = False, chain: bool = False, compact: bool = False) -> str:
    stages = max(1, (scenes + 49) // 50)
    out = [HEAD, "route:\n"]
    out += [f"  - {{id: r{k}, title: Stage {k}}}\n" for k in range(stages)]
    out.append("start: s0\nscenes:\n")
    for i in range(scenes - 2):
        out.append(_compact(i, scenes - 2) if compact else _scene(i, scenes - 2, rich, chain))
    out.append(f"  s{scenes - 2}: {{stage: r{(scenes - 2) // 50}, ending: arrived, text: You arrive.}}\n")
    out.append(f"  s{scenes - 1}: {{stage: r{(scenes - 1) // 50}, ending: turned, text: You turn back.}}\n")
    return "".join(out)


def _scene(i: int, last: int, rich: bool, chain: bool) -> str:
    nxt = f"s{i + 1}" if i + 1 < last else f"s{last}"
    lines = [f"  s{i}:\n", f"    stage: r{i // 50}\n"]
    if rich:
        lines += ["    text: |\n", RICH_TEXT]
        lines += [
            "    facts:\n",
            f"      - title: Fact {i}\n",
            "        text: Roads like this one were walked by many, most of them at night.\n",
            "        source: book\n",
        ]
    else:
        lines.append(f"    text: Scene {i}.\n")
    lines.append("    choices:\n")
    lines.append(f"      - {{text: Walk on, goto: {nxt}}}\n")
    if chain:
        return "".join(lines)
    if i % 3 == 0:
        lines.append(
            f'      - {{text: Pay the driver, if: "money >= {5 + i % 7} and hope > 2", '
            f"add: {{money: -5, hope: 1}}, goto: {nxt}}}\n"
        )
    if i % 5 == 1 and i > 3:
        lines.append(f"      - {{text: Go back, add: {{money: 2, hope: -1}}, goto: s{i - 3}}}\n")
    if i % 7 == 2:
        lines.append(
            "      - text: Run for it\n"
            "        roll:\n"
            f"          - {{weight: 1 + hope, goto: {nxt}}}\n"
            f"          - {{weight: 3, add: {{hope: -2}}, goto: s{last + 1}}}\n"
        )
    if i % 11 == 4:
        lines.append(f"      - {{text: Show your papers, if: papers, once: true, goto: {nxt}}}\n")
    return "".join(lines)


def _compact(i: int, last: int) -> str:
    """The same scene on one line, in flow style, with short words (about 110 bytes:
    30,000 scenes fit under the 4 MB cap)."""
    nxt = f"s{i + 1}" if i + 1 < last else f"s{last}"
    ways = [f"{{text: On, goto: {nxt}}}"]
    if i % 3 == 0:
        pay = f"money>={5 + i % 7} and hope>2"
        ways.append(f"{{text: Pay, if: {pay}, add: {{money: -5, hope: 1}}, goto: {nxt}}}")
    if i % 5 == 1 and i > 3:
        ways.append(f"{{text: Back, add: {{money: 2, hope: -1}}, goto: s{i - 3}}}")
    if i % 7 == 2:
        ways.append(
            f"{{text: Run, roll: [{{weight: 1 + hope, goto: {nxt}}}, "
            f"{{weight: 3, add: {{hope: -2}}, goto: s{last + 1}}}]}}"
        )
    if i % 11 == 4:
        ways.append(f"{{text: Papers, if: papers, once: true, goto: {nxt}}}")
    return f"  s{i}: {{stage: r{i // 50}, text: S{i}., choices: [{', '.join(ways)}]}}\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenes", type=int)
    parser.add_argument("--rich", action="store_true")
    parser.add_argument("--chain", action="store_true")
    parser.add_argument("--compact", action="store_true", help="one line a scene (flow style)")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    Path(args.output).write_text(generate(args.scenes, args.rich, args.chain, args.compact), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
