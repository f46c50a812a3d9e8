"""`journey playtest --strategy`: journeys played the way a kind of player plays.

A strategy looks one choice ahead, with the values the player has now (and
at the scene it leads to, which of that scene's choices will be open):

- `cautious` never takes a choice that can only lead to giving up (every
  scene it can lead to is one from which no safe ending can be reached) while
  another is open; then takes the choice with the smallest chance of landing
  in such a scene; then the smallest expected value of the risk variable
  after the choice; at random among ties.
- `bold` also never gives up, then takes the largest chance and the largest
  expected risk: the player who runs for it.
- `random` takes any open choice, each as likely as the others.

"Can reach a safe ending" is read from the scene graph with every condition
taken as possibly true, as the validator's structural checks do. The report
gives each persona's endings, for all journeys and for the journeys that
reach the route's third stage (or a later one): for a refugee's route, the
journeys that made it across the first border. Nothing here prints.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ..engine import Engine, State
from ..engine.core import apply, resolve, roll_weights
from ..scenario.model import Choice, Scenario

STRATEGIES = ("cautious", "bold", "random")
KINDS = ("safe", "hard", "open")
DEFAULT_STRATEGY_RUNS = 1_000
MAX_STEPS = 1_000


def hopeful_scenes(scenario: Scenario) -> set[str]:
    """The scenes from which a safe ending can be reached (conditions taken
    as possibly true)."""
    backward: dict[str, set[str]] = {sid: set() for sid in scenario.scenes}
    for sid, scene in scenario.scenes.items():
        for choice in scene.choices:
            for target in choice.targets:
                if target in backward:
                    backward[target].add(sid)
    todo = [
        sid
        for sid, scene in scenario.scenes.items()
        if scene.ending and scenario.endings[scene.ending].kind == "safe"
    ]
    hopeful: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid not in hopeful:
            hopeful.add(sid)
            todo.extend(backward[sid])
    return hopeful


def default_risk(scenario: Scenario) -> str | None:
    """The first number variable whose id or label mentions risk, if any."""
    for name, var in scenario.variables.items():
        if var.type == "int" and ("risk" in name.lower() or "risk" in var.label.lower()):
            return name
    return None


@dataclass(frozen=True)
class Odds:
    """How one open choice looks from here."""

    gives_up: bool  # every scene it can lead to has no way to a safe ending
    danger: float  # the chance it leads into such a scene
    risk: float  # the expected value of the risk variable after it (0 without one)


def odds(engine: Engine, state: State, choice: Choice, hopeful: set[str], risk: str | None) -> Odds:
    """The odds of `choice`, computed as the engine would apply it: its effects,
    then the roll's weights with the new values, then the outcome's effects,
    the conditional `goto`, and the `enter` effects of the scene reached."""
    sc = engine.scenario
    values = apply(sc, choice.effects, state.vars, state.visits, state.persona)
    branches: list[tuple[float, str, Mapping[str, int | bool]]]
    if choice.roll:
        weights = roll_weights(choice.roll, values, state.visits, state.persona)
        total = sum(weights)
        if total <= 0:  # the engine takes the first outcome when every weight is 0
            weights, total = [1] + [0] * (len(weights) - 1), 1
        branches = []
        for w, o in zip(weights, choice.roll, strict=True):
            if w > 0:
                after = apply(sc, o.effects, values, state.visits, state.persona)
                target = resolve(o.branches, o.goto, after, state.visits, state.persona)
                branches.append((w / total, target, _arrive(engine, state, target, after)))
    else:
        target = resolve(choice.branches, choice.goto or "", values, state.visits, state.persona)
        branches = [(1.0, target, _arrive(engine, state, target, values))]
    lost = [
        target not in hopeful or not _way_on(engine, state, choice, target, after, hopeful)
        for _, target, after in branches
    ]
    danger = sum(p for (p, _, _), gone in zip(branches, lost, strict=True) if gone)
    expected = sum(p * int(after[risk]) for p, _, after in branches) if risk else 0.0
    return Odds(all(lost), danger, expected)


def _arrive(
    engine: Engine, state: State, target: str, values: Mapping[str, int | bool]
) -> Mapping[str, int | bool]:
    """The values once the scene reached has applied its `enter` effects."""
    visits = dict(state.visits)
    visits[target] = visits.get(target, 0) + 1
    return apply(engine.scenario, engine.scenario.scenes[target].enter, values, visits, state.persona)


def _way_on(
    engine: Engine,
    state: State,
    choice: Choice,
    target: str,
    values: Mapping[str, int | bool],
    hopeful: set[str],
) -> bool:
    """Whether the scene reached still has a way towards a safe ending once
    its own conditions are read (a choice offered only once may be gone): it
    is a safe ending, or one of its open choices leads to a hopeful scene."""
    scene = engine.scenario.scenes[target]
    if scene.ending:
        return True  # hopeful and an ending: a safe one
    visits = dict(state.visits)
    visits[target] = visits.get(target, 0) + 1
    taken = state.taken | {f"{state.scene}#{choice.index}"} if choice.once else state.taken
    there = replace(state, scene=target, vars=dict(values), visits=visits, taken=taken)
    return any(
        engine.available(c, target, there) is True and any(t in hopeful for t in c.targets)
        for c in scene.choices
    )


def pick(strategy: str, options: list[tuple[int, Odds]], rng: random.Random) -> int:
    """The index of the choice the strategy takes among (index, odds)."""
    if strategy == "random":
        return rng.choice(options)[0]
    going_on = [o for o in options if not o[1].gives_up] or options
    sign = 1 if strategy == "cautious" else -1
    best = min(_key(o[1], sign) for o in going_on)
    return rng.choice([i for i, o in going_on if _key(o, sign) == best])


def _key(o: Odds, sign: int) -> tuple[float, float]:
    # rounded so that float noise never breaks a tie
    return (sign * round(o.danger, 9), sign * round(o.risk, 9))


@dataclass
class Tally:
    """One persona's journeys: how many, and how they ended."""

    journeys: int = 0
    endings: Counter[str] = field(default_factory=Counter)
    unfinished: int = 0  # stuck, or past the bound of choices

    def share(self, kinds: Mapping[str, str], kind: str) -> float:
        count = sum(n for eid, n in self.endings.items() if kinds[eid] == kind)
        return count / self.journeys if self.journeys else 0.0


@dataclass
class StrategyReport:
    strategy: str
    runs: int
    seed: int
    risk: str | None
    third_stage: str | None  # None when the route has fewer than three stages
    all: dict[str, Tally]  # persona ("" without personas) -> its journeys
    later: dict[str, Tally]  # the same, for journeys that reached the third stage

    @property
    def unfinished(self) -> int:
        return sum(t.unfinished for t in self.all.values())


def strategy_journeys(
    engine: Engine,
    strategy: str,
    runs: int,
    seed: int = 0,
    risk: str | None = None,
    max_steps: int = MAX_STEPS,
) -> StrategyReport:
    """Play `runs` journeys with `strategy`, every persona in turn. The same
    seed gives the same report."""
    sc = engine.scenario
    hopeful = hopeful_scenes(sc)
    stages = list(sc.route)
    third = stages[2] if len(stages) >= 3 else None
    later_stages = set(stages[2:])
    personas = list(sc.personas) or [""]
    report = StrategyReport(
        strategy,
        runs,
        seed,
        risk,
        third,
        {p: Tally() for p in personas},
        {p: Tally() for p in personas},
    )
    rng = random.Random(seed)
    for n in range(runs):
        persona = personas[n % len(personas)]
        state = engine.start(persona or None, rng.randrange(1_000_000))
        ending, reached = _play(engine, state, strategy, hopeful, risk, later_stages, rng, max_steps)
        tallies = [report.all[persona]] + ([report.later[persona]] if reached else [])
        for tally in tallies:
            tally.journeys += 1
            if ending:
                tally.endings[ending] += 1
            else:
                tally.unfinished += 1
    return report


def _play(
    engine: Engine,
    state: State,
    strategy: str,
    hopeful: set[str],
    risk: str | None,
    later_stages: set[str],
    rng: random.Random,
    max_steps: int,
) -> tuple[str, bool]:
    """One journey: its ending ("" if stuck or endless) and whether it reached
    a stage from the third on."""
    sc = engine.scenario
    reached = False
    for _ in range(max_steps):
        scene = sc.scenes[state.scene]
        reached = reached or scene.stage in later_stages
        if scene.ending:
            return scene.ending, reached
        options = [
            (c.index, odds(engine, state, c, hopeful, risk))
            for c in scene.choices
            if engine.available(c, scene.id, state) is True
        ]
        if not options:
            return "", reached
        state = engine.choose(state, pick(strategy, options, rng)).state
    return "", reached


# -- the report, as text and as JSON ------------------------------------------------------
def explain(report: StrategyReport, sc: Scenario) -> str:
    """What the strategy did, in a sentence, with the risk variable it read."""
    if report.strategy == "random":
        return "Random: any open choice, each as likely as the others."
    risk = f"`{report.risk}` ({sc.variables[report.risk].title})" if report.risk else ""
    if report.strategy == "cautious":
        text = (
            "Cautious: never a choice that can only lead to giving up (to scenes from "
            "which no safe ending can be reached) while another is open; then the "
            "smallest chance of landing in such a scene"
        )
        text += f"; then the smallest expected {risk}" if risk else ""
    else:
        text = (
            "Bold: never a choice that can only lead to giving up while another is "
            "open; then the largest chance of landing in a scene from which no safe "
            "ending can be reached"
        )
        text += f"; then the largest expected {risk}" if risk else ""
    text += "; at random among ties."
    if not risk:
        text += " (No variable's id or label mentions risk: name one with --risk.)"
    return text


def strategy_text(sc: Scenario, file: str, r: StrategyReport) -> str:
    lines = [
        f"Playtest of {sc.title} ({file})",
        f"{r.runs:,} {r.strategy} journeys (seed {r.seed})"
        + (", each persona in turn." if sc.personas else "."),
        explain(r, sc),
        "",
        "All journeys:",
        *_table(sc, r.all),
        "",
    ]
    if r.third_stage is None:
        lines.append("The route has fewer than three stages: no table for the third stage.")
    else:
        stage = sc.route[r.third_stage]
        lines += [
            f'Journeys that reach the third stage, "{stage.title}", or a later one:',
            *_table(sc, r.later),
        ]
    lines += ["", "Endings per persona (all journeys):"]
    for persona, tally in r.all.items():
        name = _who(sc, persona)
        parts = [
            f"`{eid}` {tally.endings[eid]:,} ({_pct(tally.endings[eid], tally.journeys)})"
            for eid in sc.endings
            if tally.endings[eid]
        ]
        lines.append(f"  {name}: " + (", ".join(parts) if parts else "no ending reached"))
    if r.unfinished:
        lines += [
            "",
            f"Problems: {r.unfinished:,} journeys got stuck or went past "
            "the bound of choices; `journey playtest --random` shows where.",
        ]
    return "\n".join(lines)


def _who(sc: Scenario, persona: str) -> str:
    return f"{sc.personas[persona].name} ({persona})" if persona else "everyone"


def _pct(count: int, total: int) -> str:
    return f"{100 * count / total:.0f}%" if total else "-"


def _table(sc: Scenario, tallies: dict[str, Tally]) -> list[str]:
    kinds = {eid: e.kind for eid, e in sc.endings.items()}
    width = max(len(_who(sc, p)) for p in tallies)
    lines = [f"  {'':<{width}}  journeys   safe   hard   open"]
    for persona, t in tallies.items():
        cells = "".join(f"  {_pct(round(t.share(kinds, k) * t.journeys), t.journeys):>5}" for k in KINDS)
        lines.append(f"  {_who(sc, persona):<{width}}  {t.journeys:>8,} {cells}")
    return lines


def strategy_json(sc: Scenario, file: str, r: StrategyReport) -> dict[str, object]:
    kinds = {eid: e.kind for eid, e in sc.endings.items()}

    def tallies(which: dict[str, Tally]) -> dict[str, object]:
        return {
            persona or "": {
                "journeys": t.journeys,
                "endings": {eid: t.endings[eid] for eid in sc.endings},
                **{kind: t.share(kinds, kind) for kind in KINDS},
                "unfinished": t.unfinished,
            }
            for persona, t in which.items()
        }

    return {
        "mode": "strategy",
        "strategy": r.strategy,
        "scenario": sc.id,
        "file": file,
        "journeys": r.runs,
        "seed": r.seed,
        "risk": r.risk,
        "third_stage": r.third_stage,
        "personas": tallies(r.all),
        "third_stage_personas": tallies(r.later) if r.third_stage else None,
        "problems": r.unfinished,
    }
