"""A journey saved on one version of a scenario, carried onto another.

The one place this rule lives: `journey play --continue` (a save made before the
file changed), `--watch` (the file changed while playing) and transcripts (a
journey retold step by step) all use it. Every failure is an EngineError."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from .core import Engine, EngineError, Result
from .state import Path, State


class Fit(Enum):
    """How a state fits a (possibly changed) scenario."""

    SAME = "same"  # the same version: resumed as it is
    REPLAYED = "replayed"  # every choice replays on the new version
    KEPT = "kept"  # the choices no longer replay, but the scene exists: stay there
    RESTARTED = "restarted"  # the scene is gone: the journey begins again, same persona and seed
    LOST = "lost"  # the persona is gone: a new journey must be chosen


@dataclass(frozen=True)
class Adapted:
    state: State | None  # None only when `fit` is LOST
    fit: Fit


def retrace(engine: Engine, state: State) -> tuple[State, list[Result]]:
    """The journey to `state` replayed step by step from its persona and seed: the
    first state and each choice's result. EngineError when it no longer replays
    exactly (a scene or choice gone, or a choice now leading elsewhere)."""
    engine.check(state)
    first = now = engine.start(state.persona or None, state.seed)
    results = []
    for step in state.path:
        result = engine.choose(now, step.choice)
        now = result.state
        if (now.path[-1].outcome, now.path[-1].to) != (step.outcome, step.to):
            raise EngineError(f"choice {step.choice + 1} of `{step.scene}` now leads elsewhere")
        results.append(result)
    return first, results


def replayed(engine: Engine, state: State) -> State:
    """`state`'s choices replayed on this scenario; EngineError when they no longer can."""
    engine.check(state)
    return engine.replay(state.persona or None, state.seed, [s.choice for s in state.path])


def adapt(engine: Engine, state: State) -> Adapted:
    """The place `state` has in this scenario, the best that still fits."""
    sc = engine.scenario
    if state.fingerprint == sc.fingerprint:
        engine.check(state)  # a save edited or damaged by hand: EngineError
        return Adapted(state, Fit.SAME)
    try:
        return Adapted(replayed(engine, state), Fit.REPLAYED)
    except EngineError:
        pass
    if (sc.personas or state.persona) and state.persona not in sc.personas:
        return Adapted(None, Fit.LOST)
    if state.scene not in sc.scenes:
        return Adapted(engine.start(state.persona or None, state.seed), Fit.RESTARTED)
    return Adapted(_kept(engine, state), Fit.KEPT)


def _kept(engine: Engine, state: State) -> State:
    """The same scene: values whose variable still exists with the same type,
    clamped to its bounds; new variables at their start; no path to go back on."""
    sc = engine.scenario
    fresh = engine.start(state.persona or None, state.seed)
    values = dict(fresh.vars)
    for name, value in state.vars.items():
        var = sc.variables.get(name)
        if var is not None and isinstance(value, bool) == isinstance(var.start, bool):
            values[name] = var.clamp(value)
    taken = frozenset(t for t in state.taken if _still_a_choice(engine, t))
    visits = {s: n for s, n in state.visits.items() if s in sc.scenes}
    return replace(
        fresh, scene=state.scene, vars=values, visits=visits, taken=taken, draws=state.draws, path=Path()
    )


def _still_a_choice(engine: Engine, tag: str) -> bool:
    scene, _, index = tag.rpartition("#")
    found = engine.scenario.scenes.get(scene)
    return found is not None and index.isdigit() and int(index) < len(found.choices)
