"""The road ahead (`engine/ahead.py`): the requirement a state must meet to still be
able to open a choice further on is never stricter than the truth, so the aimed
search that prunes with it loses no journey; and the boxes from which a way out
is sure (`escapes`) hold only states from which an ending can be reached, so a
scene proved free of soft-locks with them is.

Each scenario here is small enough for a complete search of every game state;
for every choice with a condition, every state from which some journey opens
that choice must be inside the requirement at its scene. The hand-written ones
are the cases a naive backward pass gets wrong (a `set` that resets a value, a
minimum that clamps spending, a loop that earns, visits, a roll, a value a
maximum caps).
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest
from varied import varied

from journey.engine.abstract import Domain, analyse
from journey.engine.ahead import INF, Layout, escapes, requirements
from journey.engine.explore import Search, distances, relevant
from journey.engine.reach import Proof, reachability
from journey.scenario import load
from journey.scenario.model import Compiled, Scenario


def load_text(tmp_path: Path, text: str, name: str = "s.yaml") -> Scenario:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    assert loaded.scenario is not None, [d.format() for d in loaded.diagnostics.errors]
    return loaded.scenario


def graph(search: Search) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(persona, scene) -> the nodes leading to it, from a search that saw everything."""
    pred: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for src, targets in enumerate(search.edges):
        for dst in targets:
            pred.setdefault(search.states[dst][:2], set()).add(search.states[src][:2])
    return pred


def assert_sound(sc: Scenario) -> int | None:
    """Every state that can open a choice is inside that choice's requirement; returns
    how many (state, choice) pairs were checked (None: too many states to see all)."""
    truth = Search(sc, 40_000)
    if not truth.breadth_first(40_000):
        return None
    pred = graph(truth)
    reverse: list[list[int]] = [[] for _ in truth.states]
    for src, targets in enumerate(truth.edges):
        for dst in targets:
            reverse[dst].append(src)
    checked = 0
    for (sid, index), _ in truth.first_choice.items():
        choice = sc.scenes[sid].choices[index]
        if choice.cond is None:
            continue

        def opens(search: Search, i: int, cond: Compiled = choice.cond) -> bool:
            values = dict(zip(search.names, search.full[i], strict=True))
            visits = dict(zip(search.read, search.states[i][3], strict=True))
            return bool(cond.fn(values, visits, search.states[i][0]))

        for pid in {key[0] for key in truth.states}:
            target = (pid, sid)
            dist, _ = distances([target], pred)
            needs = requirements(truth.layout, target, [(choice.cond.tree, True)], pred, dist)
            opened = [i for i, key in enumerate(truth.states) if key[:2] == target and opens(truth, i)]
            can = set(opened)  # and every state that leads to one of them
            todo = deque(opened)
            while todo:
                for src in reverse[todo.popleft()]:
                    if src not in can:
                        can.add(src)
                        todo.append(src)
            for i in can:
                key = truth.states[i]
                rank = needs.rank(key[:2], truth.full[i], key[3])
                assert rank < INF, (sid, index, pid, key, truth.route(i))
                checked += 1
    return checked


def test_the_requirement_holds_every_state_that_can_open_the_choice_on_varied_scenarios(
    tmp_path: Path,
) -> None:
    checked, scenarios = 0, 0
    for seed in range(8):
        sc = load_text(tmp_path, varied(seed, 14 + 6 * (seed % 2), cap=3), f"v{seed}.yaml")
        got = assert_sound(sc)
        if got is not None:
            checked, scenarios = checked + got, scenarios + 1
    assert scenarios >= 4 and checked > 1_000


HEAD = """\
format: 1.1
id: ahead
title: Ahead
variables:
  money: {start: 0, min: 0, max: 12}
  hope: {start: 2, min: 0, max: 5}
  lucky: {start: false}
personas:
  - {id: ana, name: Ana}
  - {id: ben, name: Ben, set: {money: 6}}
route:
  - {id: road, title: Road}
endings:
  out: {title: Out, kind: safe}
start: a
scenes:
  out: {stage: road, ending: out, text: Out.}
"""


def scene(sid: str, *choices: str, enter: str = "") -> str:
    lines = [f"  {sid}:", "    stage: road", "    text: Here.", *([f"    enter: {enter}"] if enter else [])]
    return "\n".join([*lines, "    choices:", *(f"      - {c}" for c in choices)]) + "\n"


# Each: a road to a gate whose choice a naive backward pass would call impossible
# from the start (so pruning with it would lose the only journey).
TRICKY = {
    # a `set` on the way makes the money before it not matter
    "reset": scene("a", "{text: Win, set: {money: 12}, goto: b}", "{text: On, goto: b}")
    + scene("b", "{text: Spend, add: {money: -3}, goto: gate}", "{text: On, goto: gate}")
    + scene("gate", "{text: Pass, if: money >= 9, goto: out}", "{text: Stay, goto: out}"),
    # the minimum clamps spending: from 4, paying 7 leaves 0, which the gate wants
    "floor": scene("a", "{text: Earn, add: {money: 4}, goto: b}")
    + scene("b", "{text: Pay, add: {money: -7}, goto: gate}")
    + scene("gate", "{text: Broke, if: money < 1, goto: out}", "{text: Stay, goto: out}"),
    # the maximum caps gains: hope 5 is the most, reached from 2 with +4
    "ceiling": scene("a", "{text: Pray, add: {hope: 4}, goto: gate}", "{text: On, goto: gate}")
    + scene("gate", "{text: Sing, if: hope >= 5 and money <= 0, goto: out}", "{text: Stay, goto: out}"),
    # a loop that earns: 0 money at the start, 11 needed
    "loop": scene("a", "{text: Work, add: {money: 2}, goto: a}", "{text: Go, goto: b}")
    + scene("b", "{text: Back, goto: a}", "{text: On, goto: gate}")
    + scene("gate", "{text: Pay, if: money >= 11, goto: out}", "{text: Stay, goto: out}"),
    # visits counted on entry, and `enter` effects that see them
    "visits": scene("a", "{text: Round, goto: well}", "{text: Go, goto: gate}")
    + scene("well", "{text: Back, goto: a}", enter="{add: {hope: -1}}")
    + scene(
        "gate",
        '{text: Drink, if: visits("well") >= 3 and hope <= 0, goto: out}',
        "{text: Stay, goto: out}",
    ),
    # the only way to the money is a roll's outcome
    "roll": scene(
        "a",
        "{text: Dice, roll: [{weight: 1, add: {money: 5}, goto: gate}, {weight: hope, goto: a}]}",
        "{text: Go, goto: gate}",
    )
    + scene("gate", "{text: Pay, if: money >= 5 and not lucky, goto: out}", "{text: Stay, goto: out}"),
    # a flag set long before, and a persona that starts with money
    "flag": scene("a", "{text: Luck, set: {lucky: true}, add: {money: -2}, goto: b}", "{text: On, goto: b}")
    + scene("b", "{text: On, goto: gate}")
    + scene(
        "gate",
        '{text: Bet, if: "lucky and money >= 4 and persona == \\"ben\\"", goto: out}',
        "{text: Stay, goto: out}",
    ),
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_the_requirement_is_not_naive(tmp_path: Path, name: str) -> None:
    sc = load_text(tmp_path, HEAD + TRICKY[name])
    checked = assert_sound(sc)
    assert checked is not None and checked > 0
    gate = sc.scenes["gate"].choices[0]
    found = reachability(sc, max_states=24)  # too few to see every state: the aimed search finds it
    assert ("gate", gate.index) in found.choices, name
    assert found.complete


def assert_escapes_are_sure(sc: Scenario) -> tuple[int, int] | None:
    """Every state of a complete search inside a box of `escapes` at its scene can
    reach an ending; returns (states inside a box, states in all), or None when
    there are too many states to see them all."""
    truth = Search(sc, 40_000)
    if not truth.breadth_first(40_000):
        return None
    facts = analyse(sc, Domain(sc, *relevant(sc)))
    proof = Proof(sc, Domain(sc, *relevant(sc)), facts)
    layout = Layout(sc, truth.names, truth.read, truth.caps, under=True)
    endings = {n for n in facts.envs if sc.scenes[n[1]].ending}
    good = escapes(layout, endings, proof._pred, proof.fresh)
    ends = truth.can_end()
    n = len(truth.names)
    inside = 0
    for i, key in enumerate(truth.states):
        values = [int(v) for v in truth.full[i]] + list(key[3])
        for lows, highs, _ in good.get(key[:2], ()):
            if all(lo <= x <= hi for lo, x, hi in zip(lows, values, highs, strict=True)):
                inside += 1
                assert ends[i], (key, truth.route(i), n)
                break
    return inside, len(truth.states)


def test_a_way_out_is_sure_on_varied_scenarios(tmp_path: Path) -> None:
    inside, scenarios = 0, 0
    for seed in range(10):
        text = varied(seed, 14 + 6 * (seed % 2), cap=3, more=seed % 2 == 0)
        got = assert_escapes_are_sure(load_text(tmp_path, text, f"v{seed}.yaml"))
        if got is not None:
            inside, scenarios = inside + got[0], scenarios + 1
    assert scenarios >= 5 and inside > 1_000


# Each: a scene a naive proof would call safe in some state from which no ending
# can be reached, and one it must prove safe.
TRAPS = {
    # outside the band, the checkpoint turns back to a well that resets the water:
    # no soft-lock, though the road loops (the scene-by-scene proof cannot tell)
    "band": scene("a", "{text: Fill, set: {money: 5}, goto: b}", "{text: On, goto: b}")
    + scene("b", "{text: Walk, add: {money: -1}, goto: gate}", "{text: Spring, add: {money: 2}, goto: gate}")
    + scene("gate", '{text: Pass, if: "money >= 3 and money <= 6", goto: out}', "{text: Back, goto: a}"),
    # the same, but the well only adds: from much money there is no way back into the band
    "spent": scene("a", "{text: Fill, add: {money: 1}, goto: b}")
    + scene("b", "{text: Walk, add: {money: -1}, goto: gate}", "{text: Spring, add: {money: 2}, goto: gate}")
    + scene("gate", '{text: Pass, if: "money >= 3 and money <= 6", goto: out}', "{text: Back, goto: a}"),
    # a roll whose way out has weight only with hope, which the other outcome spends
    "luck": scene(
        "a",
        "{text: Dice, roll: [{weight: hope - 1, goto: out}, {weight: 1, add: {hope: -1}, goto: a}]}",
    ),
    # an amount that depends on hope: only sure for the amount that spends least
    "range": scene(
        "a", "{text: Gamble, add: {money: hope - 6}, goto: gate}", "{text: Hope, add: {hope: 1}, goto: a}"
    )
    + scene("gate", "{text: Leave, if: money <= 3, goto: out}", "{text: Stay, goto: gate}"),
    # the minimum clamps: paying from 0 still leaves 0, and broke players may leave
    "floor": scene("a", "{text: Pay, add: {money: -4}, goto: gate}")
    + scene("gate", "{text: Leave, if: money < 1, goto: out}", "{text: Wait, add: {money: -3}, goto: gate}"),
}


@pytest.mark.parametrize("name", sorted(TRAPS))
def test_a_way_out_is_not_naive(tmp_path: Path, name: str) -> None:
    sc = load_text(
        tmp_path, HEAD.replace("start: 0, min: 0, max: 12", "start: 9, min: 0, max: 12") + TRAPS[name]
    )
    got = assert_escapes_are_sure(sc)
    assert got is not None and got[0] > 0
    every = Search(sc, 10_000)
    assert every.breadth_first(10_000)
    found = reachability(sc, max_states=2 * len(every.states))  # its first phase cannot see all
    assert not found.exact and found.complete, found.unknown_doomed
    doomed = {
        "band": set(),
        "spent": {"a", "b", "gate"},
        "luck": {"a"},
        "floor": set(),
        "range": {"a", "gate"},
    }[name]
    assert set(found.doomed) == doomed


def test_a_long_road_with_a_band_and_loops_back_has_no_soft_lock_left_unsettled(tmp_path: Path) -> None:
    """Checkpoints that turn back anyone outside a band, to a well that resets it:
    before `escapes`, every scene before them was left unsettled (may it be a
    soft-lock?), after seconds of concrete searches from their states."""
    sc = load_text(tmp_path, varied(0, 100, more=True))
    found = reachability(sc)
    assert not found.exact
    assert found.complete, found.unknown_doomed[:5]
    assert not found.doomed
