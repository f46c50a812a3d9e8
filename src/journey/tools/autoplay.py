"""What `journey playtest` computes: random journeys with coverage, and the
findings of the exhaustive search, each with a way to replay it.

Random journeys go through the real engine (`Engine.view` and `choose`), as a
player would; the exhaustive check is `engine.reach`, the same facts the
validator's reachability warnings come from. Nothing here prints.
"""

from __future__ import annotations

import random
import shlex
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..engine import Engine, EngineError, State
from ..engine.core import draw, pick
from ..engine.explore import Route
from ..engine.reach import Reachability, reachability
from ..scenario.diagnostics import Mark
from ..scenario.model import Scenario
from .reachability import unsettled

DEFAULT_RUNS = 1_000
DEFAULT_MAX_STEPS = 1_000
SEED_TRIES = 200_000  # seeds tried to make a route with rolls replay exactly (a try is a few draws)
LOOP_TAIL = 60  # choices looked back at to name the scenes a looping journey circles

ChoiceKey = tuple[str, int]  # (scene, index in its list)
FactKey = tuple[str, int]  # (scene, index in its facts)


# -- replaying --------------------------------------------------------------------
@dataclass(frozen=True)
class Replay:
    """A journey an author can replay in plain mode: persona, seed, the numbers
    to type, and where chance decided (the scene each roll led to, or "")."""

    persona: str
    seed: int | None  # None: no seed tried gives the draws of this route
    numbers: tuple[int, ...]
    rolls: tuple[str, ...] = ()

    def command(self, file: str) -> str:
        words = ["journey", "play", file, "--plain", "--new"]
        if self.seed is not None:
            words += ["--seed", str(self.seed)]
        if self.persona:
            words += ["--persona", self.persona]
        return shlex.join(words)

    def choices_text(self) -> str:
        rolls = self.rolls or ("",) * len(self.numbers)
        return " ".join(
            f"{n}" + (f" (chance: to {r})" if r else "") for n, r in zip(self.numbers, rolls, strict=True)
        )

    def line(self, file: str, upto: int | None = None) -> str:
        """One line to paste: the command, and what to type as a shell comment
        (only the first `upto` choices, when given)."""
        if not self.numbers:
            return self.command(file)
        shown = (
            self if upto is None else Replay(self.persona, self.seed, self.numbers[:upto], self.rolls[:upto])
        )
        more = len(self.numbers) - len(shown.numbers)
        note = f" … ({more:,} more)" if more else ""
        if self.seed is None and any(self.rolls):
            note += f"  (no seed up to {SEED_TRIES:,} draws these rolls: replay until chance agrees)"
        return f"{self.command(file)}  # then choose {shown.choices_text()}{note}"

    def script(self) -> str:
        """Plain mode's input for this journey: Enter to begin, then each number."""
        return "\n" + "".join(f"{n}\n" for n in self.numbers)

    def to_json(self, file: str) -> dict[str, object]:
        return {
            "persona": self.persona or None,
            "seed": self.seed,
            "choices": list(self.numbers),
            "rolls": [r or None for r in self.rolls],
            "command": self.command(file),
            "input": self.script(),
        }


def replay_of(engine: Engine, route: Route, first_seed: int = 0) -> Replay:
    """The route as a replay; with rolls, the first seed from `first_seed` on
    whose draws take the route's outcomes (None if none of SEED_TRIES does)."""
    rolls = tuple(
        engine.scenario.scenes[scene].choices[index].roll[outcome].goto if outcome >= 0 else ""
        for scene, index, outcome in route.steps
    )
    if not any(rolls):
        return Replay(route.persona, first_seed, route.numbers, rolls)
    plan = _draws(engine, route)
    if plan is not None:
        for seed in range(first_seed, first_seed + SEED_TRIES):
            if all(pick(weights, draw(seed, n)) == outcome for weights, n, outcome in plan):
                return Replay(route.persona, seed, route.numbers, rolls)
    return Replay(route.persona, None, route.numbers, rolls)


def _draws(engine: Engine, route: Route) -> list[tuple[list[int], int, int]] | None:
    """For each roll on the route: its weights, the draw that decides it, and the
    outcome the route takes (None if the route does not play by the rules)."""
    plan = []
    try:
        state = engine.start(route.persona or None, 0)
        for _, index, outcome in route.steps:
            if outcome >= 0:
                weights, n = engine.odds(state, index)
                plan.append((weights, n, outcome))
            state = engine.choose(state, index, outcome if outcome >= 0 else None).state
    except EngineError:
        return None
    return plan


# -- random journeys -------------------------------------------------------------------
@dataclass
class Journey:
    """One random journey: how it ended ("ending", "stuck" or "looped") and where."""

    replay: Replay
    how: str
    scene: str  # the last scene
    ending: str = ""
    circling: tuple[str, ...] = ()  # for a looped journey: the scenes it kept visiting
    into_loop: int = 0  # for a looped journey: the choices until it first enters them

    @property
    def length(self) -> int:
        return len(self.replay.numbers)


@dataclass
class RandomReport:
    runs: int
    seed: int
    max_steps: int
    personas: Counter[str] = field(default_factory=Counter)  # journeys played as each
    endings: Counter[str] = field(default_factory=Counter)  # journeys that reached each
    scenes: Counter[str] = field(default_factory=Counter)
    choices: Counter[ChoiceKey] = field(default_factory=Counter)
    facts: Counter[FactKey] = field(default_factory=Counter)
    shortest: Journey | None = None
    longest: Journey | None = None
    total_choices: int = 0
    ended: int = 0
    stuck: dict[str, tuple[int, Journey]] = field(default_factory=dict)  # scene -> count, shortest
    looped: list[Journey] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return sum(count for count, _ in self.stuck.values()) + len(self.looped)


def random_journeys(
    engine: Engine, runs: int, seed: int = 0, max_steps: int = DEFAULT_MAX_STEPS
) -> RandomReport:
    """Play `runs` journeys, every persona in turn, each choice drawn at random
    among the open ones, preferring choices no journey has taken yet (as
    ChoiceScript's randomtest does). The same seed gives the same report."""
    rng = random.Random(seed)
    personas = list(engine.scenario.personas) or [""]
    report = RandomReport(runs, seed, max_steps)
    tried: set[ChoiceKey] = set()
    for n in range(runs):
        journey = _one_journey(engine, rng, personas[n % len(personas)], tried, report)
        _record(report, journey)
    return report


def _one_journey(
    engine: Engine, rng: random.Random, persona: str, tried: set[ChoiceKey], report: RandomReport
) -> Journey:
    play_seed = rng.randrange(1_000_000)  # short enough to type
    state = engine.start(persona or None, play_seed)
    scenes: set[str] = set()
    facts: set[FactKey] = set()
    choices: set[ChoiceKey] = set()
    numbers: list[int] = []
    while True:
        view = engine.view(state)
        scenes.add(view.scene)
        facts.update((view.scene, i) for i in range(len(view.facts)))
        open_ = [c for c in view.choices if c.available]
        if view.ending is not None or not open_ or len(numbers) >= report.max_steps:
            break
        fresh = [c for c in open_ if (view.scene, c.index) not in tried]
        pick = rng.choice(fresh or open_)
        tried.add((view.scene, pick.index))
        choices.add((view.scene, pick.index))
        numbers.append(pick.number)
        state = engine.choose(state, pick.index).state
    report.personas[persona] += 1
    report.scenes.update(scenes)
    report.facts.update(facts)
    report.choices.update(choices)
    replay = Replay(persona, play_seed, tuple(numbers), _rolls(state))
    if view.ending is not None:
        report.endings[view.ending.id] += 1
        return Journey(replay, "ending", view.scene, view.ending.id)
    if not open_:
        return Journey(replay, "stuck", view.scene)
    circling = {step.to for step in state.path[-LOOP_TAIL:]}
    into = next(i for i, step in enumerate(state.path) if step.to in circling) + 1
    return Journey(replay, "looped", view.scene, circling=tuple(sorted(circling)), into_loop=into)


def _rolls(state: State) -> tuple[str, ...]:
    return tuple(step.to if step.outcome >= 0 else "" for step in state.path)


def _record(report: RandomReport, journey: Journey) -> None:
    if journey.how == "ending":
        report.ended += 1
        report.total_choices += journey.length
        if report.shortest is None or journey.length < report.shortest.length:
            report.shortest = journey
        if report.longest is None or journey.length > report.longest.length:
            report.longest = journey
    elif journey.how == "stuck":
        count, first = report.stuck.get(journey.scene, (0, journey))
        if journey.length < first.length:
            first = journey
        report.stuck[journey.scene] = (count + 1, first)
    else:
        report.looped.append(journey)


# -- the exhaustive search ---------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One problem the search proves, where it is, and the shortest route that shows it."""

    kind: str
    message: str
    mark: Mark | None = None
    replay: Replay | None = None
    route_text: str = ""  # what the replay is for ("reaches the scene", ...)


@dataclass
class ExhaustiveReport:
    found: Reachability
    findings: list[Finding]
    endings: dict[str, Replay]  # a shortest way to each ending reached
    unsettled: list[str]  # what is neither shown nor disproved, in words

    @property
    def complete(self) -> bool:
        return self.found.complete


# kinds of finding, in the order the report lists them
KINDS = (
    "unreachable-scene",
    "unreachable-ending",
    "stuck",
    "no-ending",
    "choice-never-taken",
    "outcome-never-drawn",
)


def exhaustive(engine: Engine, max_states: int, seed: int = 0) -> ExhaustiveReport:
    """Settle every scene, ending, choice and roll outcome (a journey that shows it,
    or a proof that none can) and list what is wrong, each with a journey that
    shows it where there is one. What the budget of `max_states` game states
    was not enough to settle is listed apart, never as a finding."""
    sc = engine.scenario
    found = reachability(sc, max_states)

    def replay(index: int, still: Callable[[State], bool] | None = None) -> Replay:
        return replay_of(engine, found.witness(index, still), seed)

    findings = [
        Finding(
            "stuck",
            f"every choice of the scene `{sid}` can be hidden at once: the player is stuck there",
            sc.scenes[sid].mark,
            replay(index, lambda state: engine.view(state).stuck),
            "gets stuck",
        )
        for sid, index in found.stuck.items()
    ]
    findings += _unreached(sc, found)
    findings += [
        Finding(
            "no-ending",
            f"the scene `{sid}` can be reached in a "
            "state from which no ending can be reached (a loop "
            "with no way out)",
            sc.scenes[sid].mark,
            replay(index),
            "reaches it",
        )
        for sid, index in found.doomed.items()
    ]
    findings += _never_taken(sc, found, replay)
    findings.sort(key=lambda f: KINDS.index(f.kind))
    endings = {eid: replay(index, _at(found.search.states[index][1])) for eid, index in found.endings.items()}
    return ExhaustiveReport(found, findings, endings, unsettled(sc, found))


def _at(sid: str) -> Callable[[State], bool]:
    return lambda state: state.scene == sid


def _unreached(sc: Scenario, found: Reachability) -> list[Finding]:
    maybe_scenes = set(found.scenes) | set(found.unknown_scenes)
    maybe_endings = set(found.endings) | set(found.unknown_endings)
    out = [
        Finding("unreachable-scene", f"no journey reaches the scene `{sid}`", scene.mark)
        for sid, scene in sc.scenes.items()
        if sid not in maybe_scenes
    ]
    out += [
        Finding("unreachable-ending", f"no journey reaches the ending `{eid}`", ending.mark)
        for eid, ending in sc.endings.items()
        if eid not in maybe_endings
    ]
    return out


def _never_taken(
    sc: Scenario, found: Reachability, replay: Callable[[int, Callable[[State], bool]], Replay]
) -> list[Finding]:
    out = []
    unknown_choices, unknown_outcomes = set(found.unknown_choices), set(found.unknown_outcomes)
    for sid, index in found.scenes.items():
        for choice in sc.scenes[sid].choices:
            what = f"choice {choice.index + 1} of `{sid}` ({quote(choice.text.source)})"
            key = (sid, choice.index)
            if key not in found.choices and key not in unknown_choices:
                out.append(
                    Finding(
                        "choice-never-taken",
                        f"{what} can never be taken: its condition is never true when the scene is shown",
                        choice.mark,
                        replay(index, _at(sid)),
                        "reaches the scene",
                    )
                )
                continue
            for i, outcome in enumerate(choice.roll):
                if (*key, i) not in found.outcomes and (*key, i) not in unknown_outcomes:
                    out.append(
                        Finding(
                            "outcome-never-drawn",
                            f"roll outcome {i + 1} "
                            f"(to `{outcome.goto}`) of {what} is never drawn: "
                            "its weight is never above 0",
                            outcome.mark,
                        )
                    )
    return out


def quote(text: str, limit: int = 50) -> str:
    flat = " ".join(text.split())
    return '"' + (flat if len(flat) <= limit else flat[: limit - 1] + "…") + '"'
