"""Reachability, settled: for every scene, ending, choice and roll outcome, either
a journey that shows it can happen (a witness) or a proof that it never can.

Three parts work together:

- `abstract.analyse` proves what can never happen (intervals per variable,
  per scene and persona; sound, so a "never" is always true);
- `explore.Search` finds witnesses for the rest: breadth-first while that is
  cheap (so routes are shortest), then aimed at what is still unshown;
- soft-locks: a scene is safe when, for every state the analysis allows there,
  some choice that is surely open leads to a safe scene. Once-only choices
  count only when no way leads back to their scene (strongly connected
  components of the scene graph). What that cannot prove (a loop) may be
  proved with `ahead.escapes`: boxes of values from which a way out is sure.
  A scene not proved safe is a soft-lock only when a state found there is
  shown, by a complete search from it, to have no way on to an ending.

When the witness search sees every state within its budget, its answers are
exact and used as they are. Whatever is neither shown nor disproved is listed
as unknown; the checker says so. The engine reports these facts; the checking
layer (`journey.tools.reachability`) words them.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from ..scenario.model import Choice, Scenario
from .abstract import Domain, Env, Facts, Node, analyse, branches
from .ahead import Box, Layout, contains, escapes
from .core import Engine
from .explore import BREADTH_SHARE, DEFAULT_MAX_STATES, Goals, Key, Route, Search, relevant
from .routes import replay, shorten
from .state import State

DOOM_TRIES = 3  # states at a scene tried when confirming a soft-lock there
DOOM_LIMIT = 5_000  # states a search from one of them may see
ALL_LIMIT = 5_000  # states added to find every state at a scene that may be a soft-lock
ALL_TRIES = 50  # states there checked one by one at most
ENDS_LIMIT = 20_000  # states a search from every state at such a scene may see
AIM_WORK = 2_000  # states whose ways on one aimed search may compute, at least
AIM_QUICK = 256  # work of an aimed search's quick try, before the road ahead is worked out
AIM_ROUNDS = ((True, 0), (False, 0), (True, 8), (True, 32))  # (from stepping stones, margin)


@dataclass
class Reachability:
    """What can happen (with the state that shows it) and what never can."""

    scenario: Scenario
    search: Search
    exact: bool  # the witness search saw every reachable state
    scenes: dict[str, int] = field(default_factory=dict)  # scene -> a state there
    endings: dict[str, int] = field(default_factory=dict)
    choices: dict[tuple[str, int], int] = field(default_factory=dict)  # open in that state
    outcomes: dict[tuple[str, int, int], int] = field(default_factory=dict)
    stuck: dict[str, int] = field(default_factory=dict)  # every choice hidden
    doomed: dict[str, int] = field(default_factory=dict)  # no ending reachable from it
    unknown_scenes: list[str] = field(default_factory=list)
    unknown_endings: list[str] = field(default_factory=list)
    unknown_choices: list[tuple[str, int]] = field(default_factory=list)
    unknown_outcomes: list[tuple[str, int, int]] = field(default_factory=list)
    unknown_stuck: list[str] = field(default_factory=list)  # may be stuck, not shown
    unknown_doomed: list[str] = field(default_factory=list)  # may be a soft-lock, not shown

    def route(self, index: int) -> Route:
        """The journey to a state as found (see `witness` for the one to show)."""
        return self.search.route(index)

    def witness(self, index: int, still: Callable[[State], bool] | None = None) -> Route:
        """The journey to a state, shortened (`routes.shorten`) keeping what it shows:
        `still` of its last state, or by default a last state the search cannot tell
        from the one found (the same scene, the same values that matter), so the
        same choices are open, the same outcomes drawn, the same ending reachable
        or not. A search that saw every state found shortest journeys already."""
        route = self.search.route(index)
        if self.exact:
            return route
        engine = Engine(self.scenario)
        if still is None:
            end = replay(engine, route)
            if end is None:
                return route
            key = self.search.situation(end)
            still = partial(_same, self.search, key)
        return shorten(engine, route, still)

    @property
    def unknown(self) -> int:
        return (
            len(self.unknown_scenes)
            + len(self.unknown_endings)
            + len(self.unknown_choices)
            + len(self.unknown_outcomes)
            + len(self.unknown_stuck)
            + len(self.unknown_doomed)
        )

    @property
    def complete(self) -> bool:
        return not self.unknown

    @property
    def states(self) -> int:
        return len(self.search.states)

    @property
    def max_states(self) -> int:
        return self.search.max_states


def _same(search: Search, key: Key, state: State) -> bool:
    return search.situation(state) == key


def reachability(scenario: Scenario, max_states: int = DEFAULT_MAX_STATES) -> Reachability:
    search = Search(scenario, max_states)
    if scenario.start not in scenario.scenes:
        return Reachability(scenario, search, exact=True)
    exact = search.breadth_first(max(1, max_states // BREADTH_SHARE))
    if exact:
        return _exact(scenario, search)
    domain = Domain(scenario, *relevant(scenario))
    facts = analyse(scenario, domain)
    proof = Proof(
        scenario, domain, facts, Layout(scenario, search.names, search.read, search.caps, under=True)
    )
    r = Reachability(scenario, search, exact=False)
    possible = facts.scenes
    scenes = scenario.scenes
    possible_endings = {scenario.scenes[s].ending for s in possible if scenario.scenes[s].ending}

    def wanted() -> Goals:
        """What is still unshown: the (persona, scene) nodes that may show it, and the
        conditions (or weights) wanted true there."""
        goals: Goals = {n: [] for n in facts.envs if n[1] not in search.first_scene}
        for (sid, index), personas in facts.open_for.items():
            if (sid, index) not in search.first_choice:
                cond = scenes[sid].choices[index].cond
                for p in personas:
                    goals.setdefault((p, sid), []).extend([(cond.tree, True)] if cond else [])
        for (sid, index, i), personas in facts.drawn_for.items():
            if (sid, index, i) not in search.first_outcome:
                weight = scenes[sid].choices[index].roll[i].weight.tree
                for p in personas:
                    goals.setdefault((p, sid), []).append((weight, True))
        for n in facts.envs:
            if n[1] in proof.maybe_stuck and n[1] not in search.first_stuck:
                goals.setdefault(n, [])
        return goals

    pred: dict[Node, set[Node]] = {}
    for (pid, sid), targets in facts.edges.items():
        for t in targets:
            pred.setdefault((pid, t), set()).add((pid, sid))
    rng = random.Random(0)  # the same scenario gives the same witnesses

    def unseen() -> Goals:  # first the scenes no journey has reached: journeys go deep fast
        return {n: [] for n in facts.envs if n[1] not in search.first_scene}

    search.random_walks(unseen, pred, rng, max_states // 2)
    whole, search.max_work = search.max_work, search.max_work // 2  # the rest for the aimed searches
    search.random_walks(wanted, pred, rng, max_states * 3 // 4)
    search.max_work = whole
    _aim(search, wanted, pred)
    search.best_first(wanted, pred, max_states * 7 // 8)
    search.random_walks(wanted, pred, rng, max_states)
    r.scenes, r.endings = dict(search.first_scene), dict(search.first_ending)
    r.choices, r.outcomes = dict(search.first_choice), dict(search.first_outcome)
    r.stuck = dict(search.first_stuck)
    sc = scenario
    r.unknown_scenes = [s for s in sc.scenes if s in possible and s not in r.scenes]
    r.unknown_endings = [e for e in sc.endings if e in possible_endings and e not in r.endings]
    r.unknown_choices = [
        (s.id, c.index)
        for s in sc.scenes.values()
        for c in s.choices
        if (s.id, c.index) in facts.choices and (s.id, c.index) not in r.choices
    ]
    r.unknown_outcomes = [
        (s.id, c.index, i)
        for s in sc.scenes.values()
        for c in s.choices
        for i in range(len(c.roll))
        if (s.id, c.index, i) in facts.outcomes and (s.id, c.index, i) not in r.outcomes
    ]
    r.unknown_stuck = [s for s in sc.scenes if s in proof.maybe_stuck and s not in r.stuck]
    _confirm_doomed(r, proof)
    return r


def _aim(search: Search, wanted: Callable[[], Goals], pred: dict[Node, set[Node]]) -> None:
    """An aimed search at each (persona, scene) where something is still unshown, in
    turn, each with a share of the work left; rounds of them, each trying harder
    (from what earlier journeys showed, from the start only, then keeping more
    than a condition asks: see `Search.aim`), until nothing is left or the work
    budget is spent. What is wanted is listed once a round (it costs a pass over
    the scenario); a scene where something was shown meanwhile waits for the next."""
    for stones, margin in AIM_ROUNDS:
        goals = wanted()
        if not goals or len(search.states) >= search.max_states:
            return  # nothing wanted, or no room to keep what a search would show
        marks = {sid: _shown(search, sid) for _, sid in goals}
        for node in sorted(goals, key=lambda n: (n[1] not in search.first_scene, n)):
            if _shown(search, node[1]) != marks[node[1]]:
                continue  # something was shown there meanwhile (for another persona, say)
            share = max(AIM_WORK, (search.max_work - search.work) // len(goals))
            done = partial(_moved, search, node[1], marks[node[1]])
            before = search.work  # first a quick try without the road ahead: most need no more
            search.aim(node, goals[node], pred, done, min(share, AIM_QUICK), stones, margin, ahead=False)
            left = share - (search.work - before)
            if left > 0 and not done():
                search.aim(node, goals[node], pred, done, left, stones, margin)
            if search.work >= search.max_work:
                return


def _shown(search: Search, sid: str) -> tuple[bool, int, int, bool]:
    """What has been shown at a scene so far (reached; choices open; outcomes drawn;
    stuck), cheap to compare: an aimed search stops when it changes."""
    choices = search.scenario.scenes[sid].choices
    return (
        sid in search.first_scene,
        sum((sid, c.index) in search.first_choice for c in choices),
        sum((sid, c.index, i) in search.first_outcome for c in choices for i in range(len(c.roll))),
        sid in search.first_stuck,
    )


def _moved(search: Search, sid: str, before: tuple[bool, int, int, bool]) -> bool:
    return _shown(search, sid) != before


def _exact(scenario: Scenario, search: Search) -> Reachability:
    r = Reachability(scenario, search, exact=True)
    r.scenes, r.endings = dict(search.first_scene), dict(search.first_ending)
    r.choices, r.outcomes = dict(search.first_choice), dict(search.first_outcome)
    r.stuck = dict(search.first_stuck)
    r.doomed = {s: i for s, i in search.doomed().items() if s not in r.stuck}
    return r


def _confirm_doomed(r: Reachability, proof: Proof) -> None:
    """Settle each scene that may be a soft-lock, with concrete states there: one from
    which a complete search reaches no ending shows it is one; when every state
    there is known (few ways lead to it) and one complete search from all of
    them shows each can reach an ending, it is not."""
    search = r.search
    for sid in r.scenario.scenes:
        nodes = {n for n in proof.maybe_doomed if n[1] == sid}
        if not nodes or sid in r.stuck:
            continue
        every = search.all_at(proof.ancestors(nodes), ALL_LIMIT)
        if every is not None:  # every state there: one search from all of them tells
            at = [i for i in every if search.states[i][:2] in nodes]
            ends = search.ends_from(at, ENDS_LIMIT)
            if ends is not None:
                doomed = [i for i, ok in zip(at, ends, strict=True) if not ok]
                if doomed:
                    r.doomed[sid] = doomed[0]
                continue
        else:
            at = sorted(i for node in nodes for i in search.at(node))[:DOOM_TRIES]
        verdicts = [(i, search.can_end_from(i, DOOM_LIMIT)) for i in at[:ALL_TRIES]]
        doomed = [i for i, ok in verdicts if ok is False]
        if doomed:
            r.doomed[sid] = doomed[0]
        elif every is not None and len(at) <= ALL_TRIES and all(ok for _, ok in verdicts):
            continue  # every state there can reach an ending
        elif sid in r.scenes or sid in r.unknown_scenes:
            r.unknown_doomed.append(sid)


class Proof:
    """Soft-lock and stuck-scene proofs over the abstract facts: `maybe_stuck` and
    `maybe_doomed` are what could not be proved safe."""

    def __init__(
        self, scenario: Scenario, domain: Domain, facts: Facts, layout: Layout | None = None
    ) -> None:
        self.scenario, self.domain, self.facts = scenario, domain, facts
        self.component = _components(scenario, facts)
        self._pred: dict[Node, set[Node]] = {}
        for (pid, sid), targets in facts.edges.items():
            for t in targets:
                self._pred.setdefault((pid, t), set()).add((pid, sid))
        self.maybe_stuck = {
            sid
            for (pid, sid), env in facts.envs.items()
            if not scenario.scenes[sid].ending and not self._covered(pid, sid, env, lambda c: True)
        }
        safe = self._safe()
        if layout is not None:
            safe |= self._surely_safe(layout, safe)
        self.maybe_doomed = {
            node for node in facts.envs if node not in safe and not scenario.scenes[node[1]].ending
        }

    def ancestors(self, nodes: set[Node]) -> set[Node]:
        """The nodes, and every node that may lead to one of them."""
        found = set(nodes)
        todo = list(nodes)
        while todo:
            for p in self._pred.get(todo.pop(), ()):
                if p not in found:
                    found.add(p)
                    todo.append(p)
        return found

    def fresh(self, sid: str, choice: Choice) -> bool:
        """A once-only choice is never already taken when its scene is shown if no way
        leads back from where it goes."""
        home = self.component[sid]
        return all(self.component.get(t) != home for t in choice.targets)

    def _covered(self, pid: str, sid: str, env: Env, good: Callable[[Choice], bool]) -> bool:
        """Whether in every state env allows, some `good` choice is open."""
        domain = self.domain
        rest: Env = env
        for choice in self.scenario.scenes[sid].choices:
            if not good(choice) or (choice.once and not self.fresh(sid, choice)):
                continue
            if choice.cond is None:
                return True
            left = domain.assume(choice.cond.tree, False, rest, pid)  # the states still to cover
            if left is None:
                return True
            rest = left
        return False

    def _safe(self) -> set[Node]:
        """The nodes from every state of which an ending can be reached."""
        sc, facts, pred = self.scenario, self.facts, self._pred
        safe = {node for node in facts.envs if sc.scenes[node[1]].ending}
        todo = deque(p for node in safe for p in pred.get(node, ()))
        while todo:
            node = todo.popleft()
            if node in safe:
                continue
            pid, sid = node
            env = facts.envs[node]
            if self._covered(pid, sid, env, partial(self._leads_to, env=env, pid=pid, safe=safe)):
                safe.add(node)
                todo.extend(pred.get(node, ()))
        return safe

    def _surely_safe(self, layout: Layout, safe: set[Node]) -> set[Node]:
        """More nodes from every state of which an ending can be reached: those whose
        values (the analysis's intervals) lie in one box of `ahead.escapes`."""
        sc, facts = self.scenario, self.facts
        left = [n for n in facts.envs if n not in safe and not sc.scenes[n[1]].ending]
        if not left:
            return set()
        good = escapes(layout, safe, self._pred, self.fresh)
        found = set()
        for node in left:
            box = self._box(layout, facts.envs[node])
            if any(contains(b, box) for b in good.get(node, ())):
                found.add(node)
        return found

    def _box(self, layout: Layout, env: Env) -> Box:
        """The analysis's intervals as a box of the layout's slots."""
        lows, highs = list(layout.top[0]), list(layout.top[1])
        domain = self.domain
        for name, i in layout.slot.items():
            at = domain.slot.get(name)
            if at is not None:
                lows[i], highs[i] = env[at]
        for scene, i in layout.visit.items():
            at = domain.visit_slot.get(scene)
            if at is not None:
                cap = layout.bounds[i][1]
                lows[i], highs[i] = min(env[at][0], cap), min(env[at][1], cap)
        return (tuple(lows), tuple(highs), 0)

    def _leads_to(self, choice: Choice, env: Env, pid: str, safe: set[Node]) -> bool:
        ways = branches(self.domain, choice, env, pid)
        if not ways:
            return False
        if all((pid, target) in safe for _, target, _ in ways):
            return True
        if not choice.roll:
            return False
        opened = env if choice.cond is None else self.domain.assume(choice.cond.tree, True, env, pid)
        if opened is None:
            return False
        after = self.domain.apply(choice.effects, opened, pid)
        return any(
            all((pid, t) in safe for t in o.targets) and self.domain.truth(o.weight.tree, after, pid)[0] > 0
            for o in choice.roll
        )


def _components(scenario: Scenario, facts: Facts) -> dict[str, int]:
    """Strongly connected components of the scene graph (the ways the analysis allows),
    by Tarjan's algorithm without recursion."""
    succ: dict[str, set[str]] = {}
    for (_, sid), targets in facts.edges.items():
        succ.setdefault(sid, set()).update(targets)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    comp: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in scenario.scenes:
        if root in index:
            continue
        work = [(root, iter(sorted(succ.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(succ.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = index[node]
                    if member == node:
                        break
    return comp
