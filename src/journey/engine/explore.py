"""A bounded breadth-first search of every state a scenario can reach.

A state here is what the rules can tell apart: persona, scene, the variables
and visit counts that can change which choices are open or what a roll draws
(`relevant`; visit counts capped where larger ones compare alike), and the
once-choices taken. Variables that only change the words (a status shown, a
`{placeholder}`) do not multiply the states. Every roll outcome with a positive
weight is a possible successor. The search
stops at `max_states` and says so; then only structural answers (the scene
graph without conditions) are certain. The validator's reachability warnings
and `journey playtest --exhaustive` both read its result.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ..scenario.diagnostics import Diagnostic, Diagnostics
from ..scenario.expr import Binary, Expr, Lit, Unary, Var, Visits
from ..scenario.model import Choice, Effect, Scenario
from .core import apply, roll_weights

DEFAULT_MAX_STATES = 50_000

# (persona, scene, variable values, capped visits of read scenes, once-choices taken)
Key = tuple[str, str, tuple[int | bool, ...], tuple[int, ...], frozenset[str]]
# how a state was first reached: (parent state, scene, choice index, outcome, number shown)
Parent = tuple[int, str, int, int, int]


@dataclass(frozen=True)
class Route:
    """How to get somewhere: a persona and the choices (index, outcome) taken."""

    persona: str
    steps: tuple[tuple[str, int, int], ...]  # (scene, choice index, outcome or -1)
    numbers: tuple[int, ...] = ()  # what the player types at each step (hidden choices
    #                                 are not numbered, so it can differ from the index)

    @property
    def rolls(self) -> int:
        return sum(outcome >= 0 for _, _, outcome in self.steps)

    def describe(self, scenario: Scenario) -> str:
        if not self.steps:
            return "at the start" + (f" (persona `{self.persona}`)" if self.persona else "")
        words = []
        for scene, index, outcome in self.steps:
            choice = scenario.scenes[scene].choices[index]
            text = choice.text.source.strip().replace("\n", " ")
            if len(text) > 40:
                text = text[:39] + "…"
            words.append(f'"{text}"' + (f" (roll outcome {outcome + 1})" if outcome >= 0 else ""))
        who = f"as `{self.persona}`: " if self.persona else ""
        return who + " → ".join(words)


@dataclass
class Exploration:
    complete: bool
    states: int
    max_states: int
    scenes: dict[str, Route] = field(default_factory=dict)  # reached, with a shortest route
    endings: dict[str, Route] = field(default_factory=dict)
    choices: set[tuple[str, int]] = field(default_factory=set)  # ever available
    outcomes: set[tuple[str, int, int]] = field(default_factory=set)  # ever drawable
    stuck: dict[str, Route] = field(default_factory=dict)  # all choices hidden
    doomed: dict[str, Route] = field(default_factory=dict)  # no ending reachable
    variables: tuple[str, ...] = ()  # the variables states are told apart by
    visits: tuple[str, ...] = ()  # the scenes whose visit counts they are told apart by


def visited_scenes(scenario: Scenario) -> set[str]:
    """The scenes whose visit counts some expression reads."""
    return {t.scene for t in _trees(scenario) for t in _walk(t) if isinstance(t, Visits)}


def _trees(scenario: Scenario) -> Iterator[Expr]:
    for scene in scenario.scenes.values():
        for part in scene.text:
            if part.cond:
                yield part.cond.tree
        for choice in scene.choices:
            if choice.cond:
                yield choice.cond.tree
            for effect in choice.effects:
                yield effect.value.tree
            for outcome in choice.roll:
                yield outcome.weight.tree
                for effect in outcome.effects:
                    yield effect.value.tree


def _walk(tree: Expr) -> Iterator[Expr]:
    yield tree
    if isinstance(tree, Unary):
        yield from _walk(tree.operand)
    elif isinstance(tree, Binary):
        yield from _walk(tree.left)
        yield from _walk(tree.right)


def visit_cap(scenario: Scenario) -> int:
    """Visit counts above this are treated alike: no number in the scenario
    (literal or bound) is larger, so comparisons cannot tell them apart."""
    biggest = 1
    for tree in _trees(scenario):
        for t in _walk(tree):
            if isinstance(t, Lit) and isinstance(t.value, int) and not isinstance(t.value, bool):
                biggest = max(biggest, abs(t.value))
    for var in scenario.variables.values():
        for bound in (var.min, var.max):
            if bound is not None:
                biggest = max(biggest, abs(bound))
    return biggest + 1


COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})


def visit_caps(scenario: Scenario) -> dict[str, int]:
    """For each scene whose visits are read, the count above which they are
    treated alike. When every `visits("x")` is compared with a number
    (`visits("x") > 1`), any count above the largest such number compares the
    same way, so that number + 1 is enough; any other use falls back to
    `visit_cap`. This keeps counts that only say "been there" from multiplying
    the states."""
    caps: dict[str, int] = {}
    loose: set[str] = set()
    for tree in _trees(scenario):
        _caps_in(tree, caps, loose)
    fallback = visit_cap(scenario)
    return {scene: fallback if scene in loose else caps.get(scene, 1) for scene in visited_scenes(scenario)}


def _caps_in(tree: Expr, caps: dict[str, int], loose: set[str]) -> None:
    if isinstance(tree, Visits):
        loose.add(tree.scene)  # read outside a comparison with a number
    elif isinstance(tree, Unary):
        _caps_in(tree.operand, caps, loose)
    elif isinstance(tree, Binary):
        for one, other in ((tree.left, tree.right), (tree.right, tree.left)):
            number = _number(other)
            if tree.op in COMPARISONS and isinstance(one, Visits) and number is not None:
                caps[one.scene] = max(caps.get(one.scene, 1), abs(number) + 1)
                return
        _caps_in(tree.left, caps, loose)
        _caps_in(tree.right, caps, loose)


def _number(tree: Expr) -> int | None:
    if isinstance(tree, Lit) and type(tree.value) is int:
        return tree.value
    if (
        isinstance(tree, Unary)
        and tree.op == "-"
        and isinstance(tree.operand, Lit)
        and type(tree.operand.value) is int
    ):
        return -tree.operand.value
    return None


def relevant(scenario: Scenario) -> tuple[set[str], set[str]]:
    """The variables and the scenes' visit counts that can change what a player
    can do: read by a choice's `if` or a roll's weight, or by an effect on a
    variable that is itself relevant. The others (read only by text conditions
    and `{placeholders}`, or not at all) change the words, never the way on, so
    the search need not tell states apart by them."""
    control = [tree for tree, _ in _control(scenario)]
    effects = [(e.var, e.value.tree) for e in _effects(scenario)]
    variables: set[str] = set()
    scenes: set[str] = set()

    def read(tree: Expr) -> None:
        for t in _walk(tree):
            if isinstance(t, Var):
                variables.add(t.name)
            elif isinstance(t, Visits):
                scenes.add(t.scene)

    for tree in control:
        read(tree)
    size = -1
    while size != len(variables) + len(scenes):  # until no effect adds a name
        size = len(variables) + len(scenes)
        for var, tree in effects:
            if var in variables:
                read(tree)
    return variables, scenes


def _control(scenario: Scenario) -> Iterator[tuple[Expr, str]]:
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if choice.cond:
                yield choice.cond.tree, scene.id
            for outcome in choice.roll:
                yield outcome.weight.tree, scene.id


def _effects(scenario: Scenario) -> Iterator[Effect]:
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            yield from choice.effects
            for outcome in choice.roll:
                yield from outcome.effects


def explore(scenario: Scenario, max_states: int = DEFAULT_MAX_STATES) -> Exploration:
    names = list(scenario.variables)
    tracked, read_set = relevant(scenario)
    kept = [i for i, n in enumerate(names) if n in tracked]  # the values in a state's key
    read = sorted(read_set)
    by_scene = visit_caps(scenario)
    caps = [by_scene[s] for s in read]
    slot = {s: i for i, s in enumerate(read)}
    values_of, key_of = _getter(names), _getter(kept)  # dict -> all values; tuple -> kept
    tags = {sid: [f"{sid}#{c.index}" for c in scene.choices] for sid, scene in scenario.scenes.items()}
    personas = list(scenario.personas) or [""]
    keys: dict[Key, int] = {}
    parents: list[Parent] = []
    edges: list[list[int]] = []
    ending_states: list[int] = []
    queue: deque[int] = deque()
    states: list[Key] = []
    full: list[tuple[int | bool, ...]] = []  # every value of the state's first representative
    result = Exploration(
        complete=True,
        states=0,
        max_states=max_states,
        variables=tuple(names[i] for i in kept),
        visits=tuple(read),
    )

    def add(
        pid: str,
        scene: str,
        values: tuple[int | bool, ...],
        visits: tuple[int, ...],
        taken: frozenset[str],
        parent: Parent,
    ) -> int | None:
        key = (pid, scene, key_of(values), visits, taken)
        index = keys.get(key)
        if index is not None:
            return index
        if len(states) >= max_states:
            result.complete = False
            return None
        index = len(states)
        keys[key] = index
        states.append(key)
        full.append(values)
        parents.append(parent)
        edges.append([])
        queue.append(index)
        return index

    for pid in personas:
        values = {n: v.clamp(v.start) for n, v in scenario.variables.items()}
        if pid:
            values.update(scenario.personas[pid].set)
        start_visits = tuple(
            min(cap, 1 if s == scenario.start else 0) for s, cap in zip(read, caps, strict=True)
        )
        add(pid, scenario.start, values_of(values), start_visits, frozenset(), (-1, "", -1, -1, 0))

    while queue:
        index = queue.popleft()
        pid, sid, _, vis, taken = states[index]
        scene = scenario.scenes[sid]
        if sid not in result.scenes:
            result.scenes[sid] = _route(parents, index, pid)
        if scene.ending:
            ending_states.append(index)
            result.endings.setdefault(scene.ending, result.scenes[sid])
            continue
        values = dict(zip(names, full[index], strict=True))
        visits = dict(zip(read, vis, strict=True))
        any_open = False
        number = 0  # the player's number for it: hidden choices are skipped, locked counted
        for choice, tag in zip(scene.choices, tags[sid], strict=True):
            if choice.once and tag in taken:
                continue
            if choice.cond is not None and not choice.cond.fn(values, visits, pid):
                if choice.show_locked:
                    number += 1
                continue
            number += 1
            any_open = True
            result.choices.add((sid, choice.index))
            new_taken = taken | {tag} if choice.once else taken
            for outcome, target, new_values in _branches(scenario, choice, values, visits, pid):
                if outcome >= 0:
                    result.outcomes.add((sid, choice.index, outcome))
                at = slot.get(target)
                new_vis = vis if at is None else (*vis[:at], min(caps[at], vis[at] + 1), *vis[at + 1 :])
                child = add(
                    pid,
                    target,
                    values_of(new_values),
                    new_vis,
                    new_taken,
                    (index, sid, choice.index, outcome, number),
                )
                if child is not None:
                    edges[index].append(child)
        if not any_open:
            result.stuck.setdefault(sid, _route(parents, index, pid))
    result.states = len(states)
    if result.complete:
        _find_doomed(result, states, parents, edges, ending_states)
    return result


def _getter(keys: list[str] | list[int]) -> Callable[[Any], tuple[Any, ...]]:
    """A fast `lambda x: tuple(x[k] for k in keys)`."""
    if len(keys) > 1:
        return itemgetter(*keys)
    if len(keys) == 1:
        only = keys[0]
        return lambda x: (x[only],)
    return lambda x: ()


def _branches(
    scenario: Scenario, choice: Choice, values: dict[str, int | bool], visits: dict[str, int], pid: str
) -> list[tuple[int, str, dict[str, int | bool]]]:
    """Where a choice can lead: (roll outcome or -1, scene, values after)."""
    after = apply(scenario, choice.effects, values, visits, pid)
    if not choice.roll:
        return [(-1, choice.goto or "", after)]
    weights = roll_weights(choice.roll, after, visits, pid)
    branches = [
        (i, o.goto, apply(scenario, o.effects, after, visits, pid))
        for i, o in enumerate(choice.roll)
        if weights[i] > 0
    ]
    if not branches:  # every weight is 0: the first outcome is taken
        first = choice.roll[0]
        branches = [(0, first.goto, apply(scenario, first.effects, after, visits, pid))]
    return branches


def _route(parents: list[Parent], index: int, persona: str) -> Route:
    steps, numbers = [], []
    while parents[index][0] >= 0:
        parent, scene, choice, outcome, number = parents[index]
        steps.append((scene, choice, outcome))
        numbers.append(number)
        index = parent
    return Route(persona, tuple(reversed(steps)), tuple(reversed(numbers)))


def _find_doomed(
    result: Exploration,
    states: list[Key],
    parents: list[Parent],
    edges: list[list[int]],
    ending_states: list[int],
) -> None:
    """Mark the states from which no ending can be reached."""
    reverse: list[list[int]] = [[] for _ in states]
    for src, targets in enumerate(edges):
        for dst in targets:
            reverse[dst].append(src)
    good = [False] * len(states)
    queue = deque(ending_states)
    for i in ending_states:
        good[i] = True
    while queue:
        for src in reverse[queue.popleft()]:
            if not good[src]:
                good[src] = True
                queue.append(src)
    for index, ok in enumerate(good):  # BFS order: the first found is the shortest
        if not ok:
            pid, sid = states[index][0], states[index][1]
            result.doomed.setdefault(sid, _route(parents, index, pid))


def structure(scenario: Scenario) -> tuple[set[str], set[str]]:
    """The scenes reachable from the start, and the scenes that can reach an ending,
    in the scene graph with every condition taken as possibly true."""
    forward = {
        sid: {t for c in s.choices for t in c.targets if t in scenario.scenes}
        for sid, s in scenario.scenes.items()
    }
    reach: set[str] = set()
    todo = [scenario.start] if scenario.start in scenario.scenes else []
    while todo:
        sid = todo.pop()
        if sid not in reach:
            reach.add(sid)
            todo.extend(forward[sid])
    backward: dict[str, set[str]] = {sid: set() for sid in scenario.scenes}
    for sid, targets in forward.items():
        for t in targets:
            backward[t].add(sid)
    can_end: set[str] = set()
    todo = [sid for sid, s in scenario.scenes.items() if s.ending]
    while todo:
        sid = todo.pop()
        if sid not in can_end:
            can_end.add(sid)
            todo.extend(backward[sid])
    return reach, can_end


def reachability(
    scenario: Scenario, max_states: int = DEFAULT_MAX_STATES
) -> tuple[list[Diagnostic], Exploration]:
    """The validator's warnings about reachability, and the search they came from."""
    diags = Diagnostics()
    found = explore(scenario, max_states)
    reach, can_end = structure(scenario)
    scenes = scenario.scenes
    if found.complete:
        reached, ended = set(found.scenes), set(found.endings)
    else:
        reached = reach
        ended = {s.ending for sid, s in scenes.items() if s.ending and sid in reach}
        diags.add(
            _scenario_mark(scenario),
            "N300",
            f"the search of reachable states stopped "
            f"at {max_states:,} states, so only the scene graph was checked for "
            "reachability",
            "run `journey playtest --exhaustive --max-states N` with a larger N to search further",
        )
    for sid, scene in scenes.items():
        if sid not in reached:
            diags.add(
                scene.mark,
                "W210",
                f"no path from the start reaches the scene `{sid}`",
                "add a choice that leads here, or remove the scene",
            )
        elif sid not in can_end:
            diags.add(
                scene.mark,
                "W212",
                f"from the scene `{sid}` no ending can be reached",
                "give it, or the scenes after it, a way on to an ending",
            )
    for eid, ending in scenario.endings.items():
        if eid not in ended:
            diags.add(
                ending.mark,
                "W211",
                f"no path reaches the ending `{eid}`",
                "add a scene with `ending: " + eid + "` that a path reaches",
            )
    if found.complete:
        _exact(scenario, found, can_end, diags)
    return diags.sorted(), found


def _exact(scenario: Scenario, found: Exploration, can_end: set[str], diags: Diagnostics) -> None:
    for sid, route in found.doomed.items():
        if sid in can_end and sid not in found.stuck:
            diags.add(
                scenario.scenes[sid].mark,
                "W212",
                f"the scene `{sid}` can be reached in a state from which no ending can be reached",
                "players get stuck after: " + route.describe(scenario),
            )
    for sid, route in found.stuck.items():
        diags.add(
            scenario.scenes[sid].mark,
            "W216",
            f"every choice of the scene `{sid}` can be hidden at once",
            "it happens after: " + route.describe(scenario) + "; add a choice without an `if`",
        )
    for sid in found.scenes:
        for choice in scenario.scenes[sid].choices:
            if (sid, choice.index) not in found.choices:
                diags.add(
                    choice.mark,
                    "W213",
                    f"choice {choice.index + 1} of `{sid}` can "
                    "never be taken: its condition is never true when the scene "
                    "is shown",
                    "check the condition against the variables' starts, bounds and effects",
                )
                continue
            for i, outcome in enumerate(choice.roll):
                if (sid, choice.index, i) not in found.outcomes:
                    diags.add(
                        outcome.mark,
                        "W215",
                        f"roll outcome {i + 1} of choice "
                        f"{choice.index + 1} of `{sid}` is never drawn: its weight "
                        "is never above 0",
                        "give it a positive weight, or remove it",
                    )


def _scenario_mark(scenario: Scenario):  # type: ignore[no-untyped-def]
    from ..scenario.diagnostics import Mark
    from ..scenario.loader import display_path

    return Mark(display_path(scenario.path), 1, 1)
