"""The state's JSON form: any valid state round-trips exactly; anything else is
refused with StateError (the save layer turns it into a message), never another
exception."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journey import saves
from journey.engine import Path as EnginePath
from journey.engine import State, StateError, Step

FAST = settings(max_examples=200, deadline=None)

names = st.text(max_size=12)
ints = st.integers(-(2**70), 2**70)
steps = st.builds(Step, names, ints, ints, names)
states = st.builds(
    State,
    scenario=names,
    fingerprint=names,
    scene=names,
    vars=st.dictionaries(names, st.one_of(ints, st.booleans()), max_size=6),
    visits=st.dictionaries(names, st.integers(0, 10**6), max_size=6),
    persona=names,
    seed=st.integers(0, 2**64 - 1),
    draws=st.integers(0, 10**9),
    taken=st.frozensets(names, max_size=5),
    path=st.lists(steps, max_size=8).map(tuple),
)


@FAST
@given(states)
def test_states_round_trip_exactly(state: State) -> None:
    text = state.to_json()
    back = State.from_json(text)
    assert back == state
    assert back.to_json() == text  # the form is canonical (sorted keys)
    for name, value in state.vars.items():  # true stays true, 1 stays 1
        assert type(back.vars[name]) is type(value)
    assert State.from_json(text.encode("utf-8")) == state


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), ints, st.floats(allow_nan=False), names),
    lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(names, c, max_size=4)),
    max_leaves=20,
)


@FAST
@given(json_values)
def test_any_json_is_a_state_or_a_state_error(data: Any) -> None:
    try:
        State.from_dict(data)
    except StateError as exc:
        assert str(exc)


@FAST
@given(
    states,
    st.sampled_from(
        [
            "scenario",
            "fingerprint",
            "scene",
            "vars",
            "visits",
            "persona",
            "seed",
            "draws",
            "taken",
            "path",
            "version",
        ]
    ),
    json_values,
)
def test_one_damaged_field_is_a_state_error(state: State, key: str, value: Any) -> None:
    data = state.to_dict()
    data[key] = value
    try:
        loaded = State.from_dict(data)
    except StateError as exc:
        assert str(exc)
        return
    assert loaded.to_dict()[key] == value or key == "taken"  # only a fitting value passes


@FAST
@given(st.binary(max_size=200))
def test_any_bytes_are_a_state_or_a_state_error(raw: bytes) -> None:
    try:
        State.from_json(raw)
    except StateError as exc:
        assert str(exc)


@pytest.mark.parametrize(
    "text, words",
    [
        ("[" * 100_000, "not valid JSON"),
        ("{}", "version None"),
        ('{"version": 2}', "version 2"),
        (json.dumps({**State("s", "f", "a", {}, {}).to_dict(), "vars": {"x": 1.5}}), "1.5"),
        (json.dumps({**State("s", "f", "a", {}, {}).to_dict(), "path": [["a", 0, -1]]}), "path"),
        (json.dumps({**State("s", "f", "a", {}, {}).to_dict(), "seed": True}), "True"),
    ],
)
def test_damaged_examples(text: str, words: str) -> None:
    with pytest.raises(StateError, match=words.replace("(", r"\(")):
        State.from_json(text)


slugs = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True).filter(lambda s: len(s) < 40)
# A scenario reference is a file path: UTF-8 encodable, and never holding NUL
# (no file system allows it, and saves refuse such a reference).
file_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states, slugs, file_text)
def test_states_round_trip_through_save_files(journey_home: Path, state: State, slug: str, ref: str) -> None:
    state = replace(state, scenario=slug, scene=ref, persona=ref)
    path = saves.write(state, ref)
    assert path.parent == journey_home / "saves" and path.name == f"{slug}.json"
    loaded = saves.read(path)
    assert (loaded.state, loaded.scenario_ref) == (state, ref)


@FAST
@given(
    st.lists(steps, max_size=8), st.lists(steps, max_size=8), st.lists(steps, max_size=8), st.integers(0, 8)
)
def test_path_grows_like_a_tuple_and_branches_never_change_each_other(
    shared: list[Step], one: list[Step], other: list[Step], cut: int
) -> None:
    """A path grown step by step reads, compares and hashes as the tuple of its
    steps, even when another branch grew from the same state (sharing its list)."""
    root = EnginePath()
    for step in shared:
        root = root.plus(step)
    first, second = root, root[: min(cut, len(root))]
    for step in one:
        first = first.plus(step)
    third = root  # a third branch, grown from the shared state again
    for step in other:
        second, third = second.plus(step), third.plus(step)
    expected_first = (*shared, *one)
    expected_second = (*shared[: min(cut, len(shared))], *other)
    cases = (
        (first, expected_first),
        (second, expected_second),
        (third, (*shared, *other)),
        (root, tuple(shared)),
    )
    for path, expected in cases:
        assert path == expected and expected == path and tuple(path) == expected
        assert len(path) == len(expected) and hash(path) == hash(expected)
        assert list(path[1:-1]) == list(expected[1:-1])
        if expected:
            assert path[-1] == expected[-1] and path[0] == expected[0]
        with pytest.raises(IndexError):
            path[len(expected)]
    assert (first == second) == (expected_first == expected_second)


def test_a_state_made_with_a_tuple_path_equals_one_grown() -> None:
    step = Step("a", 0, -1, "b")
    made = State("s", "f", "b", {}, {}, path=(step,))
    grown = replace(made, path=EnginePath().plus(step))
    assert made == grown and isinstance(made.path, EnginePath)
    assert State.from_json(grown.to_json()) == made
