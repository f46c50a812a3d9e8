"""A saved journey carried onto a changed scenario: the engine's one rule, used by
--continue, --watch and transcripts (engine/adapt.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from journey.engine import Engine, EngineError, Fit, State, adapt, retrace
from journey.scenario import load

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"


def engine_for(text: str, tmp_path: Path, name: str = "s.yaml") -> Engine:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    assert loaded.scenario is not None, loaded.diagnostics.errors
    return Engine(loaded.scenario)


def walked(engine: Engine, picks: list[int]) -> State:
    return engine.replay("student", 1, picks)


@pytest.fixture
def original(tmp_path: Path) -> Engine:
    return engine_for(WINTER.read_text(encoding="utf-8"), tmp_path, "before.yaml")


def first_open(engine: Engine, state: State) -> int:
    return next(c.index for c in engine.view(state).choices if c.available)


def test_the_same_version_is_resumed_as_it_is(original: Engine) -> None:
    state = walked(original, [first_open(original, original.start("student", 1))])
    assert adapt(original, state).fit is Fit.SAME and adapt(original, state).state is state


def test_a_damaged_save_of_the_same_version_is_an_engine_error(original: Engine) -> None:
    state = original.start("student", 1)
    broken = State(**{**state.__dict__, "scene": "nowhere"})
    with pytest.raises(EngineError):
        adapt(original, broken)


def test_changed_text_replays_the_choices(original: Engine, tmp_path: Path) -> None:
    state = walked(original, [first_open(original, original.start("student", 1))])
    text = WINTER.read_text(encoding="utf-8").replace("The path climbs through pines", "Pines.")
    changed = engine_for(text, tmp_path)
    adapted = adapt(changed, state)
    assert adapted.fit is Fit.REPLAYED and adapted.state is not None
    assert adapted.state.path == state.path and adapted.state.fingerprint != state.fingerprint


def test_a_renamed_scene_restarts_and_a_removed_persona_is_lost(original: Engine, tmp_path: Path) -> None:
    state = original.start("student", 1)
    text = WINTER.read_text(encoding="utf-8")
    renamed = engine_for(text.replace(state.scene, state.scene + "-x"), tmp_path)
    adapted = adapt(renamed, state)
    assert adapted.fit is Fit.RESTARTED and adapted.state is not None
    assert adapted.state.scene == renamed.scenario.start
    start, end = text.index("  - id: student"), text.index("  - id: shepherd")
    no_student = engine_for(text[:start] + text[end:], tmp_path, "p.yaml")
    assert adapt(no_student, state) == adapt(no_student, state)
    assert adapt(no_student, state).fit is Fit.LOST and adapt(no_student, state).state is None


def test_retrace_gives_every_step_and_refuses_a_journey_that_no_longer_replays(
    original: Engine, tmp_path: Path
) -> None:
    state = original.start("student", 1)
    for _ in range(2):
        state = original.choose(state, first_open(original, state)).state
    first, results = retrace(original, state)
    assert first == original.start("student", 1)
    assert [r.state.scene for r in results] == [s.to for s in state.path]
    text = WINTER.read_text(encoding="utf-8").replace(state.path[0].to, "gone-away")
    with pytest.raises(EngineError):
        retrace(engine_for(text, tmp_path), state)
