"""The road ahead: what a state needs now to still be able to meet a condition
at a scene further on.

For one target (a persona's scene, and the conditions wanted there), a backward
pass gives every (persona, scene) that can lead to it a *requirement*: a few
boxes (a range per variable or visit count), such that a state outside all of
them can never arrive at the target with a condition met. It runs from the
target's conditions back through every choice that leads there: a choice's
`if` must hold, effects move the ranges (`add: {money: -3}` asks for 3 more
before it; a `set` drops what was asked of that variable; bounds clamp, so
`hope >= 10` with a maximum of 10 after `add: {hope: 2}` asks for 8), a roll
may draw any outcome, a conditional `goto` may take any branch, an `enter`
effect and a visit count move on arrival. Choices on the way are optional, so
spending that can be declined asks for nothing; what every way on costs adds
up. Around a loop the ranges grow until they stop, or jump to the numbers the
scenario mentions, then to their bounds, so the pass always ends.

Every step only ever widens what is allowed (a condition it cannot read, an
effect whose amount depends on other values, too many boxes at one scene:
their hull), so the requirement over-approximates what the road ahead can
give: the aimed search (`Search.aim`) drops a state outside it and loses no
journey, so it earns before it goes on and declines spending it cannot
afford. Each box also carries the fewest choices from it to the target
(`Needs.rank`), which ranks the states kept.

`escapes` runs the other way round, from the endings, under-approximating:
boxes of values from every one of which an ending can surely be reached,
which prove a scene free of soft-locks where a loop leads back to it.
"""

from __future__ import annotations

import bisect
import heapq
from collections import deque
from collections.abc import Callable, Iterable
from operator import gt, le, sub

from ..scenario.expr import Binary, Expr, Lit, PersonaRef, Unary, Var, Visits
from ..scenario.model import Choice, Effect, Scenario
from .abstract import INF, bound, mentioned_numbers

# (lowest, highest) allowed per slot, and the fewest choices from there to the target
Box = tuple[tuple[int, ...], tuple[int, ...], int]
Node = tuple[str, str]  # (persona, scene)
Linear = tuple[dict[int, int], int]  # sum of coefficient * slot, plus a constant
# what one group of effects does to a slot: (range of the value set, or None; range added)
Change = tuple[tuple[int, int] | None, tuple[int, int]]
Changes = dict[int, Change]
# the ways from a scene to one next scene: (boxes where the choice is open, what the
# way changes, last first: the next scene's `enter` effects, its visit count, the
# outcome's effects, the choice's effects)
Ways = list[tuple[list[Box], tuple[Changes, ...]]]
MAX_BOXES = 10  # boxes kept at one scene; more are merged (their hull: allows more)
WIDEN_AFTER = 6  # growths at one scene before new boxes snap to the scenario's numbers
HULL_AFTER = 24  # growths at one scene before its boxes become one
GIVE_UP_AFTER = 48  # growths at one scene before it allows everything
ESCAPE_GROWTHS = 12  # growths at one scene of the boxes a way out is sure from
COMPARE = {"<", "<=", ">", ">=", "==", "!="}
_NOT = {"<": ">=", ">=": "<", ">": "<=", "<=": ">", "==": "!=", "!=": "=="}


class Layout:
    """Slots of a search state: its variables (all, in the scenario's order) then
    the visit counts it tracks (capped, as the search caps them), and the
    operations on boxes of them. Boxes over-approximate (a condition's boxes hold
    every state where it holds; `before` every state that may lead into a box),
    or with `under` under-approximate (a condition holds in every state of its
    boxes; `before` gives states that surely lead into the box)."""

    def __init__(
        self, scenario: Scenario, names: list[str], read: list[str], caps: list[int], under: bool = False
    ) -> None:
        self.scenario, self.under = scenario, under
        self.slot = {n: i for i, n in enumerate(names)}
        self.visit = {s: len(names) + i for i, s in enumerate(read)}
        self.bounds: list[tuple[int, int]] = [bound(scenario, n) for n in names]
        self.bounds += [(0, cap) for cap in caps]
        self.top: Box = (tuple(b[0] for b in self.bounds), tuple(b[1] for b in self.bounds), 0)
        self.none: list[Box] = [] if under else [self.top]  # what a condition it cannot read gives
        # what a value may be: a visit count is not capped in play
        self.ranges = self.bounds[: len(names)] + [(0, INF)] * len(caps)
        self.thresholds = sorted(mentioned_numbers(scenario))
        self._changes: dict[int, tuple[tuple[Effect, ...], Changes]] = {}
        self._ways: dict[Node, dict[str, Ways]] = {}

    # -- expressions ------------------------------------------------------------------------
    def linear(self, tree: Expr) -> Linear | None:
        """`tree` as a sum of slots times numbers plus a number; None if it is not one."""
        if isinstance(tree, Lit):
            return ({}, int(tree.value)) if isinstance(tree.value, int) else None
        if isinstance(tree, Var | Visits):
            i = self.slot.get(tree.name) if isinstance(tree, Var) else self.visit.get(tree.scene)
            return None if i is None else ({i: 1}, 0)
        if isinstance(tree, Unary) and tree.op == "-":
            got = self.linear(tree.operand)
            return None if got is None else ({k: -v for k, v in got[0].items()}, -got[1])
        if not isinstance(tree, Binary) or tree.op not in ("+", "-", "*"):
            return None
        a, b = self.linear(tree.left), self.linear(tree.right)
        if a is None or b is None:
            return None
        if tree.op == "*":
            if a[0] and b[0]:
                return None  # a product of two values
            (k, c), n = (b, a[1]) if not a[0] else (a, b[1])
            return ({s: v * n for s, v in k.items() if v * n}, c * n)
        sign = 1 if tree.op == "+" else -1
        out = dict(a[0])
        for s, v in b[0].items():
            out[s] = out.get(s, 0) + sign * v
        return ({s: v for s, v in out.items() if v}, a[1] + sign * b[1])

    def span(self, form: Linear) -> tuple[int, int]:
        """The range a linear form can take within the slots' bounds."""
        lo = hi = form[1]
        for s, k in form[0].items():
            a, b = self.ranges[s]
            lo, hi = lo + min(k * a, k * b), hi + max(k * a, k * b)
        return max(-INF, lo), min(INF, hi)

    def boxes(self, tree: Expr, want: bool, pid: str) -> list[Box]:
        """Boxes whose union holds every state where the condition is `want` (for a
        number, such as a roll's weight, `want` means above 0)."""
        try:
            if not _is_condition(tree, self.scenario):
                form = self.linear(tree)
                if form is None:
                    return self.none
                return self._compare(form, ">=" if want else "<=", 1 if want else 0)
            return self._cond(tree, want, pid)
        except RecursionError:
            return self.none

    def _cond(self, tree: Expr, want: bool, pid: str) -> list[Box]:
        if isinstance(tree, Lit):
            return [self.top] if bool(tree.value) == want else []
        if isinstance(tree, Unary) and tree.op == "not":
            return self._cond(tree.operand, not want, pid)
        if isinstance(tree, Var):
            i = self.slot.get(tree.name)
            got = None if i is None else self.box({i: (int(want), int(want))})
            return self.none if i is None else [got] if got else []
        if not isinstance(tree, Binary):
            return self.none
        if tree.op in ("and", "or"):
            left, right = self._cond(tree.left, want, pid), self._cond(tree.right, want, pid)
            if (tree.op == "and") == want:  # both
                return self.tidy([b for x in left for y in right if (b := meet(x, y)) is not None])
            return self.tidy([*left, *right])
        if tree.op not in COMPARE:
            return self.none
        one, other = _constant(tree.left, pid), _constant(tree.right, pid)
        if one is not None and other is not None:
            return [self.top] if _holds(tree.op, one, other) == want else []
        op = tree.op if want else _NOT[tree.op]
        form = self.linear(Binary("-", tree.left, tree.right, 0))
        if form is None:
            return self.none
        if op == "<":
            return self._compare(form, "<=", -1)
        if op == ">":
            return self._compare(form, ">=", 1)
        return self._compare(form, op, 0)

    def _compare(self, form: Linear, op: str, rhs: int) -> list[Box]:
        """Boxes for `form op rhs` (op one of <=, >=, ==, !=). With several slots, each
        gets the bound that holds for some value of the others (within their
        ranges): a box holding them all; under-approximating, the bound that holds
        whatever the others are: a box for each."""
        coefs, const = form
        if not coefs:
            return [self.top] if _holds(op, const, rhs) else []
        if op == "!=":
            if len(coefs) > 1:
                return self.none
            ((s, k),) = coefs.items()
            if (rhs - const) % k:
                return [self.top]
            x = (rhs - const) // k
            return self.tidy([b for b in (self.box({s: (-INF, x - 1)}), self.box({s: (x + 1, INF)})) if b])
        bounds: dict[int, tuple[int, int]] = {}
        for s, k in coefs.items():
            rlo, rhi = self.span(({t: v for t, v in coefs.items() if t != s}, const))
            if self.under:  # k*x + rest op rhs for every rest in its range
                rlo, rhi = rhi, rlo
                if len(coefs) > 1 and max(abs(rlo), abs(rhi)) >= INF:
                    continue
            # k*x + rest op rhs for some rest in its range
            lo, hi = -INF, INF
            if op in ("<=", "==") and abs(rlo) < INF:
                m = rhs - rlo  # k*x <= m
                if k > 0:
                    hi = m // k
                else:
                    lo = -((-m) // k)
            if op in (">=", "==") and abs(rhi) < INF:
                m = rhs - rhi  # k*x >= m
                if k > 0:
                    lo = -((-m) // k)
                else:
                    hi = m // k
            bounds[s] = (lo, hi)
        if self.under:
            found = [self.box({s: b}) for s, b in bounds.items()]
            return self.tidy([b for b in found if b is not None])
        box = self.box(bounds)
        return [] if box is None else [box]

    # -- boxes --------------------------------------------------------------------------
    def box(self, bounds: dict[int, tuple[int, int]]) -> Box | None:
        """The box with these ranges for some slots (the others free), within the
        slots' bounds; None if it is empty."""
        lows, highs = list(self.top[0]), list(self.top[1])
        for s, (lo, hi) in bounds.items():
            lows[s], highs[s] = max(lo, lows[s]), min(hi, highs[s])
            if lows[s] > highs[s]:
                return None
        return (tuple(lows), tuple(highs), 0)

    def tidy(self, boxes: list[Box]) -> list[Box]:
        """Boxes without those inside another at least as near the target, at most
        MAX_BOXES (the closest merged)."""
        if len(boxes) < 2:
            return boxes
        unique = list(dict.fromkeys(boxes))
        out = [b for b in unique if not any(o is not b and contains(o, b) for o in unique)]
        if self.under:  # a hull would claim more: keep the largest
            return sorted(out, key=_size, reverse=True)[:MAX_BOXES]
        if len(out) > MAX_BOXES:
            out.sort(key=_order)  # neighbours in this order are alike: merge the closest pair
        while len(out) > MAX_BOXES:
            _, i = min((_loss(out[i], out[i + 1]), i) for i in range(len(out) - 1))
            merged = hull(out[i], out[i + 1])
            out[i : i + 2] = [merged]
            out = [b for b in out if b is merged or not contains(merged, b)]
        return out

    def snap(self, box: Box) -> Box:
        """The box widened to the numbers the scenario mentions (so a loop that keeps
        moving a bound stops)."""
        t = self.thresholds
        lows, highs = list(box[0]), list(box[1])
        for s, (low, high) in enumerate(self.bounds):
            if lows[s] > low:
                k = bisect.bisect_right(t, lows[s]) - 1
                lows[s] = max(low, t[k]) if k >= 0 else low
            if highs[s] < high:
                k = bisect.bisect_left(t, highs[s])
                highs[s] = min(high, t[k]) if k < len(t) else high
        return (tuple(lows), tuple(highs), box[2])

    # -- effects --------------------------------------------------------------------------
    def changes(self, effects: tuple[Effect, ...]) -> Changes:
        """What a group of effects does to each slot it touches (as `core.apply`: every
        amount from the old values, `set` before `add`, then clamped)."""
        cached = self._changes.get(id(effects))
        if cached is not None and cached[0] is effects:
            return cached[1]
        out: Changes = {}
        for e in effects:
            i = self.slot.get(e.var)
            if i is None:
                continue
            form = self.linear(e.value.tree)
            value = self.bounds[i] if form is None else self.span(form)
            setting, adding = out.get(i, (None, (0, 0)))
            if e.op == "set":
                setting = value
            else:
                adding = (adding[0] + value[0], adding[1] + value[1])
            out[i] = (setting, adding)
        self._changes[id(effects)] = (effects, out)
        return out

    def before(self, box: Box, changes: Changes) -> Box | None:
        """The box of values before changes from which the values after may be in
        `box`; None if none can."""
        if not changes:
            return box
        lows, highs = list(box[0]), list(box[1])
        for s, (setting, (alo, ahi)) in changes.items():
            lo, hi = lows[s], highs[s]
            low, high = self.bounds[s]
            if setting is not None:  # the old value does not matter, if the new one can fit
                vlo = min(max(setting[0] + alo, low), high)
                vhi = max(min(setting[1] + ahi, high), low)
                if (vhi < lo or vlo > hi) if not self.under else (vlo < lo or vhi > hi):
                    return None
                lows[s], highs[s] = low, high
                continue
            if self.under:  # clamp(x + a) in [lo, hi] for every amount a
                alo, ahi = ahi, alo
            new_lo = low if lo <= low else max(low, lo - ahi)
            new_hi = high if hi >= high else min(high, hi - alo)
            if new_lo > new_hi:
                return None
            lows[s], highs[s] = new_lo, new_hi
        return (tuple(lows), tuple(highs), box[2])

    def ways(self, node: Node) -> dict[str, Ways]:
        """The ways from a (persona, scene), by the scene they lead to."""
        found = self._ways.get(node)
        if found is not None:
            return found
        pid, sid = node
        sc = self.scenario
        found = {}
        for choice in sc.scenes[sid].choices:
            first = self.changes(choice.effects)
            opened = self.boxes(choice.cond.tree, True, pid) if choice.cond else [self.top]
            if not opened:
                continue
            outcomes = (
                [(o.effects, o.targets) for o in choice.roll] if choice.roll else [((), choice.targets)]
            )
            for effects, targets in outcomes:
                then = self.changes(effects)
                for to in dict.fromkeys(targets):
                    if to in sc.scenes:
                        chain = (*self.arrival(to), then, first)
                        found.setdefault(to, []).append((opened, tuple(c for c in chain if c)))
        self._ways[node] = found
        return found

    def arrival(self, sid: str) -> tuple[Changes, ...]:
        """What arriving at a scene changes, last first: its `enter` effects, then its
        visit count (which those effects see already counted)."""
        enter = self.changes(self.scenario.scenes[sid].enter)
        i = self.visit.get(sid)
        return (enter, {i: (None, (1, 1))}) if i is not None else (enter,)


class Needs:
    """The requirement at each (persona, scene) that can lead to one target."""

    def __init__(
        self, layout: Layout, reqs: dict[Node, list[Box]], dist: dict[Node, int], horizon: int
    ) -> None:
        self.dist, self.horizon = dist, horizon
        bounds = layout.bounds
        # each box as its distance and the slots it bounds: (slot, lowest, highest)
        self.reqs = {
            node: sorted(
                (
                    box[2],
                    [
                        (s, lo, hi)
                        for s, (lo, hi) in enumerate(zip(box[0], box[1], strict=True))
                        if (lo, hi) != bounds[s]
                    ],
                )
                for box in boxes
            )
            for node, boxes in reqs.items()
        }

    def rank(self, node: Node, full: tuple[int | bool, ...], visits: tuple[int, ...]) -> int:
        """The fewest choices from a state to the target that its boxes allow: that of
        the nearest box holding its values; INF when none does (the target can never
        be met from this state, so a search may drop it)."""
        boxes = self.reqs.get(node)
        if boxes is None:
            far = self.dist.get(node, INF)
            return far if self.horizon < far < INF else INF  # beyond the horizon: not looked at
        n = len(full)
        for far, box in boxes:  # nearest first
            for s, lo, hi in box:
                x = full[s] if s < n else visits[s - n]
                if x < lo or x > hi:
                    break
            else:
                return far
        return INF


def requirements(
    layout: Layout,
    target: Node,
    goals: list[tuple[Expr, bool]],
    pred: dict[Node, set[Node]],
    dist: dict[Node, int],
    margin: int = 0,
    horizon: int = INF,
) -> Needs:
    """The requirement at every node that can lead to `target` where one of `goals`
    holds (see the module's description); `dist` says how far each node is from the
    target (nodes nearer are settled first). Nodes further than `horizon` are not
    looked at: they allow everything. With a `margin`, lower bounds at the target
    ask for that much more (to keep money for what comes after)."""
    pid = target[0]
    wanted = layout.tidy([b for tree, want in goals for b in layout.boxes(tree, want, pid)])
    if margin:
        wanted = layout.tidy([_raise(layout, box, margin) for box in wanted])
    reqs: dict[Node, list[Box]] = {target: wanted} if wanted else {}
    growths: dict[Node, int] = {}
    todo = [(dist[p], p) for p in pred.get(target, ()) if dist.get(p, INF) <= horizon]
    heapq.heapify(todo)
    queued = {p for _, p in todo}
    while todo and wanted:
        node = heapq.heappop(todo)[1]
        queued.discard(node)
        found = list(wanted) if node == target else []
        for to, ways in layout.ways(node).items():
            ahead = reqs.get((pid, to))
            if ahead is None and horizon < dist.get((pid, to), INF) < INF:
                ahead = [(*layout.top[:2], dist[pid, to])]  # beyond the horizon: anything
            if ahead:
                found += _through(layout, ways, ahead)
        old = reqs.get(node, [])
        new = [b for b in found if not any(contains(o, b) for o in old)]
        if not new:
            continue
        count = growths[node] = growths.get(node, 0) + 1
        if count > GIVE_UP_AFTER:
            merged = [layout.top]
        elif count > HULL_AFTER:
            merged = [layout.snap(_hull_all([*old, *new]))]
        else:
            if count > WIDEN_AFTER:
                new = [layout.snap(b) for b in new]
            merged = layout.tidy([*old, *new])
        reqs[node] = merged
        for p in pred.get(node, ()):
            if dist.get(p, INF) <= horizon and p not in queued:
                queued.add(p)
                heapq.heappush(todo, (dist[p], p))
    return Needs(layout, reqs, dist, horizon)


def _through(layout: Layout, ways: Ways, ahead: list[Box]) -> list[Box]:
    """Boxes from which one of `ways` leads into one of the boxes `ahead`."""
    out = []
    for opened, chain in ways:
        for box in ahead:
            got = _back(layout, box, chain)
            if got is None:
                continue
            got = (got[0], got[1], got[2] + 1)  # one choice further
            for cond in opened:
                both = meet(cond, got)
                if both is not None:
                    out.append(both)
    return out


def _back(layout: Layout, box: Box, chain: tuple[Changes, ...]) -> Box | None:
    """The box before a chain of changes (see `Layout.before`)."""
    for changes in chain:
        got = layout.before(box, changes)
        if got is None:
            return None
        box = got
    return box


# -- boxes --------------------------------------------------------------------------------
def meet(a: Box, b: Box) -> Box | None:
    """Values in both boxes (as far from the target as the further); None if there
    are none."""
    lows, highs = tuple(map(max, a[0], b[0])), tuple(map(min, a[1], b[1]))
    if any(map(gt, lows, highs)):
        return None
    return (lows, highs, max(a[2], b[2]))


def contains(outer: Box, inner: Box) -> bool:
    """Whether `outer` holds `inner` and is no further from the target (so `inner`
    adds nothing)."""
    return outer[2] <= inner[2] and all(map(le, outer[0], inner[0])) and all(map(le, inner[1], outer[1]))


def hull(a: Box, b: Box) -> Box:
    """The smallest box holding both, as near the target as the nearer."""
    return (tuple(map(min, a[0], b[0])), tuple(map(max, a[1], b[1])), min(a[2], b[2]))


def _hull_all(boxes: list[Box]) -> Box:
    out = boxes[0]
    for box in boxes[1:]:
        out = hull(out, box)
    return out


def _size(box: Box) -> int:
    return sum(map(sub, box[1], box[0]))


def _order(box: Box) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    return (box[2], box[0], box[1])


def _loss(a: Box, b: Box) -> tuple[int, int]:
    """How much merging two boxes allows that neither did (widths added), then how
    much nearer it makes one look."""
    h = hull(a, b)
    wider = 2 * sum(map(sub, h[1], h[0])) - sum(map(sub, a[1], a[0])) - sum(map(sub, b[1], b[0]))
    return wider, abs(a[2] - b[2])


def _raise(layout: Layout, box: Box, margin: int) -> Box:
    lows = tuple(lo + margin if lo > low else lo for lo, (low, _) in zip(box[0], layout.bounds, strict=True))
    return (tuple(map(min, lows, box[1])), box[1], box[2])


def _is_condition(tree: Expr, scenario: Scenario) -> bool:
    """True/false (a condition), not a number (a weight)."""
    if isinstance(tree, Lit):
        return isinstance(tree.value, bool)
    if isinstance(tree, Var):
        var = scenario.variables.get(tree.name)
        return var is not None and var.type == "bool"
    if isinstance(tree, Unary):
        return tree.op == "not"
    if isinstance(tree, Binary):
        return tree.op in COMPARE or tree.op in ("and", "or")
    return False


def _constant(tree: Expr, pid: str) -> object:
    """The value of an expression that reads no variable or visit count, or None."""
    if isinstance(tree, Lit):
        return tree.value
    if isinstance(tree, PersonaRef):
        return pid
    return None


def _holds(op: str, a: object, b: object) -> bool:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if not (isinstance(a, int) and isinstance(b, int)):
        return True
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


# -- a way out, surely ----------------------------------------------------------------------
def escapes(
    layout: Layout,
    endings: Iterable[Node],
    pred: dict[Node, set[Node]],
    fresh: Callable[[str, Choice], bool],
) -> dict[Node, list[Box]]:
    """For each (persona, scene), boxes of values from every one of which an ending
    can be reached (`layout` under-approximates): backwards from the endings, a
    choice surely open in a box (a once-only one only if `fresh`) whose every
    branch surely lands in such a box, or a roll outcome that surely has a
    weight above 0 and does. A loop is followed until it stops adding, or
    ESCAPE_GROWTHS times (what was found is still sure). This proves a state
    safe that the scene-by-scene proof cannot: a checkpoint that turns back
    anyone outside a band to a well that resets the value is no soft-lock."""
    assert layout.under
    good: dict[Node, list[Box]] = {node: [layout.top] for node in endings}
    todo = deque(p for node in good for p in pred.get(node, ()))
    queued = set(todo)
    growths: dict[Node, int] = {}
    while todo:
        node = todo.popleft()
        queued.discard(node)
        if growths.get(node, 0) >= ESCAPE_GROWTHS:
            continue
        old = good.get(node, [])
        new = [b for b in _sure_ways(layout, node, good, fresh) if not any(contains(o, b) for o in old)]
        if not new:
            continue
        growths[node] = growths.get(node, 0) + 1
        good[node] = layout.tidy([*old, *new])
        for p in pred.get(node, ()):
            if p not in queued:
                queued.add(p)
                todo.append(p)
    return good


def _sure_ways(
    layout: Layout, node: Node, good: dict[Node, list[Box]], fresh: Callable[[str, Choice], bool]
) -> list[Box]:
    pid, sid = node
    out: list[Box] = []
    for choice in layout.scenario.scenes[sid].choices:
        if choice.once and not fresh(sid, choice):
            continue
        opened = layout.boxes(choice.cond.tree, True, pid) if choice.cond else [layout.top]
        if not opened:
            continue
        if choice.roll:
            after: list[Box] = []
            for outcome in choice.roll:
                drawn = layout.boxes(outcome.weight.tree, True, pid)
                landed = _land(layout, pid, outcome.targets, layout.changes(outcome.effects), good)
                after += [b for x in drawn for y in landed if (b := meet(x, y)) is not None]
        else:
            after = _land(layout, pid, choice.targets, {}, good)
        first = layout.changes(choice.effects)
        before = [b for box in after if (b := layout.before(box, first)) is not None]
        out += [b for x in opened for y in before if (b := meet(x, y)) is not None]
    return layout.tidy(out)


def _land(
    layout: Layout, pid: str, targets: tuple[str, ...], then: Changes, good: dict[Node, list[Box]]
) -> list[Box]:
    """Boxes of values (before `then`) from which every one of `targets` (the branches
    of a conditional goto) lands in a good box."""
    if not targets:
        return []
    found: list[Box] = [layout.top]
    for to in dict.fromkeys(targets):
        chain = (*layout.arrival(to), then) if to in layout.scenario.scenes else ()
        landed = [b for box in good.get((pid, to), ()) if (b := _back(layout, box, chain)) is not None]
        found = layout.tidy([b for x in found for y in landed if (b := meet(x, y)) is not None])
        if not found:
            return []
    return found
