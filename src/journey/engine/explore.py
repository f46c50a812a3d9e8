"""The witness search: concrete journeys that show what can happen.

A state here is what the rules can tell apart: persona, scene, the variables
and visit counts that can change which choices are open or what a roll draws
(`relevant`; visit counts capped where larger ones compare alike), and the
once-choices taken. Variables that only change the words (a status shown, a
`{placeholder}`) do not multiply the states. Every roll outcome with a positive
weight is a possible successor.

`Search` first goes breadth-first, so what it finds early comes with a
shortest route; when that does not finish within a share of its budget it
turns to a best-first search aimed at what is still unshown (the scenes
nearest to it in the scene graph first). Each state keeps only its parent, so
memory grows with the number of states, never with the length of the routes.
"""

from __future__ import annotations

import copy
import heapq
import random
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from ..scenario.expr import Binary, Evaluator, Expr, Lit, Unary, Var, Visits, compile_expr, nodes
from ..scenario.model import Choice, Effect, Scenario, branch_trees, expression_trees
from .abstract import INF
from .ahead import Layout, Needs, requirements
from .core import apply, resolve, roll_weights
from .state import State

DEFAULT_MAX_STATES = 50_000
BREADTH_SHARE = 4  # the breadth-first phase may use 1/4 of the budget
WALK_STEPS = 2_000  # choices in one random journey at most
AIMS = (0.5, 0.75, 0.9, 1.0)  # how often a random journey steps towards what is wanted
RECHECK = 1_024  # states expanded best-first between two looks at what is still wanted
NEAR = 12  # choices back from a wanted node where a journey aimed at it may start
NEAR_STATES = 16  # kept states weighed at each node on the way back
TRIES = 2  # journeys that reach a wanted node in vain before others are aimed at first
PATIENCE = 8  # rounds of random journeys that find nothing new before they stop
ELITE = 32  # journeys that came closest, to start from again
WORK_FACTOR = 4  # the search computes ways on from at most this many times max_states states
GOALS_WEIGHED = 8  # conditions at one node a state is measured against, at most
WALK_ROUND = 16  # random journeys between two looks at what is still wanted
AIM_STATES = 20_000  # states one aimed search may hold (apart from the kept ones)
AIM_STONES = 64  # kept states an aimed search starts from: those nearest its target

# (persona, scene, variable values, capped visits of read scenes, once-choices taken)
Key = tuple[str, str, tuple[int | bool, ...], tuple[int, ...], frozenset[str]]
# how a state was first reached: (parent state, scene, choice index, outcome, number shown)
Parent = tuple[int, str, int, int, int]
NO_PARENT: Parent = (-1, "", -1, -1, 0)
Node = tuple[str, str]  # (persona, scene)
Goal = tuple[Expr, bool]  # a condition wanted true (or false), or a weight wanted above 0 (True)
Goals = dict[Node, list[Goal]]  # where something is still to be shown, and the conditions wanted there
# a state of an aimed search: (scene, values, visits, once-choices taken, its parent
# there, how it was reached, the kept state it is or -1)
AimState = tuple[str, tuple[int | bool, ...], tuple[int, ...], frozenset[str], int, Parent, int]
# a way on from a state, not yet added: (scene, values, visits, once-choices taken, how)
Way = tuple[str, tuple[int | bool, ...], tuple[int, ...], frozenset[str], Parent]


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


def visited_scenes(scenario: Scenario) -> set[str]:
    """The scenes whose visit counts some expression reads."""
    return {
        t.scene
        for t in expression_trees(scenario, text=True, facts=False)
        for t in nodes(t)
        if isinstance(t, Visits)
    }


def visit_cap(scenario: Scenario) -> int:
    """Visit counts above this are treated alike: no number in the scenario
    (literal or bound) is larger, so comparisons cannot tell them apart."""
    biggest = 1
    for tree in expression_trees(scenario, text=True, facts=False):
        for t in nodes(tree):
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
    for tree in expression_trees(scenario, text=True, facts=False):
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
        for t in nodes(tree):
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
            for tree in branch_trees(choice.branches):
                yield tree, scene.id
            for outcome in choice.roll:
                yield outcome.weight.tree, scene.id
                for tree in branch_trees(outcome.branches):
                    yield tree, scene.id


def _effects(scenario: Scenario) -> Iterator[Effect]:
    for scene in scenario.scenes.values():
        yield from scene.enter
        for choice in scene.choices:
            yield from choice.effects
            for outcome in choice.roll:
                yield from outcome.effects


class Search:
    """Concrete states, each with its parent, found within a budget of `max_states`.

    `first_*` map what was shown (a scene reached, a choice open, ...) to the
    first state that shows it; `route(index)` walks the parents back."""

    def __init__(self, scenario: Scenario, max_states: int = DEFAULT_MAX_STATES) -> None:
        self.scenario = scenario
        self.max_states = max_states
        self.max_work = WORK_FACTOR * max_states
        self.names = list(scenario.variables)
        tracked, read_set = relevant(scenario)
        kept = [i for i, n in enumerate(self.names) if n in tracked]
        self.variables = tuple(self.names[i] for i in kept)
        self.read = sorted(read_set)
        by_scene = visit_caps(scenario)
        self.caps = [by_scene[s] for s in self.read]
        self.slot = {s: i for i, s in enumerate(self.read)}
        self.values_of, self.key_of = _getter(self.names), _getter(kept)
        self.tags = {sid: [f"{sid}#{c.index}" for c in s.choices] for sid, s in scenario.scenes.items()}
        self._layout: Layout | None = None
        self._reset()

    @property
    def layout(self) -> Layout:
        """The slots of a state, for the road ahead (`ahead.requirements`)."""
        if self._layout is None:
            self._layout = Layout(self.scenario, self.names, self.read, self.caps)
        return self._layout

    def _reset(self) -> None:
        self.keys: dict[Key, int] = {}
        self.states: list[Key] = []
        self.full: list[tuple[int | bool, ...]] = []  # every value of the state's first representative
        self.parents: list[Parent] = []
        self.depth: list[int] = []
        self.edges: list[list[int]] = []
        self.expanded = 0
        self.work = 0  # states whose ways on were computed, counting repeats
        self.done: set[int] = set()  # expanded
        self.cut: set[int] = set()  # expanded, but some successor did not fit in the budget
        self._by_node: dict[Node, list[int]] = {}  # see `at`
        self._indexed = 0
        self.exhausted = False  # the budget was hit
        self.first_scene: dict[str, int] = {}
        self.first_ending: dict[str, int] = {}
        self.first_choice: dict[tuple[str, int], int] = {}
        self.first_outcome: dict[tuple[str, int, int], int] = {}
        self.first_stuck: dict[str, int] = {}
        self.ending_states: list[int] = []
        self.fresh: list[int] = []  # added, not yet expanded (in order)

    # -- states -------------------------------------------------------------------------
    def start_all(self) -> None:
        sc = self.scenario
        for pid in list(sc.personas) or [""]:
            values = {n: v.clamp(v.start) for n, v in sc.variables.items()}
            if pid:
                values.update(sc.personas[pid].set)
            visits = tuple(
                min(cap, 1 if s == sc.start else 0) for s, cap in zip(self.read, self.caps, strict=True)
            )
            values = _enter(sc, sc.start, values, self.read, visits, pid)
            self.add(pid, sc.start, self.values_of(values), visits, frozenset(), NO_PARENT)

    def add(
        self,
        pid: str,
        scene: str,
        values: tuple[int | bool, ...],
        visits: tuple[int, ...],
        taken: frozenset[str],
        parent: Parent,
    ) -> int | None:
        key = (pid, scene, self.key_of(values), visits, taken)
        index = self.keys.get(key)
        if index is not None:
            return index
        if len(self.states) >= self.max_states:
            self.exhausted = True
            return None
        index = len(self.states)
        self.keys[key] = index
        self.states.append(key)
        self.full.append(values)
        self.parents.append(parent)
        self.depth.append(self.depth[parent[0]] + 1 if parent[0] >= 0 else 0)
        self.edges.append([])
        self.fresh.append(index)
        self.first_scene.setdefault(scene, index)
        ending = self.scenario.scenes[scene].ending
        if ending:
            self.first_ending.setdefault(ending, index)
        return index

    def expand(self, index: int) -> list[int]:
        """Add the states one choice away; record the choices open and the outcomes drawn."""
        self.expanded += 1
        self.done.add(index)
        if self.scenario.scenes[self.states[index][1]].ending:
            self.ending_states.append(index)
            return []
        pid = self.states[index][0]
        children = self.edges[index]
        for target, values, visits, taken, parent in self.successors(index):
            child = self.add(pid, target, values, visits, taken, parent)
            if child is not None:
                children.append(child)
            else:
                self.cut.add(index)
        return children

    def successors(self, index: int) -> list[Way]:
        """The states one choice away from a kept state, not yet added (see `ways`)."""
        pid, sid, _, vis, taken = self.states[index]
        return self.ways(pid, sid, self.full[index], vis, taken, index)[0]

    def ways(
        self,
        pid: str,
        sid: str,
        full: tuple[int | bool, ...],
        vis: tuple[int, ...],
        taken: frozenset[str],
        index: int,
    ) -> tuple[list[Way], bool]:
        """The states one choice away: (scene, values, visits, once-choices taken, how).
        For a kept state (`index` >= 0) records the choices open, the outcomes drawn
        and a stuck scene; for one not kept (-1) only says whether any of that is new."""
        self.work += 1
        scene = self.scenario.scenes[sid]
        if scene.ending:
            return [], False
        values = dict(zip(self.names, full, strict=True))
        visits = dict(zip(self.read, vis, strict=True))
        out = []
        news = False
        number = 0  # the player's number for it: hidden choices are skipped, locked counted
        for choice, tag in zip(scene.choices, self.tags[sid], strict=True):
            if choice.once and tag in taken:
                number += 1  # hidden, but it keeps its number so the others keep theirs (as play does)
                continue
            if choice.cond is not None and not choice.cond.fn(values, visits, pid):
                if choice.show_locked:
                    number += 1
                continue
            number += 1
            news |= self._note(self.first_choice, (sid, choice.index), index)
            new_taken = taken | {tag} if choice.once else taken
            for outcome, target, new_values in _branches(self.scenario, choice, values, visits, pid):
                if outcome >= 0:
                    news |= self._note(self.first_outcome, (sid, choice.index, outcome), index)
                at = self.slot.get(target)
                new_vis = vis if at is None else (*vis[:at], min(self.caps[at], vis[at] + 1), *vis[at + 1 :])
                new_values = _enter(self.scenario, target, new_values, self.read, new_vis, pid)
                how = (index, sid, choice.index, outcome, number)
                out.append((target, self.values_of(new_values), new_vis, new_taken, how))
        if not out:
            news |= self._note(self.first_stuck, sid, index)
        return out, news

    @staticmethod
    def _note(first: dict[Any, int], key: Any, index: int) -> bool:
        if key in first:
            return False
        if index >= 0:
            first[key] = index
        return True

    def _commit(self, pid: str, index: int, trail: list[Way]) -> int | None:
        """Keep the states of a journey's trail, from the kept state `index` on."""
        for target, values, vis, taken, how in trail:
            got = self.add(pid, target, values, vis, taken, (index, *how[1:]))
            if got is None:
                return None
            index = got
        return index

    # -- strategies ---------------------------------------------------------------------
    def breadth_first(self, limit: int) -> bool:
        """Expand in the order found, up to `limit` states; True if every reachable state was seen."""
        if not self.states:
            self.start_all()
        queue = deque(self.fresh)
        self.fresh = []
        while queue:
            if len(self.states) >= limit:
                self.fresh = list(queue)
                return False
            self.expand(queue.popleft())
            queue.extend(self.fresh)
            self.fresh = []
        return not self.exhausted

    def best_first(self, wanted: Callable[[], Goals], pred: dict[Node, set[Node]], limit: int) -> None:
        """Expand first the states nearest to what `wanted()` names (then those whose
        values come closest to the conditions wanted there, then shallower ones),
        until the budget is spent, nothing is wanted, or nothing left can lead to
        it. Distances are recomputed when what is wanted changes."""
        frontier, self.fresh = self.fresh, []
        states = self.states
        while len(states) < limit:
            goals = wanted()
            if not goals:
                return
            guide = Guide(self, goals, pred)
            heap = [guide.rank(i) for i in frontier]
            heapq.heapify(heap)
            changed, since = False, 0
            while heap and heap[0][0] < _FAR and len(states) < limit and self.work < self.max_work:
                index = heapq.heappop(heap)[-1]
                if index in self.done:
                    continue
                self.expand(index)
                for child in self.fresh:
                    heapq.heappush(heap, guide.rank(child))
                self.fresh = []
                since += 1
                if since >= RECHECK:
                    since = 0
                    if guide.stale(wanted()):
                        changed = True
                        break
            frontier = [entry[-1] for entry in heap]
            if not changed:
                break
        self.fresh = frontier  # for a later phase

    def random_walks(
        self, wanted: Callable[[], Goals], pred: dict[Node, set[Node]], rng: random.Random, limit: int
    ) -> None:
        """Journeys from the start, each step towards what is still wanted most of the
        time (the nearest scene, then the values closest to its conditions) and
        anywhere open otherwise, until `limit` states, nothing is wanted, or rounds
        of journeys find nothing new. A journey's states are kept only up to
        where it shows something new. Random journeys find the combinations of values a systematic
        search would take too long to reach."""
        if not self.states:
            self.start_all()
        starts = {self.states[i][0]: i for i in range(len(self.states)) if self.parents[i][0] < 0}
        steps = max(WALK_STEPS, 4 * len(self.scenario.scenes))
        guide: Guide | None = None
        elite: list[tuple[int, int, int]] = []  # (distance, miss, state): the closest journeys came
        before, idle = -1, 0
        tries: dict[Node, int] = {}  # journeys that reached a wanted node and found nothing there
        cap = TRIES
        while len(self.states) < limit and self.work < self.max_work:
            every = wanted()
            idle = idle + 1 if len(self.states) == before else 0
            if not every or idle >= PATIENCE:
                return  # nothing wanted, or rounds of journeys found nothing new
            goals = {n: g for n, g in every.items() if tries.get(n, 0) < cap}
            while not goals:  # every goal tried often: try them all again, twice as often
                cap *= 2
                goals = {n: g for n, g in every.items() if tries.get(n, 0) < cap}
            if guide is None or guide.stale(goals):
                guide = Guide(self, goals, pred)
                elite = [(*guide.rank(i)[:2], i) for _, _, i in elite]
            before = len(self.states)
            personas = {pid for pid, _ in goals if pid in starts} or set(starts)
            hard = sorted(n for n, g in goals.items() if g)
            for _ in range(WALK_ROUND):
                aim = rng.choice(AIMS)
                near = [e for e in elite if self.states[e[2]][0] in personas]
                luck = rng.random()
                found = self._near(rng.choice(hard), guide, pred) if hard and luck < 0.5 else None
                if found is not None:
                    index = found
                elif near and luck < 0.75:
                    index = rng.choice(near)[2]
                else:
                    index = starts[rng.choice(sorted(personas))]
                kept = self._walk(index, guide, aim, steps, rng, tries)
                if kept is None or len(self.states) >= limit or self.work >= self.max_work:
                    return
                elite = sorted({*elite, (*guide.rank(kept)[:2], kept)})[:ELITE]

    def _near(self, target: Node, guide: Guide, pred: dict[Node, set[Node]]) -> int | None:
        """A kept state a few choices before `target` whose values come closest to
        what is wanted there (a place to start a journey aimed at it)."""
        seen, ring = {target}, [target]
        best: tuple[int, int] | None = None
        for _ in range(NEAR):
            for node in ring:
                for i in self.at(node)[-NEAR_STATES:]:
                    miss = guide.miss(target, self.full[i], self.states[i][3])
                    if best is None or miss < best[0]:
                        best = (miss, i)
            if best is not None and best[0] == 0:
                break
            ring = [p for node in ring for p in pred.get(node, ()) if p not in seen]
            seen.update(ring)
        return None if best is None else best[1]

    def _walk(
        self, index: int, guide: Guide, aim: float, steps: int, rng: random.Random, tries: dict[Node, int]
    ) -> int | None:
        """One random journey from a kept state. Its states are kept only up to where
        it shows something new; returns the last kept state (None: budget spent)."""
        pid, sid, _, vis, taken = self.states[index]
        state = (pid, sid, self.full[index], vis, taken)
        trail: list[Way] = []
        for _ in range(steps):
            ways, news = self.ways(*state, -1 if trail else index)
            if news:  # keep the way here, then record what is new with the kept state
                got = self._commit(pid, index, trail)
                if got is None:
                    return None
                index, trail = got, []
                ways, _ = self.ways(*state, index)
            elif guide.goals.get((pid, state[1])):  # came for a condition here, and it does not hold
                tries[pid, state[1]] = tries.get((pid, state[1]), 0) + 1
                break
            if not ways or self.work >= self.max_work:
                break
            if len(ways) > 1 and rng.random() < aim:
                ways = guide.best(pid, ways)
            way = rng.choice(ways)
            trail.append(way)
            state = (pid, way[0], way[1], way[2], way[3])
            if way[0] not in self.first_scene:
                got = self._commit(pid, index, trail)
                if got is None:
                    return None
                index, trail = got, []
        return index

    def aim(
        self,
        target: Node,
        goals: list[Goal],
        pred: dict[Node, set[Node]],
        settled: Callable[[], bool],
        work: int,
        stones: bool = False,
        margin: int = 0,
        ahead: bool = True,
    ) -> None:
        """A best-first search from the start for a state at `target` where one of
        `goals` holds, until `settled()`, `work` more states' ways on are computed,
        or no state left can lead there. With `ahead`, the road ahead is weighed
        (`ahead.requirements`, back to the furthest state it starts from): a state
        from which no goal can be met any more is dropped, the others are ranked by
        the fewest choices their values allow to `target`; without it, by how many
        choices they are from `target`. Either way plus how far their values are
        from a goal now (a branch distance), fewer misses first on a tie: a choice
        that loops back but moves a value towards the goal (another day of work)
        is as good as a step nearer, so a counter is raised until it is enough.
        Its states are kept apart; a journey is kept only up to where it shows
        something new."""
        if not self.states:
            self.start_all()
        dist, _ = distances([target], pred)
        pid = target[0]
        names, read = self.names, self.read
        wanted = goals[:GOALS_WEIGHED]

        def miss(full: tuple[int | bool, ...], vis: tuple[int, ...]) -> int:
            if not wanted:
                return 0
            env = (dict(zip(names, full, strict=True)), dict(zip(read, vis, strict=True)), pid)
            return min(_miss(tree, positive, env, margin) for tree, positive in wanted)

        # a state of this search: (scene, values, visits, once-choices taken, its
        # parent here, how it was reached, the kept state it is, or -1)
        found: list[AimState] = []
        seen: set[tuple[str, tuple[int | bool, ...], tuple[int, ...], frozenset[str]]] = set()
        heap: list[tuple[int, int, int]] = []
        needs: Needs | None = None

        def push(
            sid: str,
            full: tuple[int | bool, ...],
            vis: tuple[int, ...],
            taken: frozenset[str],
            parent: int,
            how: Parent,
            kept: int,
        ) -> None:
            far = dist.get((pid, sid))
            key = (sid, self.key_of(full), vis, taken)
            if far is None or key in seen:
                return
            seen.add(key)
            rank = far if needs is None else needs.rank((pid, sid), full, vis)
            if rank >= INF:
                return  # the road ahead cannot give what the target needs
            m = miss(full, vis)
            heapq.heappush(heap, (rank + m, m, len(found)))
            found.append((sid, full, vis, taken, parent, how, kept))

        near = [(dist.get(self.states[i][:2]), i) for i in self._stepping_stones(pid, stones)]
        starts = sorted((d, i) for d, i in near if d is not None)[:AIM_STONES]
        if ahead and wanted and starts:  # what the road ahead needs, back to the furthest start
            needs = requirements(self.layout, target, wanted, pred, dist, margin, starts[-1][0])
        for _, i in starts:
            _, sid, _, vis, taken = self.states[i]
            push(sid, self.full[i], vis, taken, -1, NO_PARENT, i)
        stop = min(self.max_work, self.work + work)
        while heap and self.work < stop and len(found) < AIM_STATES:
            at = heapq.heappop(heap)[-1]
            sid, full, vis, taken, _, _, kept = found[at]
            ways, news = self.ways(pid, sid, full, vis, taken, kept)
            if news and kept < 0:
                now_kept = self._keep(pid, found, at)
                if now_kept is None:
                    return
                self.ways(pid, sid, full, vis, taken, now_kept)
            if news and settled():
                return
            for target_sid, values, visits, new_taken, how in ways:
                push(target_sid, values, visits, new_taken, at, how, -1)

    def _stepping_stones(self, pid: str, stones: bool) -> set[int]:
        """Where an aimed search starts: the persona's start, and every kept state that
        first showed something (a scene, a choice open, an outcome drawn). A state
        where a choice first opened is one where its condition holds (a share can be
        bought after long work), so what needs that choice's effects (the money the
        share brings) is a few choices from there, however far from the start."""
        firsts = (self.first_scene, self.first_choice, self.first_outcome) if stones else ()
        found = {i for first in firsts for i in first.values() if self.states[i][0] == pid}
        starts = range(len(self.states))
        found.update(i for i in starts if self.parents[i][0] < 0 and self.states[i][0] == pid)
        return found

    def _keep(self, pid: str, found: list[AimState], at: int) -> int | None:
        """Keep an aimed search's state and the ones before it, back to a kept one
        (each marked kept, so a later journey through them stops there)."""
        chain = []
        while found[at][6] < 0:
            chain.append(at)
            at = found[at][4]
        kept = found[at][6]
        for i in reversed(chain):
            sid, full, vis, taken, parent, how, _ = found[i]
            got = self.add(pid, sid, full, vis, taken, (kept, *how[1:]))
            if got is None:
                return None
            kept = got
            found[i] = (sid, full, vis, taken, parent, how, kept)
        return kept

    def all_at(self, nodes: set[Node], limit: int) -> list[int] | None:
        """Every state at `nodes` (which must hold every node that can lead to them),
        expanding those not yet expanded, up to `limit` more states; None if they
        do not all fit."""
        stop = len(self.states) + limit
        found = [i for node in nodes for i in self.at(node)]
        todo = deque(i for i in found if i not in self.done)
        while todo:
            if len(self.states) >= stop:
                return None
            index = todo.popleft()
            if index in self.done:
                continue
            children = self.expand(index)
            self.fresh = []
            for c in children:
                if self.states[c][:2] in nodes and c not in self.done:
                    found.append(c)
                    todo.append(c)
        found = sorted(set(found))
        if any(i in self.cut or i not in self.done for i in found):
            return None
        return found

    def at(self, node: Node) -> list[int]:
        """The states found at a (persona, scene), in the order found."""
        if self._indexed < len(self.states):
            for i in range(self._indexed, len(self.states)):
                self._by_node.setdefault(self.states[i][:2], []).append(i)
            self._indexed = len(self.states)
        return self._by_node.get(node, [])

    def situation(self, state: State) -> Key:
        """The key of a game state as the search tells states apart: two states with
        the same key open the same choices and draw the same outcomes from then on."""
        values = tuple(state.vars[n] for n in self.names)
        visits = tuple(min(cap, state.visits.get(s, 0)) for s, cap in zip(self.read, self.caps, strict=True))
        return (state.persona, state.scene, self.key_of(values), visits, state.taken)

    def route(self, index: int) -> Route:
        pid = self.states[index][0]
        steps, numbers = [], []
        parents = self.parents
        while parents[index][0] >= 0:
            parent, scene, choice, outcome, number = parents[index]
            steps.append((scene, choice, outcome))
            numbers.append(number)
            index = parent
        return Route(pid, tuple(reversed(steps)), tuple(reversed(numbers)))

    def doomed(self) -> dict[str, int]:
        """After a search that saw every state: per scene, the first state from which
        no ending can be reached."""
        found: dict[str, int] = {}
        for index, ok in enumerate(self.can_end()):  # breadth-first order: the first is the shortest
            if not ok:
                found.setdefault(self.states[index][1], index)
        return found

    def can_end(self) -> bytearray:
        """After a search that saw every state: for each state, 1 if an ending can be
        reached from it (backwards from the endings along the ways found)."""
        reverse: list[list[int]] = [[] for _ in self.states]
        for src, targets in enumerate(self.edges):
            for dst in targets:
                reverse[dst].append(src)
        good = bytearray(len(self.states))
        queue = deque(self.ending_states)
        for i in self.ending_states:
            good[i] = 1
        while queue:
            for src in reverse[queue.popleft()]:
                if not good[src]:
                    good[src] = 1
                    queue.append(src)
        return good

    def ends_from(self, indices: list[int], limit: int) -> list[bool] | None:
        """For each of these kept states, whether an ending can be reached from it, by
        one complete search from all of them; None when `limit` states were not
        enough to see every state they lead to."""
        sub = self._sub(limit)
        roots = []
        for index in indices:
            pid, sid, _, vis, taken = self.states[index]
            root = sub.add(pid, sid, self.full[index], vis, taken, NO_PARENT)
            if root is None:
                return None
            roots.append(root)
        if not sub.breadth_first(limit):
            return None
        good = sub.can_end()
        return [bool(good[root]) for root in roots]

    def _sub(self, limit: int) -> Search:
        """A search of the same scenario and state layout, with none of the states."""
        sub = copy.copy(self)
        sub.max_states, sub.max_work = limit, WORK_FACTOR * limit
        sub._reset()
        return sub

    def can_end_from(self, index: int, limit: int) -> bool | None:
        """Whether an ending can be reached from a state: True, False, or None when
        `limit` states were not enough to tell."""
        sub = self._sub(limit)
        pid, sid, _, vis, taken = self.states[index]
        sub.add(pid, sid, self.full[index], vis, taken, NO_PARENT)
        complete = sub.breadth_first(limit)
        if sub.first_ending:
            return True
        return False if complete else None


_FAR = 1 << 30


def distances(
    targets: Iterable[Node], pred: dict[Node, set[Node]]
) -> tuple[dict[Node, int], dict[Node, Node]]:
    """How many choices each (persona, scene) is from the nearest target in the scene
    graph, and which target that is."""
    dist = {t: 0 for t in targets}
    label = {t: t for t in dist}
    queue = deque(dist)
    while queue:
        node = queue.popleft()
        d = dist[node] + 1
        for p in pred.get(node, ()):
            if p not in dist:
                dist[p] = d
                label[p] = label[node]
                queue.append(p)
    return dist, label


class Guide:
    """Where the search should go: the nodes wanted, how far each node is from the
    nearest, and how far a state's values are from the conditions wanted there
    (a branch distance: 0 when the condition holds, more the further it is)."""

    def __init__(self, search: Search, goals: Goals, pred: dict[Node, set[Node]]) -> None:
        self.search, self.goals = search, goals
        self.size = sum(map(len, goals.values())) + len(goals)
        self.dist, self.label = distances(goals, pred)

    def stale(self, goals: Goals) -> bool:
        return goals.keys() != self.goals.keys() or sum(map(len, goals.values())) + len(goals) != self.size

    def miss(self, node: Node, values: tuple[int | bool, ...], visits: tuple[int, ...]) -> int:
        wanted = self.goals.get(self.label.get(node, node), ())
        if not wanted:
            return 0
        s = self.search
        env = (dict(zip(s.names, values, strict=True)), dict(zip(s.read, visits, strict=True)), node[0])
        return min(_miss(tree, positive, env) for tree, positive in wanted[:GOALS_WEIGHED])

    def rank(self, index: int) -> tuple[int, int, int, int]:
        s = self.search
        node = s.states[index][:2]
        far = self.dist.get(node, _FAR)
        miss = self.miss(node, s.full[index], s.states[index][3]) if far < _FAR else 0
        return (far, miss, s.depth[index], index)

    def best(self, pid: str, ways: list[Way]) -> list[Way]:
        """The ways that lead nearest to what is wanted, and closest to its conditions."""
        far = [self.dist.get((pid, w[0]), _FAR) for w in ways]
        least = min(far)
        ways = [w for w, f in zip(ways, far, strict=True) if f == least]
        if len(ways) < 2 or least >= _FAR:
            return ways
        misses = [self.miss((pid, w[0]), w[1], w[2]) for w in ways]
        low = min(misses)
        return [w for w, m in zip(ways, misses, strict=True) if m == low]


_NOT = {"<": ">=", ">=": "<", ">": "<=", "<=": ">", "==": "!=", "!=": "=="}
# compiled once per tree; the tree is kept with it, since an id is reused once its
# object is gone (a tree of an earlier scenario would lend its evaluator to another)
_EVALUATORS: dict[int, tuple[Expr, Evaluator]] = {}


def _value(tree: Expr, env: tuple[dict[str, Any], dict[str, int], str]) -> Any:
    cached = _EVALUATORS.get(id(tree))
    if cached is None or cached[0] is not tree:
        cached = _EVALUATORS[id(tree)] = (tree, compile_expr(tree))
    return cached[1](*env)


def _miss(tree: Expr, want: bool, env: tuple[dict[str, Any], dict[str, int], str], margin: int = 0) -> int:
    """How far `tree` is from being `want` (for a weight, `want` means above 0).
    With a `margin`, an order comparison counts as met only with that much to
    spare (so a search keeps more money than the condition asks, for what costs
    money after)."""
    try:
        return _distance(tree, want, env, margin)
    except (RecursionError, TypeError):
        return 0


def _distance(tree: Expr, want: bool, env: tuple[dict[str, Any], dict[str, int], str], margin: int) -> int:
    if isinstance(tree, Unary) and tree.op == "not":
        return _distance(tree.operand, not want, env, margin)
    if isinstance(tree, Binary) and tree.op in ("and", "or"):
        a, b = _distance(tree.left, want, env, margin), _distance(tree.right, want, env, margin)
        return a + b if (tree.op == "and") == want else min(a, b)
    if isinstance(tree, Binary) and tree.op in _NOT:
        op = tree.op if want else _NOT[tree.op]
        a, b = _value(tree.left, env), _value(tree.right, env)
        if not (type(a) is int and type(b) is int):
            return 0 if (a == b) == (op == "==") else 1
        if op in ("<", "<="):
            return max(0, a - b + (op == "<") + margin)
        if op in (">", ">="):
            return max(0, b - a + (op == ">") + margin)
        return abs(a - b) if op == "==" else int(a == b)
    value = _value(tree, env)
    if type(value) is int:  # a weight: wanted above 0
        return max(0, 1 - value)
    return 0 if bool(value) == want else 1


def _getter(keys: list[str] | list[int]) -> Callable[[Any], tuple[Any, ...]]:
    """A fast `lambda x: tuple(x[k] for k in keys)`."""
    if len(keys) > 1:
        return itemgetter(*keys)
    if len(keys) == 1:
        only = keys[0]
        return lambda x: (x[only],)
    return lambda x: ()


def _enter(
    scenario: Scenario,
    target: str,
    values: dict[str, int | bool],
    read: list[str],
    visits: tuple[int, ...],
    pid: str,
) -> dict[str, int | bool]:
    """The values after the scene's `enter` effects (format 1.1), which see the
    visit counts with this entry counted, as in play."""
    enter = scenario.scenes[target].enter
    if not enter:
        return values
    return apply(scenario, enter, values, dict(zip(read, visits, strict=True)), pid)


def _branches(
    scenario: Scenario, choice: Choice, values: dict[str, int | bool], visits: dict[str, int], pid: str
) -> list[tuple[int, str, dict[str, int | bool]]]:
    """Where a choice can lead: (roll outcome or -1, scene, values after), with
    conditional gotos (format 1.1) resolved exactly as play does."""
    after = apply(scenario, choice.effects, values, visits, pid)
    if not choice.roll:
        return [(-1, resolve(choice.branches, choice.goto or "", after, visits, pid), after)]
    weights = roll_weights(choice.roll, after, visits, pid)
    drawn = [i for i in range(len(choice.roll)) if weights[i] > 0] or [0]  # all 0: the first
    branches = []
    for i in drawn:
        outcome = choice.roll[i]
        new = apply(scenario, outcome.effects, after, visits, pid)
        branches.append((i, resolve(outcome.branches, outcome.goto, new, visits, pid), new))
    return branches


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
