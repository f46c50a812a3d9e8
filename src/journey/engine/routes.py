"""The checker's journeys, played by the real engine: replayed to be sure they
are true, and shortened before anyone reads them.

A journey found by a random or aimed search wanders (round a loop a few times,
back and forth between scenes). `shorten` cuts out what it can do without,
checking each cut by playing the journey with the engine, so what is shown
always plays by the rules. Every journey the checker prints (playtest's
replay lines, the validator's soft-lock and stuck warnings) goes through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .core import Engine, EngineError
from .explore import Route
from .state import State

SHORTEN_WORK = 200_000  # choices replayed to shorten one journey, at most
Step = tuple[str, int, int]  # (scene, choice index, roll outcome or -1)


def play(engine: Engine, state: State, steps: Sequence[Step]) -> tuple[list[State], list[int]] | None:
    """The states after each step from `state` (outcomes as given; `state` first),
    and the number the player types at each; None if a step cannot be taken."""
    states, numbers = [state], []
    try:
        for scene, index, outcome in steps:
            if state.scene != scene:
                return None
            shown = [c.number for c in engine.view(state).choices if c.index == index and c.available]
            if not shown:
                return None
            numbers.append(shown[0])
            state = engine.choose(state, index, outcome if outcome >= 0 else None).state
            states.append(state)
    except EngineError:
        return None
    return states, numbers


def replay(engine: Engine, route: Route) -> State | None:
    """Where the route ends when the engine plays it from the start, or None if
    it does not play by the rules (or its numbers are not the ones shown)."""
    played = play(engine, engine.start(route.persona or None, 0), route.steps)
    if played is None or (route.numbers and tuple(played[1]) != route.numbers):
        return None
    return played[0][-1]


def shorten(engine: Engine, route: Route, still: Callable[[State], bool], work: int = SHORTEN_WORK) -> Route:
    """The route with the loops cut out that it can do without: wherever it comes
    back to a scene it was in before, the steps in between are dropped when the
    rest still plays by the rules and its last state is still `still`. The
    farthest return is tried first (the biggest cut, and the cheapest to
    check); at most `work` choices are replayed. A route that does not play at
    all is returned as it is (the caller's replay says so)."""
    steps = list(route.steps)
    played = play(engine, engine.start(route.persona or None, 0), steps)
    if played is None:
        return route
    states, numbers = played
    i = 0
    while i < len(steps) and work > 0:
        scene = steps[i][0]
        for j in range(len(steps) - 1, i, -1):
            if steps[j][0] != scene:
                continue
            work -= len(steps) - j
            tried = play(engine, states[i], steps[j:])
            if tried is not None and still(tried[0][-1]):
                steps = steps[:i] + steps[j:]
                states = states[:i] + tried[0]
                numbers = numbers[:i] + tried[1]
                break
            if work <= 0:
                break
        i += 1
    if len(steps) == len(route.steps):
        return route
    return Route(route.persona, tuple(steps), tuple(numbers))
