"""The rules: determinism, clamping, once-choices, locked and hidden choices,
rolls, going back, and stuck scenes (which the validator must report too)."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journey.engine import Engine, EngineError, State
from journey.engine.core import draw, pick
from journey.scenario import Scenario, load
from journey.scenario.model import INT_LIMIT
from journey.tools.reachability import check as reachability

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"
WALKS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

STRESS = """\
format: 1
id: stress
title: Stress
variables:
  a: {start: 5, min: 0, max: 10, label: A, shown: true}
  b: {start: 0, label: B}
  flag: {start: false, label: Flag}
personas:
  - {id: p1, name: Pat}
  - {id: p2, name: Sam, set: {a: 9, flag: true}}
route: [{id: r, title: R}]
endings:
  good: {title: Good, kind: safe}
  bad: {title: Bad, kind: hard}
start: hub
scenes:
  hub:
    stage: r
    text: "{name}: a={a} b={b} {{literal}}"
    choices:
      - {text: Up, add: {a: 7}, goto: hub}
      - {text: Down, add: {a: -13}, goto: hub}
      - {text: Triple, set: {a: a * 3}, goto: hub}
      - {text: Big, add: {b: 999999999}, goto: hub}
      - {text: Huge, set: {b: b * 1000 - 5}, goto: hub}
      - {text: Flip, set: {flag: not flag}, goto: hub}
      - {text: Once, once: true, add: {a: 1}, goto: hub}
      - text: Gamble
        roll:
          - {weight: a, goto: hub, add: {b: 1}}
          - {weight: 10 - a, goto: gate}
          - {weight: -5, goto: bad-end}
      - {text: Locked, if: a > 8, show_locked: true, goto: good-end}
      - {text: Hidden, if: flag and a < 3, goto: gate}
      - {text: Leave, goto: gate}
  gate:
    stage: r
    choices:
      - {text: Only when flagged, if: flag, goto: good-end}
      - {text: Only when low, if: a < 2, once: true, goto: hub}
  good-end: {stage: r, ending: good}
  bad-end: {stage: r, ending: bad}
"""
ONCE, LOCKED, HIDDEN = 6, 8, 9


def scenario_from(text: str, folder: Path) -> Scenario:
    path = folder / "s.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    loaded = load(path)
    assert loaded.scenario is not None, [d.format() for d in loaded.diagnostics.items]
    return loaded.scenario


@pytest.fixture(scope="module")
def stress(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine(scenario_from(STRESS, tmp_path_factory.mktemp("stress")))


@pytest.fixture(scope="module")
def winter() -> Engine:
    loaded = load(WINTER)
    assert loaded.scenario is not None
    return Engine(loaded.scenario)


@pytest.fixture(scope="module")
def stuck_scenes(stress: Engine) -> set[str]:
    warnings, found = reachability(stress.scenario)
    assert found.complete and found.exact
    return {d.message.split("`")[1] for d in warnings if d.code == "W216"}


def walk(
    engine: Engine,
    persona: str,
    seed: int,
    picks: list[int],
    on_state: Callable[[State], None] = lambda s: None,
) -> tuple[State, list[str]]:
    """Take the picks (modulo the choices available); returns the end state and the
    scenes found stuck (where the walk then goes back)."""
    state = engine.start(persona, seed)
    stuck: list[str] = []
    for n in picks:
        on_state(state)
        view = engine.view(state)
        if view.ending is not None:
            break
        if view.stuck:
            stuck.append(view.scene)
            previous = engine.back(state)
            assert previous is not None
            state = previous
            continue
        open_choices = [c for c in view.choices if c.available]
        state = engine.choose(state, open_choices[n % len(open_choices)].index).state
    on_state(state)
    return state, stuck


PICKS = st.lists(st.integers(0, 50), max_size=30)


@WALKS
@given(st.sampled_from(["p1", "p2"]), st.integers(0, 2**64 - 1), PICKS)
def test_same_seed_and_choices_give_the_same_journey(
    stress: Engine, persona: str, seed: int, picks: list[int]
) -> None:
    first, _ = walk(stress, persona, seed, picks)
    again, _ = walk(Engine(stress.scenario), persona, seed, picks)
    assert first.to_json() == again.to_json()
    replayed = stress.replay(persona, seed, [s.choice for s in first.path])
    assert replayed == first
    assert stress.view(replayed) == stress.view(first)


@WALKS
@given(st.sampled_from(["p1", "p2"]), st.integers(0, 2**32), PICKS)
def test_effects_are_clamped(stress: Engine, persona: str, seed: int, picks: list[int]) -> None:
    def bounded(state: State) -> None:
        assert 0 <= state.vars["a"] <= 10
        assert -INT_LIMIT <= state.vars["b"] <= INT_LIMIT
        assert isinstance(state.vars["flag"], bool)
        assert type(state.vars["a"]) is int and type(state.vars["b"]) is int

    walk(stress, persona, seed, picks, bounded)


@WALKS
@given(st.sampled_from(["p1", "p2"]), st.integers(0, 2**32), PICKS)
def test_once_choices_vanish_and_locked_ones_refuse(
    stress: Engine, persona: str, seed: int, picks: list[int]
) -> None:
    def rules(state: State) -> None:
        view = stress.view(state)
        shown = {c.index: c for c in view.choices}
        if state.scene == "hub":
            assert (ONCE in shown) == ("hub#6" not in state.taken)
            locked = shown[LOCKED]
            assert locked.available == (state.vars["a"] > 8)
            if not locked.available:
                assert locked.locked_reason == "needs: A is more than 8"
                with pytest.raises(EngineError):
                    stress.choose(state, LOCKED)
            if HIDDEN not in shown:
                with pytest.raises(EngineError):
                    stress.choose(state, HIDDEN)
        numbers = [c.number for c in view.choices]
        assert numbers == sorted(set(numbers))
        if state.scene == "hub":  # a taken once-choice keeps its number, so the later ones keep theirs
            slots = [j for j in range(11) if j in shown or j == ONCE]
            assert {c.index: c.number for c in view.choices} == {j: slots.index(j) + 1 for j in shown}

    walk(stress, persona, seed, picks, rules)


@WALKS
@given(st.sampled_from(["p1", "p2"]), st.integers(0, 2**32), PICKS)
def test_every_stuck_scene_is_reported_by_validate(
    stress: Engine, stuck_scenes: set[str], persona: str, seed: int, picks: list[int]
) -> None:
    _, stuck = walk(stress, persona, seed, picks)
    assert set(stuck) <= stuck_scenes


def test_stress_scenario_has_a_stuck_scene(stress: Engine, stuck_scenes: set[str]) -> None:
    assert stuck_scenes == {"gate"}
    state = stress.start("p1", 1)
    state = stress.choose(state, 10).state  # Leave: flag is false and a is 5
    view = stress.view(state)
    assert view.scene == "gate" and view.stuck and view.choices == ()
    assert stress.back(state) == stress.start("p1", 1)


def test_effects_read_the_values_before_the_choice(tmp_path: Path) -> None:
    engine = Engine(
        scenario_from(
            """\
        format: 1
        id: t
        title: T
        variables: {a: {start: 5, min: 0, max: 10}, b: {start: 2}}
        route: [{id: r, title: R}]
        endings: {e: {title: E, kind: safe}}
        start: s
        scenes:
          s:
            stage: r
            choices:
              - {text: Swap, set: {a: b, b: a}, goto: s}
              - {text: Both, set: {a: a + 1}, add: {a: a}, goto: s}
              - {text: Floor, add: {a: -100, b: -1}, goto: e}
          e: {stage: r, ending: e}
    """,
            tmp_path,
        )
    )
    state = engine.start(None, 0)
    swapped = engine.choose(state, 0)
    assert swapped.state.vars == {"a": 2, "b": 5}
    assert [(c.name, c.old, c.new) for c in swapped.changes] == [("a", 5, 2), ("b", 2, 5)]
    both = engine.choose(state, 1).state  # set a = 6, then add the old a (5): 11, clamped
    assert both.vars["a"] == 10
    floor = engine.choose(state, 2).state
    assert floor.vars == {"a": 0, "b": 1}


def test_rolls(tmp_path: Path) -> None:
    engine = Engine(
        scenario_from(
            """\
        format: 1
        id: t
        title: T
        variables: {n: {start: 0}}
        route: [{id: r, title: R}]
        endings: {e: {title: E, kind: safe}}
        start: s
        scenes:
          s:
            stage: r
            choices:
              - text: Three to one
                roll: [{weight: 3, goto: x}, {weight: 1, goto: y}, {weight: n - 5, goto: e}]
              - text: All zero
                roll: [{weight: 0, goto: y}, {weight: n - 1, goto: x}]
          x: {stage: r, choices: [{text: On, goto: e}]}
          y: {stage: r, choices: [{text: On, goto: e}]}
          e: {stage: r, ending: e}
    """,
            tmp_path,
        )
    )
    landed = [engine.choose(engine.start(None, seed), 0).state.scene for seed in range(2000)]
    assert landed.count("e") == 0  # a negative weight counts as 0
    assert 0.70 < landed.count("x") / len(landed) < 0.80
    assert {engine.choose(engine.start(None, s), 1).state.scene for s in range(50)} == {"y"}
    result = engine.choose(engine.start(None, 7), 0)
    assert result.rolled and result.state.draws == 1
    assert result.state.path[-1].outcome in (0, 1)


def test_the_generator_is_pinned() -> None:
    """Saves replay on every platform only if these numbers never change."""
    assert draw(0, 0) == 17509614380081456743
    assert draw(42, 7) == 4514690712196278145
    assert draw(2**32 - 1, 1000) == 6937140343417374770
    assert [pick([3, 1], draw(s, 0)) for s in range(10)] == [1, 0, 1, 0, 1, 0, 0, 0, 0, 0]
    assert pick([0, 0], 12345) == 0
    assert pick([0, 5, 0], 3) == 1


def test_text_and_status(stress: Engine) -> None:
    view = stress.view(stress.start("p2", 0))
    assert view.text == "Sam: a=9 b=0 {literal}"
    assert [(m.name, m.label, m.value) for m in view.meters] == [("a", "A", 9)]


def test_misuse_is_an_engine_error(stress: Engine) -> None:
    with pytest.raises(EngineError, match="unknown persona"):
        stress.start("nobody", 0)
    with pytest.raises(EngineError):
        stress.start(None, 0)  # the scenario has personas: one must be chosen
    state = stress.start("p1", 0)
    for index in (-1, 11, 99):
        with pytest.raises(EngineError, match="no choice"):
            stress.choose(state, index)
    ended = stress.choose(stress.choose(state, 0).state, LOCKED).state  # a is 10 > 8
    assert stress.view(ended).ending is not None
    with pytest.raises(EngineError, match="ended"):
        stress.choose(ended, 0)


def test_winter_once_choice_vanishes(winter: Engine) -> None:
    state = winter.start("student", 1)
    titles = [c.text for c in winter.view(state).choices]
    assert titles[1].startswith("Read the [avalanche bulletin]")
    state = winter.choose(state, 1).state  # read the bulletin
    state = winter.choose(state, 0).state  # back to the square
    texts = [c.text for c in winter.view(state).choices]
    assert not any("bulletin" in t for t in texts)
    assert state.visits == {"village-square": 2, "bulletin": 1}


def test_winter_summary(winter: Engine) -> None:
    state = winter.replay("shepherd", 1, [2, 1, 0])  # climb, rest in the hut, walk down
    summary = winter.summary(state)
    assert summary.ending is not None and summary.ending.id == "safe"
    assert [seen for _, seen in summary.stages] == [True, True, True]
    assert [f.title for f in summary.facts] == ["Tell someone your route"]
    assert summary.choices == 3
    assert winter.view(state).text.startswith("The warden hands you tea. Your warmth is 8")


def test_undo_takes_back_the_last_choice_and_never_re_rolls(stress: Engine) -> None:
    start = stress.start("p1", 7)
    assert stress.undo(start) is None
    once = stress.choose(start, ONCE).state
    gambled = stress.choose(once, 7)
    undone = stress.undo(gambled.state)
    assert undone is not None and undone.state == once
    assert undone.step.choice == "Gamble" and undone.step.rolled
    assert undone.message == (
        "Undone: “Gamble” (R). Chance is not drawn again: the same choice leads the same way."
    )
    again = stress.choose(undone.state, 7).state
    assert again == gambled.state  # the same draw: the same outcome
    first = stress.undo(once)
    assert first is not None and first.state == start and first.message == "Undone: “Once” (R)."


@WALKS
@given(st.sampled_from(["p1", "p2"]), st.integers(0, 2**32), PICKS)
def test_undo_steps_back_through_every_state(
    stress: Engine, persona: str, seed: int, picks: list[int]
) -> None:
    seen: list[State] = []
    end, _ = walk(stress, persona, seed, picks, seen.append)
    chain = [end]
    while (undone := stress.undo(chain[-1])) is not None:
        chain.append(undone.state)
    assert len(chain) == len(end.path) + 1
    assert chain[-1] == stress.start(persona, seed)
    assert all(b.path == a.path[:-1] for a, b in itertools.pairwise(chain))
    assert all(s in seen for s in chain)


def test_history_is_the_journey_as_it_read(stress: Engine) -> None:
    state = stress.replay("p1", 3, [0, ONCE])
    past = stress.history(state)
    assert [(p.scene, p.choice, p.rolled) for p in past] == [("hub", "Up", False), ("hub", "Once", False)]
    assert [(c.name, c.old, c.new) for c in past[0].changes] == [("a", 5, 10)]
    assert past[0].stage.title == "R"


def test_a_fact_is_shown_in_full_once_per_journey(winter: Engine) -> None:
    state = winter.start("student", 1)
    assert [f.seen for f in winter.view(state).facts] == [False]
    state = winter.choose(state, 1).state  # read the bulletin
    assert [f.seen for f in winter.view(state).facts] == [False]
    state = winter.choose(state, 0).state  # back to the square: its card was shown on the way in
    assert [f.seen for f in winter.view(state).facts] == [True]
    previous = winter.undo(state)
    assert previous is not None and [f.seen for f in winter.view(previous.state).facts] == [False]


def test_numbers_stay_when_a_once_choice_goes(winter: Engine) -> None:
    state = winter.start("student", 1)
    assert [c.number for c in winter.view(state).choices] == [1, 2, 3]
    state = winter.replay("student", 1, [1, 0])  # the bulletin, once, and back
    assert [(c.number, c.text) for c in winter.view(state).choices] == [
        (1, "Buy a map at the kiosk (15 EUR)"),
        (3, "Start the climb"),
    ]


@WALKS
@given(st.sampled_from(["student", "shepherd"]), st.integers(0, 2**32), PICKS)
def test_a_fact_is_seen_when_an_earlier_scene_of_the_path_had_it(
    winter: Engine, persona: str, seed: int, picks: list[int]
) -> None:
    """The engine reads this from visit counts; the path says the same."""
    sc = winter.scenario

    def rule(state: State) -> None:
        before = [sc.start, *(s.to for s in state.path[:-1])] if state.path else []
        earlier = {(f.title, f.source) for sid in before for f in sc.scenes[sid].facts}
        facts = sc.scenes[state.scene].facts
        assert [f.seen for f in winter.view(state).facts] == [(f.title, f.source) in earlier for f in facts]

    walk(winter, persona, seed, picks, rule)
