"""Varied generated scenarios that stress the reachability proof, for its tests
and benchmark (`benchmarks/proof_scaling.py`).

    python benchmarks/varied.py SEED SCENES -o FILE

A scenario is a road of segments, each a shape that makes "can this happen?"
hard to settle by wandering: a long road where money must be saved for a
payment at its end, a counter raised by staying in a scene until it reaches a
threshold, once-only choices that give something a later choice needs, a roll
that gates the way on (failing sends the player back), loops back with gains
and losses, conditional gotos, `enter` effects, visit counts, text variations
with conditions. Personas start differently. The seed decides the mixture and
the numbers; the same seed gives the same file. Everything written can happen
except what is marked impossible (conditions beyond a variable's bounds),
which the checker must prove so.

With `--more` (`varied(..., more=True)`) three more shapes join the mixture:
water to keep within a band over a long stretch (every step moves it, and
checkpoints turn back anyone outside the band), a flag set far earlier that
the road tempts the player to give up, needed late together with a counter,
and rolls whose weights depend on values (a lucky outcome that a later choice
needs only happens once hope is high enough).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from pathlib import Path

HEAD = """\
format: 1.1
id: varied
title: A varied road
variables:
  money: {{start: {money}, min: 0{cap}, label: Money, shown: true}}
  hope: {{start: {hope}, min: 0, max: 10, label: Hope, shown: true}}
  work: {{start: 0, min: 0{cap}}}
  fatigue: {{start: 0, min: 0, max: 20}}
  papers: {{start: false}}
  guide: {{start: false}}
{more}personas:
  - {{id: ana, name: Ana}}
  - {{id: ben, name: Ben, set: {{money: {ben_money}, papers: true}}}}
  - {{id: cho, name: Cho, set: {{hope: {cho_hope}, money: {cho_money}}}}}
route:
  - {{id: road, title: The road}}
endings:
  arrived: {{title: Arrived, kind: safe}}
  turned: {{title: Turned back, kind: open}}
start: s0
scenes:
"""

INF = 1 << 30
Scene = list[str]  # a scene's lines (without its id line)


class Road:
    """The scenes being written, in order: segment builders append to it."""

    def __init__(self, rng: random.Random, money: int) -> None:
        self.rng = rng
        self.money = money  # the least money any persona starts with
        self.scenes: list[tuple[str, Scene]] = []

    @property
    def next(self) -> str:
        return f"s{len(self.scenes)}"

    def add(self, text: str, choices: list[str], extra: list[str] | None = None) -> str:
        sid = self.next
        body = ["    stage: road", f"    text: {text}"] + (extra or []) + ["    choices:"]
        body += [f"      - {c}" for c in choices]
        self.scenes.append((sid, body))
        return sid

    def here(self, offset: int = 0) -> str:
        return f"s{len(self.scenes) + offset}"

    def on(self) -> str:
        """The plain choice on to the scene after the one being added."""
        return f"{{text: On, goto: {self.here(1)}}}"


def _saving(road: Road) -> None:
    """A long road with things to spend money on, and a payment at its end that
    needs most of it kept."""
    length = road.rng.randint(8, 30)
    cost = road.rng.randint(1, 3)
    allowed = road.rng.randint(0, 2)  # spends the payment still allows
    price = max(1, road.money - allowed * cost)
    for _ in range(length):
        road.add(
            "Market.",
            [
                road.on(),
                f"{{text: Buy, if: money >= {cost}, add: {{money: -{cost}, hope: 1}}, goto: {road.here(1)}}}",
            ],
        )
    road.add(
        "Broker.",
        [
            f"{{text: Pay broker, if: money >= {price}, add: {{money: -{price}}}, goto: {road.here(1)}}}",
            f"{{text: Walk, add: {{fatigue: 2}}, goto: {road.here(1)}}}",
        ],
    )


def _counter(road: Road) -> None:
    """Stay and work until a counter reaches a threshold; a later choice needs it."""
    need = road.rng.randint(3, 25)
    work = road.here()
    road.add(
        "Farm.",
        [
            f"{{text: Work, add: {{work: 1, money: 1}}, goto: {work}}}",
            f"{{text: Leave, goto: {road.here(1)}}}",
        ],
        ["    enter: {add: {fatigue: 1}}"],
    )
    road.add(
        "Rest.",
        [
            f"{{text: Sleep, set: {{fatigue: 0}}, goto: {road.here(1)}}}",
            road.on(),
        ],
    )
    road.add(
        "Foreman.",
        [
            f'{{text: Get paid, if: "work >= {need}", add: {{money: {need}}}, set: {{work: 0}}, '
            f"goto: {road.here(1)}}}",
            road.on(),
        ],
    )


def _once(road: Road) -> None:
    """A once-only choice gives papers or a guide; a later choice needs it."""
    thing = road.rng.choice(["papers", "guide"])
    back = road.here()
    road.add(
        "Office.",
        [
            f"{{text: Get {thing}, once: true, set: {{{thing}: true}}, add: {{money: -1}}, goto: {back}}}",
            road.on(),
        ],
    )
    for _ in range(road.rng.randint(1, 6)):
        road.add("Road.", [road.on()])
    road.add(
        "Checkpoint.",
        [
            f"{{text: Show {thing}, if: {thing}, once: true, goto: {road.here(1)}}}",
            f"{{text: Sneak, add: {{hope: -1}}, goto: {road.here(1)}}}",
        ],
    )


def _gate(road: Road) -> None:
    """A roll that gates progress: failing sends the player back a few scenes."""
    back = max(0, len(road.scenes) - road.rng.randint(0, 4))
    road.add(
        "River.",
        [
            "{text: Swim, roll: ["
            f"{{weight: 1 + hope, goto: {road.here(1)}}}, "
            f"{{weight: 2, add: {{hope: -1}}, goto: s{back}}}]}}",
            f"{{text: Bridge, if: money >= 3, add: {{money: -3}}, goto: {road.here(1)}}}",
        ],
    )


def _loop(road: Road) -> None:
    """Loops back with gains and losses, and a conditional goto that skips ahead."""
    back = max(0, len(road.scenes) - road.rng.randint(1, 6))
    gain = road.rng.randint(1, 4)
    road.add(
        "Crossroads.",
        [
            f"{{text: Back, add: {{money: {gain}, hope: -1}}, goto: s{back}}}",
            f"{{text: On, goto: [{{if: hope >= 8, goto: {road.here(2)}}}, {{goto: {road.here(1)}}}]}}",
        ],
    )
    road.add("Detour.", [road.on()])


def _visits(road: Road) -> None:
    """A choice that opens on a later visit to its scene, and text that varies."""
    times = road.rng.randint(2, 4)
    sid = road.here()
    road.add(
        '["Well.", {if: "hope > 6", text: "Sunny."}, {seq: [First., Again.]}]',
        [
            f'{{text: Draw water, if: visits("{sid}") >= {times}, add: {{hope: 2}}, goto: {road.here(1)}}}',
            f"{{text: Circle, add: {{fatigue: 1}}, goto: {sid}}}",
            road.on(),
        ],
    )


def _never(road: Road) -> None:
    """Choices that can never be open, and a roll outcome never drawn (beyond
    bounds): the proof must say so."""
    road.add(
        "Cliff.",
        [
            f"{{text: Fly, if: hope > 10, goto: {road.here(1)}}}",
            f"{{text: Sink, if: fatigue < 0, goto: {road.here(1)}}}",
            f"{{text: Jump, roll: [{{weight: 1, goto: {road.here(1)}}}, "
            f"{{weight: hope - 10, goto: {road.here(1)}}}]}}",
            road.on(),
        ],
    )


def _tradeoff(road: Road) -> None:
    """Hope is bought with money; a payment needs enough of both at once, so only
    journeys that buy just enough (not too little, not too much) open it."""
    cost = road.rng.randint(2, 4)
    length = road.rng.randint(4, 12)
    for _ in range(length):
        road.add(
            "Stall.",
            [
                road.on(),
                f"{{text: Tea, add: {{money: -{cost}, hope: 1}}, goto: {road.here(1)}}}",
                f"{{text: Rain, add: {{hope: -1}}, goto: {road.here(1)}}}",
            ],
        )
    hope = road.rng.randint(7, 10)
    money = max(0, road.money - cost * road.rng.randint(2, 5))
    road.add(
        "Boat.",
        [
            f'{{text: Board, if: "money >= {money} and hope >= {hope}", goto: {road.here(1)}}}',
            f'{{text: Bribe, if: "money > hope * {cost + 1}", add: {{money: -1}}, goto: {road.here(1)}}}',
            f"{{text: Wait, goto: {road.here(1)}}}",
        ],
    )


def _hard_work(road: Road) -> None:
    """A long count of work, each day tiring (an `enter` effect), with rests that
    cost money: a later choice needs much work and some money left."""
    need = road.rng.randint(20, 60)
    farm = road.here()
    road.add(
        "Mill.",
        [
            f'{{text: Work, if: "fatigue < 12", add: {{work: 1}}, goto: {farm}}}',
            f"{{text: Rest, if: money >= 1, set: {{fatigue: 0}}, add: {{money: -1}}, goto: {farm}}}",
            f"{{text: Leave, goto: {road.here(1)}}}",
        ],
        ["    enter: {add: {fatigue: 1}}"],
    )
    road.add(
        "Owner.",
        [
            f'{{text: Buy a share, if: "work >= {need} and money >= 2", set: {{work: 0}}, '
            f"add: {{money: {need}}}, goto: {road.here(1)}}}",
            road.on(),
        ],
    )


def _band(road: Road) -> None:
    """Water must stay within a band over a long stretch: every step drinks or
    refills, checkpoints turn back anyone outside the band (to a well that
    resets it), and the oasis at the end asks for the top of the band."""
    low = road.rng.randint(1, 4)
    high = low + road.rng.randint(2, 4)
    well = road.here()
    road.add(
        "Well.",
        [
            f"{{text: Fill, set: {{water: {(low + high) // 2}}}, goto: {road.here(1)}}}",
            road.on(),
        ],
    )
    for i in range(road.rng.randint(6, 20)):
        if i % 4 == 3:
            road.add(
                "Checkpoint.",
                [
                    f'{{text: Pass, if: "water >= {low} and water <= {high}", goto: {road.here(1)}}}',
                    f"{{text: Turn back, goto: {well}}}",
                ],
            )
        else:
            road.add(
                "Dunes.",
                [
                    f"{{text: Walk, add: {{water: -1}}, goto: {road.here(1)}}}",
                    f"{{text: Spring, add: {{water: 2}}, goto: {road.here(1)}}}",
                ],
            )
    road.add(
        "Oasis.",
        [
            f'{{text: Camp, if: "water >= {high - 1} and water <= {high}", add: {{hope: 1}}, '
            f"goto: {road.here(1)}}}",
            road.on(),
        ],
    )


def _flag_counter(road: Road) -> None:
    """A flag set once, far earlier, that the road tempts the player to sell; a
    gate at the end needs it and a counter raised at a camp just before."""
    road.add(
        "Registry.",
        [
            "{text: Register, once: true, set: {marked: true}, add: {money: -1}, "
            f"goto: {road.here(1)}}}",
            road.on(),
        ],
    )
    for _ in range(road.rng.randint(10, 30)):
        road.add(
            "Road.",
            [
                road.on(),
                f"{{text: Sell the mark, if: marked, set: {{marked: false}}, add: {{money: 3}}, "
                f"goto: {road.here(1)}}}",
            ],
        )
    need = road.rng.randint(3, 12)
    camp = road.here()
    road.add(
        "Camp.",
        [
            f"{{text: Help, add: {{count: 1}}, goto: {camp}}}",
            f"{{text: Leave, goto: {road.here(1)}}}",
        ],
        ["    enter: {add: {fatigue: 1}}"],
    )
    road.add(
        "Gate.",
        [
            f'{{text: Enter, if: "marked and count >= {need}", set: {{count: 0}}, goto: {road.here(1)}}}',
            f"{{text: Around, add: {{fatigue: 2}}, goto: {road.here(1)}}}",
        ],
    )


def _weighted(road: Road) -> None:
    """Rolls whose weights depend on values: the lucky outcome of a storm (a guide
    found) is drawn only once hope is above a number, and a pass later needs
    the guide; praying at a shrine raises hope, the storm's bad outcome lowers it."""
    need = road.rng.randint(3, 8)
    shrine = road.here()
    road.add(
        "Shrine.",
        [
            f"{{text: Pray, add: {{hope: 1, fatigue: 1}}, goto: {shrine}}}",
            road.on(),
        ],
    )
    road.add(
        "Storm.",
        [
            "{text: Sail, roll: ["
            f"{{weight: hope - {need}, set: {{guide: true}}, goto: {road.here(1)}}}, "
            f"{{weight: 2, add: {{hope: -2}}, goto: {shrine}}}, "
            f"{{weight: fatigue - 15, goto: {road.here(1)}}}]}}",
            f"{{text: Wait, add: {{fatigue: -1}}, goto: {road.here(1)}}}",
        ],
    )
    for _ in range(road.rng.randint(1, 8)):
        road.add("Road.", [road.on()])
    road.add(
        "Pass.",
        [
            '{text: Follow the guide, if: "guide and hope >= 2", set: {guide: false}, '
            f"goto: {road.here(1)}}}",
            f"{{text: Climb, add: {{fatigue: 3}}, goto: {road.here(1)}}}",
        ],
    )


SHAPES: list[Callable[[Road], None]] = [
    _saving,
    _counter,
    _once,
    _gate,
    _loop,
    _visits,
    _never,
    _tradeoff,
    _hard_work,
]
MORE_SHAPES: list[Callable[[Road], None]] = [_band, _flag_counter, _weighted]
MORE_VARIABLES = """\
  water: {{start: 5, min: 0, max: 12}}
  count: {{start: 0, min: 0{cap}}}
  marked: {{start: false}}
"""


def varied(seed: int, scenes: int, cap: int | None = None, more: bool = False) -> str:
    """A scenario of at most `scenes` scenes, shaped by `seed`. With `cap`, money and
    work have that maximum, so a small scenario has few enough game states for a
    complete search to check the proof against. With `more`, the three more
    shapes join (the same seed gives other scenarios then)."""
    rng = random.Random(seed)
    money = rng.randint(min(5, cap or 5), 40 if cap is None else cap)
    numbers = {
        "money": min(money + rng.randint(0, 10), cap or INF),
        "hope": rng.randint(3, 7),
        "ben_money": money,
        "cho_hope": rng.randint(1, 10),
        "cho_money": min(money + rng.randint(0, 20), cap or INF),
        "cap": "" if cap is None else f", max: {cap}",
    }
    numbers["more"] = (
        MORE_VARIABLES.format(cap=numbers["cap"]).replace("{{", "{").replace("}}", "}") if more else ""
    )
    shapes = SHAPES + MORE_SHAPES if more else SHAPES
    road = Road(rng, money)
    weights = [rng.randint(1, 5) for _ in shapes]
    misses = 0
    while misses < 20:  # segments that did not fit, in a row
        size = len(road.scenes)
        rng.choices(shapes, weights)[0](road)
        if len(road.scenes) + 3 > scenes:  # no room left for the border and two endings
            del road.scenes[size:]
            misses += 1
        else:
            misses = 0
    road.add("Border.", ["{text: Cross, goto: end}", "{text: Give up, goto: fail}"])
    lines = [HEAD.format(**numbers)]
    for sid, body in road.scenes:
        lines.append(f"  {sid}:\n" + "".join(line + "\n" for line in body))
    lines.append("  end: {stage: road, ending: arrived, text: You arrive.}\n")
    lines.append("  fail: {stage: road, ending: turned, text: You turn back.}\n")
    return "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("seed", type=int)
    parser.add_argument("scenes", type=int)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--more", action="store_true", help="three more shapes (see above)")
    args = parser.parse_args()
    Path(args.output).write_text(varied(args.seed, args.scenes, more=args.more), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
