"""What can never happen, proved by abstract interpretation over the scene graph.

Each (persona, scene) gets an interval per tracked value: the variables that
can change the way on (`relevant`) and the visit counts that expressions read.
True/false values are intervals within 0..1. Choices' conditions narrow the
intervals they test (`money >= 40` keeps 40 and up), effects move them, and a
value that keeps growing around a loop is widened to the next number the
scenario mentions, then to its bound, so the analysis always ends, in time
linear in the scenario's size times the number of numbers it mentions.

The result over-approximates every state a journey can be in: what it says is
impossible (a scene never reached, a choice never available, a roll outcome
never drawn) is impossible. What it says is possible may still not be; the
witness search (`explore`) settles those.
"""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass, field

from ..scenario.expr import Binary, Expr, Lit, PersonaRef, Unary, Var, Visits, nodes
from ..scenario.model import INT_LIMIT, Choice, Effect, Outcome, Scenario, expression_trees

INF = 1 << 62  # no visit count or product of numbers reaches it in play
Interval = tuple[int, int]
Env = tuple[Interval, ...]  # one interval per slot
Node = tuple[str, str]  # (persona, scene)
WIDEN_AFTER = 3  # joins at a node before growing values are widened
TRUE, FALSE, EITHER = (1, 1), (0, 0), (0, 1)
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


@dataclass
class Facts:
    """What the abstract interpretation found possible (everything else is not)."""

    envs: dict[Node, Env] = field(default_factory=dict)  # the values a scene's choices can see
    choices: set[tuple[str, int]] = field(default_factory=set)  # may be available
    outcomes: set[tuple[str, int, int]] = field(default_factory=set)  # may be drawn
    edges: dict[Node, set[str]] = field(default_factory=dict)  # scenes a node may lead to
    open_for: dict[tuple[str, int], set[str]] = field(default_factory=dict)  # choice -> personas
    drawn_for: dict[tuple[str, int, int], set[str]] = field(default_factory=dict)  # outcome -> personas

    @property
    def scenes(self) -> set[str]:
        return {sid for _, sid in self.envs}


class Domain:
    """The slots (tracked values) of one scenario and the operations on them."""

    def __init__(self, scenario: Scenario, variables: set[str], visits: set[str]) -> None:
        self.scenario = scenario
        names = [n for n in scenario.variables if n in variables]
        self.slot = {n: i for i, n in enumerate(names)}
        self.visit_slot = {s: len(names) + i for i, s in enumerate(sorted(visits))}
        self.bounds: list[Interval] = [self._bound(n) for n in names] + [(0, INF)] * len(visits)
        self.thresholds = sorted(mentioned_numbers(scenario))

    def _bound(self, name: str) -> Interval:
        return bound(self.scenario, name)

    def start(self, persona: str) -> Env:
        sc = self.scenario
        values: dict[str, int | bool] = {n: v.clamp(v.start) for n, v in sc.variables.items()}
        if persona:
            values.update(sc.personas[persona].set)
        env = [(0, 0)] * len(self.bounds)
        for name, i in self.slot.items():
            env[i] = (int(values[name]), int(values[name]))
        for scene, i in self.visit_slot.items():
            env[i] = (1, 1) if scene == sc.start else (0, 0)
        return tuple(env)

    # -- values -------------------------------------------------------------------
    def get(self, env: Env, tree: Var | Visits) -> Interval:
        if isinstance(tree, Var):
            i = self.slot.get(tree.name)
            return env[i] if i is not None else self._bound(tree.name)
        i = self.visit_slot.get(tree.scene)
        return env[i] if i is not None else (0, INF)

    def value(self, tree: Expr, env: Env, persona: str) -> Interval | str | None:
        """The interval of values an expression can take (text: the text, or None)."""
        if isinstance(tree, Lit):
            v = tree.value
            return v if isinstance(v, str) else (int(v), int(v))
        if isinstance(tree, Var | Visits):
            return self.get(env, tree)
        if isinstance(tree, PersonaRef):
            return persona
        if isinstance(tree, Unary):
            a = self.value(tree.operand, env, persona)
            assert isinstance(a, tuple)
            return (1 - a[1], 1 - a[0]) if tree.op == "not" else (-a[1], -a[0])
        assert isinstance(tree, Binary)
        a, b = self.value(tree.left, env, persona), self.value(tree.right, env, persona)
        if isinstance(a, tuple) and isinstance(b, tuple):
            return _binary(tree.op, a, b)
        if a is None or b is None or not isinstance(a, str) or not isinstance(b, str):
            return EITHER
        same = a == b
        return (int(same), int(same)) if tree.op == "==" else (int(not same), int(not same))

    def truth(self, tree: Expr, env: Env, persona: str) -> Interval:
        try:
            got = self.value(tree, env, persona)
        except RecursionError:  # a pathologically deep expression: anything is possible
            return EITHER
        return got if isinstance(got, tuple) else EITHER

    # -- narrowing --------------------------------------------------------------------
    def assume(self, tree: Expr, want: bool, env: Env, persona: str) -> Env | None:
        """The env narrowed to the states where `tree` is `want`; None if there are none."""
        lo, hi = self.truth(tree, env, persona)
        if (want and hi < 1) or (not want and lo > 0):
            return None
        try:
            return self._narrow(tree, want, env, persona)
        except RecursionError:
            return env

    def _narrow(self, tree: Expr, want: bool, env: Env, persona: str) -> Env | None:
        if isinstance(tree, Unary) and tree.op == "not":
            return self._narrow(tree.operand, not want, env, persona)
        if isinstance(tree, Var):
            return self._meet(env, tree, (int(want), int(want)))
        if not isinstance(tree, Binary):
            return env
        op = tree.op
        if op in ("and", "or"):
            both = (op == "and") == want  # both sides must be `want`
            if both:  # narrowing one side may rule out the other: left-deep chains stay linear
                left = self._narrow(tree.left, want, env, persona)
                return None if left is None else self._narrow(tree.right, want, left, persona)
            return self.join(
                self._side(tree.left, want, env, persona), self._side(tree.right, want, env, persona)
            )
        if op not in _FLIP:
            return env
        if not want:
            op = {"<": ">=", ">=": "<", ">": "<=", "<=": ">", "==": "!=", "!=": "=="}[op]
        out: Env | None = env
        for side, other, o in ((tree.left, tree.right, op), (tree.right, tree.left, _FLIP[op])):
            if out is not None and isinstance(side, Var | Visits):
                bound = self.value(other, out, persona)
                if isinstance(bound, tuple):
                    out = self._compare(out, side, o, bound)
        return out

    def _side(self, tree: Expr, want: bool, env: Env, persona: str) -> Env | None:
        """One side of an `or` (or a failing `and`): None when it cannot be `want`."""
        lo, hi = self.truth(tree, env, persona)
        if (want and hi < 1) or (not want and lo > 0):
            return None
        return self._narrow(tree, want, env, persona)

    def _compare(self, env: Env, side: Var | Visits, op: str, b: Interval) -> Env | None:
        lo, hi = self.get(env, side)
        if op == "<":
            hi = min(hi, b[1] - 1)
        elif op == "<=":
            hi = min(hi, b[1])
        elif op == ">":
            lo = max(lo, b[0] + 1)
        elif op == ">=":
            lo = max(lo, b[0])
        elif op == "==":
            lo, hi = max(lo, b[0]), min(hi, b[1])
        elif b[0] == b[1]:  # != one value: only an end can move
            lo += lo == b[0]
            hi -= hi == b[0]
        return self._meet(env, side, (lo, hi))

    def _meet(self, env: Env, side: Var | Visits, want: Interval) -> Env | None:
        i = self.slot.get(side.name) if isinstance(side, Var) else self.visit_slot.get(side.scene)
        lo, hi = self.get(env, side)
        lo, hi = max(lo, want[0]), min(hi, want[1])
        if lo > hi:
            return None
        if i is None:
            return env
        return (*env[:i], (lo, hi), *env[i + 1 :])

    # -- effects, joins ---------------------------------------------------------------
    def apply(self, effects: tuple[Effect, ...], env: Env, persona: str) -> Env:
        """The env after effects: values from the old env, `set` before `add`, clamped."""
        tracked = [e for e in effects if e.var in self.slot]
        if not tracked:
            return env
        new = list(env)
        for e in tracked:
            if e.op == "set":
                got = self.truth(e.value.tree, env, persona)
                new[self.slot[e.var]] = got
        for e in tracked:
            if e.op == "add":
                i = self.slot[e.var]
                a, b = new[i], self.truth(e.value.tree, env, persona)
                new[i] = (a[0] + b[0], a[1] + b[1])
        for e in tracked:
            i = self.slot[e.var]
            low, high = self.bounds[i]
            a = new[i]
            new[i] = (min(max(a[0], low), high), max(min(a[1], high), low))
        return tuple(new)

    def enter(self, scene: str, env: Env) -> Env:
        i = self.visit_slot.get(scene)
        if i is None:
            return env
        lo, hi = env[i]
        return (*env[:i], (lo + 1, min(INF, hi + 1)), *env[i + 1 :])

    @staticmethod
    def join(a: Env | None, b: Env | None) -> Env | None:
        if a is None or b is None:
            return a if b is None else b
        if a is b:
            return a
        return tuple((min(x[0], y[0]), max(x[1], y[1])) for x, y in zip(a, b, strict=True))

    def widen(self, old: Env, new: Env) -> Env:
        """Values still growing jump to the next number the scenario mentions, or their bound."""
        out = []
        for (olo, ohi), (nlo, nhi), (low, high) in zip(old, new, self.bounds, strict=True):
            if nlo < olo:
                k = bisect.bisect_right(self.thresholds, nlo) - 1
                nlo = max(low, self.thresholds[k]) if k >= 0 else low
            if nhi > ohi:
                k = bisect.bisect_left(self.thresholds, nhi)
                nhi = min(high, self.thresholds[k]) if k < len(self.thresholds) else high
            out.append((nlo, nhi))
        return tuple(out)


def _binary(op: str, a: Interval, b: Interval) -> Interval:
    if op == "+":
        return (a[0] + b[0], a[1] + b[1])
    if op == "-":
        return (a[0] - b[1], a[1] - b[0])
    if op == "*":
        products = (a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1])
        return (min(products), max(products))
    if op == "and":
        return (a[0] & b[0], a[1] & b[1])
    if op == "or":
        return (a[0] | b[0], a[1] | b[1])
    sure, never = _COMPARE[op](a, b)
    return TRUE if sure else FALSE if never else EITHER


_COMPARE = {  # op -> (a, b) -> (always true, never true)
    "<": lambda a, b: (a[1] < b[0], a[0] >= b[1]),
    "<=": lambda a, b: (a[1] <= b[0], a[0] > b[1]),
    ">": lambda a, b: (a[0] > b[1], a[1] <= b[0]),
    ">=": lambda a, b: (a[0] >= b[1], a[1] < b[0]),
    "==": lambda a, b: (a[0] == a[1] == b[0] == b[1], a[1] < b[0] or b[1] < a[0]),
    "!=": lambda a, b: (a[1] < b[0] or b[1] < a[0], a[0] == a[1] == b[0] == b[1]),
}


def bound(scenario: Scenario, name: str) -> Interval:
    """Every value a variable can hold: its min and max, or 0 and 1 for true/false."""
    var = scenario.variables[name]
    if var.type == "bool":
        return EITHER
    return (-INT_LIMIT if var.min is None else var.min, INT_LIMIT if var.max is None else var.max)


def mentioned_numbers(scenario: Scenario) -> set[int]:
    """Every number the scenario mentions (and one either side): the points widening stops at."""
    found = {0, 1}
    for tree in expression_trees(scenario, text=False, facts=False):
        for t in nodes(tree):
            if isinstance(t, Lit) and type(t.value) is int:
                found.update((t.value - 1, t.value, t.value + 1, -t.value))
    for var in scenario.variables.values():
        for bound in (var.min, var.max):
            if bound is not None:
                found.add(bound)
    return found


# -- the analysis ------------------------------------------------------------------------
def analyse(scenario: Scenario, domain: Domain) -> Facts:
    """Every (persona, scene) a journey may reach, with the values its choices may see."""
    facts = Facts()
    joins: dict[Node, int] = {}
    todo: deque[Node] = deque()
    queued: set[Node] = set()

    def arrive(node: Node, env: Env) -> None:
        old = facts.envs.get(node)
        new = domain.join(old, env)
        assert new is not None
        if old is not None:
            if new == old:
                return
            joins[node] = joins.get(node, 0) + 1
            if joins[node] > WIDEN_AFTER:
                new = domain.widen(old, new)
        facts.envs[node] = new
        if node not in queued:
            queued.add(node)
            todo.append(node)

    if scenario.start in scenario.scenes:
        for persona in list(scenario.personas) or [""]:
            first = scenario.scenes[scenario.start]
            arrive((persona, scenario.start), domain.apply(first.enter, domain.start(persona), persona))
    while todo:
        node = todo.popleft()
        queued.discard(node)
        persona, sid = node
        env = facts.envs[node]
        targets = facts.edges.setdefault(node, set())
        for choice in scenario.scenes[sid].choices:
            for outcome, target, after in branches(domain, choice, env, persona):
                facts.choices.add((sid, choice.index))
                facts.open_for.setdefault((sid, choice.index), set()).add(persona)
                if outcome >= 0:
                    facts.outcomes.add((sid, choice.index, outcome))
                    facts.drawn_for.setdefault((sid, choice.index, outcome), set()).add(persona)
                if target in scenario.scenes:
                    targets.add(target)
                    entered = domain.enter(target, after)  # format 1.1 `enter` effects see this visit
                    arrive((persona, target), domain.apply(scenario.scenes[target].enter, entered, persona))
    return facts


def branches(domain: Domain, choice: Choice, env: Env, persona: str) -> list[tuple[int, str, Env]]:
    """Where a choice may lead from env: (roll outcome or -1, scene, env after); [] if never open."""
    if choice.cond is not None:
        opened = domain.assume(choice.cond.tree, True, env, persona)
        if opened is None:
            return []
        env = opened
    after = domain.apply(choice.effects, env, persona)
    if not choice.roll:
        return [(-1, target, narrowed) for target, narrowed in _gotos(domain, choice, after, persona)]
    weights = [domain.truth(o.weight.tree, after, persona) for o in choice.roll]
    out = []
    for i, outcome in enumerate(choice.roll):
        if weights[i][1] > 0 or (i == 0 and all(w[0] <= 0 for w in weights)):
            new = domain.apply(outcome.effects, after, persona)
            out += [(i, target, narrowed) for target, narrowed in _gotos(domain, outcome, new, persona)]
    return out


def _gotos(domain: Domain, leads: Choice | Outcome, env: Env, persona: str) -> list[tuple[str, Env]]:
    """The scenes a `goto` may lead to from env. A conditional one (format 1.1) may take
    each branch whose `if` may hold, with the values narrowed by it (soundly: branches
    before it are not assumed false)."""
    if not leads.branches:
        return [(leads.goto or "", env)]
    out = []
    for branch in leads.branches:
        narrowed = env if branch.cond is None else domain.assume(branch.cond.tree, True, env, persona)
        if narrowed is not None:
            out.append((branch.goto, narrowed))
    return out
