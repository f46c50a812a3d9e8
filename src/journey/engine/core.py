"""The rules of play: what the player sees, and what a choice does.

Pure functions of a scenario and a state: no I/O, no clock, no UI. The only
randomness is `draw`, a counter-based generator keyed by the state's seed and
draw count, so the same seed and choices give the same journey everywhere.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..scenario.expr import describe
from ..scenario.model import (
    Branch,
    Choice,
    Effect,
    Ending,
    Outcome,
    Scenario,
    Scene,
    Source,
    Stage,
    Text,
    TextPart,
)
from .glossary import find_terms
from .state import State, Step

_MASK = (1 << 64) - 1


class EngineError(Exception):
    """A request the rules do not allow (a locked choice, an unknown scene)."""


def draw(seed: int, n: int) -> int:
    """The n-th 64-bit number of the stream `seed` (SplitMix64)."""
    z = (seed * 0x9E3779B97F4A7C15 + (n + 1) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def pick(weights: list[int], number: int) -> int:
    """The outcome drawn: proportional to weight; all zero takes the first."""
    total = sum(weights)
    if total <= 0:
        return 0
    point = number % total
    for i, w in enumerate(weights):
        if point < w:
            return i
        point -= w
    return len(weights) - 1  # pragma: no cover - unreachable by arithmetic


@dataclass(frozen=True, slots=True)
class ChoiceView:
    index: int  # pass to `choose`
    number: int  # what the player types
    text: str
    available: bool
    locked_reason: str = ""


@dataclass(frozen=True, slots=True)
class FactView:
    title: str
    text: str
    source: Source | None
    seen: bool = False  # shown in full earlier in this journey: front ends offer it, not repeat it


@dataclass(frozen=True, slots=True)
class Meter:
    name: str
    label: str
    value: int | bool
    min: int | None
    max: int | None
    word: str | None = None  # format 1.1 `words`: shown instead of the number (and any bar)

    @property
    def shown_value(self) -> str:
        return self.word if self.word is not None else format_value(self.value)


@dataclass(frozen=True, slots=True)
class SceneView:
    scene: str
    stage: Stage
    text: str
    facts: tuple[FactView, ...]
    choices: tuple[ChoiceView, ...]
    meters: tuple[Meter, ...]
    ending: Ending | None
    debrief: str = ""  # the ending's debrief, placeholders filled in

    @property
    def stuck(self) -> bool:
        """No ending and no choice that can be taken: the player can only go back."""
        return self.ending is None and not any(c.available for c in self.choices)


@dataclass(frozen=True, slots=True)
class Change:
    name: str
    label: str
    old: int | bool
    new: int | bool
    shown: bool
    old_word: str | None = None  # format 1.1 `words`: the bands' words instead of numbers
    new_word: str | None = None

    @property
    def worded(self) -> bool:
        return self.new_word is not None

    @property
    def visible(self) -> bool:
        """Shown, and (for a variable shown in words) its word changed."""
        return self.shown and (self.old_word != self.new_word or not self.worded)

    def words(self, arrow: str = "→") -> str:
        """The change as players read it: "Hope: steady, now rising", or "Money 10 → 5"."""
        if self.worded:
            return f"{self.label}: {self.old_word}, now {self.new_word}"
        return f"{self.label} {format_value(self.old)} {arrow} {format_value(self.new)}"


@dataclass(frozen=True, slots=True)
class Result:
    state: State
    changes: tuple[Change, ...]
    rolled: bool


@dataclass(frozen=True, slots=True)
class PastStep:
    """One choice of the journey so far, as the player saw it then."""

    stage: Stage
    scene: str
    choice: str  # the choice's text, placeholders as they were
    rolled: bool
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Undone:
    """What `Engine.undo` took back, and the state before it."""

    state: State
    step: PastStep

    @property
    def message(self) -> str:
        """The sentence both front ends say."""
        chance = " Chance is not drawn again: the same choice leads the same way." if self.step.rolled else ""
        return f"Undone: “{self.step.choice}” ({self.step.stage.title}).{chance}"


@dataclass(frozen=True)
class Summary:
    """The journey walked, for the debrief and transcripts."""

    stages: tuple[tuple[Stage, bool], ...]  # every stage in route order, and if visited
    scenes: tuple[str, ...]
    facts: tuple[FactView, ...]
    ending: Ending | None
    choices: int
    debrief: str = ""  # the ending's debrief, placeholders filled in

    @property
    def prompts(self) -> tuple[tuple[Stage, str], ...]:
        """What the debrief asks of the class, for each stage visited: its discussion
        questions, then (format 1.1) its exercise. A stage's `answers` are for the
        teacher's guide only, never here."""
        return tuple(
            (stage, prompt)
            for stage, seen in self.stages
            if seen
            for prompt in (*stage.discussion, *([f"Exercise: {stage.exercise}"] if stage.exercise else []))
        )


def format_value(value: int | bool) -> str:
    """A value as players read it: yes/no, or a number with thousands
    separators (10,000), the way the scenario's own text writes sums."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:,}"


class Engine:
    """The rules of one checked scenario. Every method is a pure function of the
    scenario and the `State` it is given: nothing is kept between calls but a
    cache of the last view and summary (states are never changed in place, so a
    state seen again is the same state)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._labels = scenario.labels()
        self._persona_names = {p.id: p.name for p in scenario.personas.values()}
        self._scenes_with_fact: dict[tuple[str, str], list[str]] = {}
        # facts (title, source) that some scene shows only under a format 1.1 `if`
        self._conditional_facts: set[tuple[str, str]] = set()
        for scene in scenario.scenes.values():
            for fact in scene.facts:
                self._scenes_with_fact.setdefault((fact.title, fact.source), []).append(scene.id)
                if fact.cond is not None:
                    self._conditional_facts.add((fact.title, fact.source))
        self._last_view: tuple[State, SceneView] | None = None
        self._last_summary: tuple[State, Summary] | None = None

    # -- starting ------------------------------------------------------------
    def start(self, persona: str | None = None, seed: int | None = None) -> State:
        """A new journey at the start scene, as `persona` (required when the
        scenario has personas); a random seed unless one is given."""
        sc = self.scenario
        if sc.personas and persona not in sc.personas:
            raise EngineError(f"unknown persona {persona!r}; choose one of " + ", ".join(sc.personas))
        if persona and not sc.personas:
            raise EngineError(f"this scenario has no personas, so not {persona!r}")
        values = {n: v.clamp(v.start) for n, v in sc.variables.items()}
        if persona:
            values.update(sc.personas[persona].set)
        visits = {sc.start: 1}
        first = sc.scenes[sc.start]
        return State(
            scenario=sc.id,
            fingerprint=sc.fingerprint,
            scene=sc.start,
            vars=apply(sc, first.enter, values, visits, persona or ""),
            visits=visits,
            persona=persona or "",
            seed=secrets.randbits(32) if seed is None else seed,
            draws=first.shuffles,
        )

    def replay(self, persona: str | None, seed: int, choices: list[int]) -> State:
        """The journey made of these choices (engine indexes) from the start:
        the same persona, seed and choices always give the same state."""
        state = self.start(persona, seed)
        for index in choices:
            state = self.choose(state, index).state
        return state

    def back(self, state: State) -> State | None:
        """The state before the last choice, or None at the start."""
        if not state.path:
            return None
        return self.replay(state.persona or None, state.seed, [s.choice for s in state.path[:-1]])

    def history(self, state: State) -> tuple[PastStep, ...]:
        """The journey so far, replayed from its seed: each choice as it read then."""
        sc = self.scenario
        now = self.start(state.persona or None, state.seed)
        steps = []
        for step in state.path:
            scene = sc.scenes[now.scene]
            text = self.render(scene.choices[step.choice].text, now)
            result = self.choose(now, step.choice)
            steps.append(PastStep(sc.route[scene.stage], scene.id, text, result.rolled, result.changes))
            now = result.state
        return tuple(steps)

    def undo(self, state: State) -> Undone | None:
        """Take back the last choice, or None at the start. The state before it is
        replayed from the seed, so its draw count is as it was: taking the same
        choice again draws the same number, and undoing never re-rolls chance."""
        if not state.path:
            return None
        previous = self.back(state)
        assert previous is not None
        scene = self.scenario.scenes[previous.scene]
        step = state.path[-1]
        result = self.choose(previous, step.choice)
        past = PastStep(
            self.scenario.route[scene.stage],
            scene.id,
            self.render(scene.choices[step.choice].text, previous),
            result.rolled,
            result.changes,
        )
        return Undone(previous, past)

    def check(self, state: State) -> None:
        """Raise EngineError when a (loaded) state does not fit this scenario."""
        sc = self.scenario
        if state.scene not in sc.scenes:
            raise EngineError(f"the scene {state.scene!r} is not in this scenario")
        if set(state.vars) != set(sc.variables):
            raise EngineError("the variables differ from this scenario's")
        if sc.personas and state.persona not in sc.personas:
            raise EngineError(f"the persona {state.persona!r} is not in this scenario")

    # -- seeing --------------------------------------------------------------
    def render(self, text: Text, state: State) -> str:
        segments = text.segments
        if not segments:
            return ""
        if len(segments) == 1 and isinstance(segments[0], str):
            return segments[0]
        out = []
        for seg in text.segments:
            if isinstance(seg, str):
                out.append(seg)
            elif seg[0] == "name":
                out.append(self._persona_names.get(state.persona, "you"))
            else:
                var, value = self.scenario.variables.get(seg[1]), state.vars[seg[1]]
                word = var.word(value) if var is not None else None
                out.append(word if word is not None else format_value(value))
        return "".join(out)

    def render_or(self, text: Text | None, literal: str, state: State) -> str:
        return self.render(text, state) if text is not None else literal

    def part_text(self, part: TextPart, scene: Scene, state: State, shuffle: int) -> str:
        """The text of one part of a scene's text; `shuffle` counts the shuffles before it."""
        if not part.variation:
            return self.render(part.text, state)
        texts, visit = part.texts, max(1, state.visits.get(scene.id, 1))
        if not texts:
            return ""
        if part.variation == "once":
            return self.render(texts[0], state) if visit == 1 else ""
        if part.variation == "seq":
            return self.render(texts[min(visit, len(texts)) - 1], state)
        if part.variation == "cycle":
            return self.render(texts[(visit - 1) % len(texts)], state)
        # shuffle: the draws taken on entering this scene, one per shuffle in order
        number = draw(state.seed, state.draws - scene.shuffles + shuffle)
        return self.render(texts[number % len(texts)], state)

    def scene_text(self, scene: Scene, state: State) -> str:
        env = (state.vars, state.visits, state.persona)
        parts, shuffle = [], 0
        for part in scene.text:
            if part.cond is None or part.cond.fn(*env):
                parts.append(self.part_text(part, scene, state, shuffle))
            shuffle += part.variation == "shuffle"
        return "\n\n".join(p.strip() for p in parts if p.strip())

    def facts(self, scene: Scene, state: State) -> tuple[FactView, ...]:
        if not scene.facts:
            return ()
        env = (state.vars, state.visits, state.persona)
        # A fact that is conditional here or in any other scene may have been hidden
        # on an earlier visit: only replaying the path says whether it was shown.
        exact = any(f.cond or (f.title, f.source) in self._conditional_facts for f in scene.facts)
        earlier = self._shown_earlier(state) if exact else None
        return tuple(
            FactView(
                self.render_or(f.shown_title, f.title, state),
                self.render_or(f.shown_text, f.text, state),
                self.scenario.sources.get(f.source),
                (f.title, f.source) in earlier
                if earlier is not None
                else self._shown_before((f.title, f.source), scene.id, state.visits),
            )
            for f in scene.facts
            if f.cond is None or f.cond.fn(*env)
        )

    def _shown_earlier(self, state: State) -> set[tuple[str, str]]:
        """The facts (title, source) shown on the journey's earlier visits, exactly:
        a fact that some scene shows under a format 1.1 `if` needs each visit's
        values, so the path is replayed (a few choices; only for such facts)."""
        shown: set[tuple[str, str]] = set()
        try:
            step = self.start(state.persona or None, state.seed)
            for taken in state.path:
                env = (step.vars, step.visits, step.persona)
                shown.update(
                    (f.title, f.source)
                    for f in self.scenario.scenes[step.scene].facts
                    if f.cond is None or f.cond.fn(*env)
                )
                step = self.choose(step, taken.choice).state
        except (EngineError, KeyError):
            return shown
        return shown

    def debrief(self, ending: Ending | None, state: State) -> str:
        if ending is None:
            return ""
        return self.render_or(ending.shown_debrief, ending.debrief, state)

    def available(self, choice: Choice, scene: str, state: State) -> bool | None:
        """True if it can be taken, False if locked, None if hidden."""
        if choice.once and f"{scene}#{choice.index}" in state.taken:
            return None
        if choice.cond is None or choice.cond.fn(state.vars, state.visits, state.persona):
            return True
        return False if choice.show_locked else None

    def view(self, state: State) -> SceneView:
        """What the player sees in `state`: the scene's text (conditions and
        placeholders applied), its facts, its choices (available, locked with a
        reason, hidden ones left out), the shown variables, and the ending if any.
        A front end asks for the same state's view several times per move: the
        last one is kept."""
        last = self._last_view
        if last is not None and last[0] is state:
            return last[1]
        view = self._build_view(state)
        self._last_view = (state, view)
        return view

    def _build_view(self, state: State) -> SceneView:
        sc = self.scenario
        scene = sc.scenes[state.scene]
        choices: list[ChoiceView] = []
        number = 0
        for choice in scene.choices:
            ok = self.available(choice, scene.id, state)
            if ok is None and not (choice.once and f"{scene.id}#{choice.index}" in state.taken):
                continue
            number += 1  # a once-choice taken keeps its number hidden, so the others keep theirs
            if ok is None:
                continue
            reason = "" if ok else self.locked_reason(choice, state)
            choices.append(ChoiceView(choice.index, number, self.render(choice.text, state), ok, reason))
        ending = sc.endings[scene.ending] if scene.ending else None
        return SceneView(
            scene=scene.id,
            stage=sc.route[scene.stage],
            text=self.scene_text(scene, state),
            facts=self.facts(scene, state),
            choices=tuple(choices),
            meters=self.meters(state),
            ending=ending,
            debrief=self.debrief(ending, state),
        )

    def _shown_before(self, fact: tuple[str, str], here: str, visits: Mapping[str, int]) -> bool:
        """Whether a scene with this fact (title, source) was entered before this
        visit: a fact card is shown in full once per journey. Read from the visit
        counts, so it costs no walk along the path: used only for facts that no
        scene shows under a format 1.1 `if` (see `facts`)."""
        return any(
            visits.get(sid, 0) >= (2 if sid == here else 1) for sid in self._scenes_with_fact.get(fact, ())
        )

    def terms(self, view: SceneView) -> tuple[str, ...]:
        """The glossary terms of a scene (its text, choices and facts), first met
        first: the words both front ends mark and define."""
        texts = [view.text, *(c.text for c in view.choices), *(f"{f.title} {f.text}" for f in view.facts)]
        glossary = self.scenario.glossary
        return tuple(dict.fromkeys(s.term for text in texts for s in find_terms(text, glossary)))

    def locked_reason(self, choice: Choice, state: State | None = None) -> str:
        if choice.locked_text:
            if choice.shown_locked_text is not None and state is not None:
                return self.render(choice.shown_locked_text, state)
            return choice.locked_text
        assert choice.cond is not None
        worded = {n: v.word for n, v in self.scenario.variables.items() if v.words}
        return "needs: " + describe(choice.cond.tree, self._labels, self._persona_names, worded)

    def meters(self, state: State) -> tuple[Meter, ...]:
        return tuple(
            Meter(n, v.title, state.vars[n], v.min, v.max, v.word(state.vars[n]))
            for n, v in self.scenario.variables.items()
            if v.shown
        )

    # -- acting --------------------------------------------------------------
    def choose(self, state: State, index: int, outcome: int | None = None) -> Result:
        """Take the choice `index` (its engine index, `ChoiceView.index`) in
        `state`: the new state (the old one is unchanged), the shown and hidden
        variables it changed, and whether chance played a part. EngineError
        when the choice cannot be taken (locked, hidden, already taken, or the
        journey has ended). `outcome` takes that roll outcome instead of
        drawing one (for tools that retrace a journey found by search; it must
        be one the roll can draw)."""
        sc = self.scenario
        scene = sc.scenes[state.scene]
        if scene.ending:
            raise EngineError("the journey has ended")
        if not 0 <= index < len(scene.choices):
            raise EngineError(f"there is no choice {index} here")
        choice = scene.choices[index]
        if self.available(choice, scene.id, state) is not True:
            raise EngineError("that choice cannot be taken now")
        values = apply(self.scenario, choice.effects, state.vars, state.visits, state.persona)
        forced, outcome, draws = outcome, -1, state.draws
        target = resolve(choice.branches, choice.goto or "", values, state.visits, state.persona)
        if choice.roll:
            weights = roll_weights(choice.roll, values, state.visits, state.persona)
            outcome = pick(weights, draw(state.seed, draws)) if forced is None else forced
            if not (weights[outcome] > 0 or (outcome == 0 and not any(weights))):
                raise EngineError("that roll outcome cannot be drawn now")
            draws += 1
            chosen = choice.roll[outcome]
            values = apply(sc, chosen.effects, values, state.visits, state.persona)
            target = resolve(chosen.branches, chosen.goto, values, state.visits, state.persona)
        visits = dict(state.visits)
        visits[target] = visits.get(target, 0) + 1
        arrived = sc.scenes[target]
        values = apply(sc, arrived.enter, values, visits, state.persona)
        draws += arrived.shuffles
        taken = state.taken | {f"{scene.id}#{index}"} if choice.once else state.taken
        new = replace(
            state,
            scene=target,
            vars=values,
            visits=visits,
            draws=draws,
            taken=taken,
            path=state.path.plus(Step(scene.id, index, outcome, target)),
        )
        changes = tuple(
            Change(
                n,
                var.title,
                state.vars[n],
                values[n],
                var.shown,
                var.word(state.vars[n]),
                var.word(values[n]),
            )
            for n, var in sc.variables.items()
            if values[n] != state.vars[n]
        )
        return Result(new, changes, bool(choice.roll))

    def odds(self, state: State, index: int) -> tuple[list[int], int]:
        """The weights of the roll of choice `index` in `state`, and the number of
        the draw that decides it."""
        choice = self.scenario.scenes[state.scene].choices[index]
        values = apply(self.scenario, choice.effects, state.vars, state.visits, state.persona)
        return roll_weights(choice.roll, values, state.visits, state.persona), state.draws

    # -- looking back ----------------------------------------------------------
    def summary(self, state: State) -> Summary:
        """The journey that led to `state`, for the debrief, the route map and
        transcripts (the last one is kept, as for `view`)."""
        last = self._last_summary
        if last is not None and last[0] is state:
            return last[1]
        summary = self._build_summary(state)
        self._last_summary = (state, summary)
        return summary

    def _build_summary(self, state: State) -> Summary:
        sc = self.scenario
        scenes = [sc.start, *(s.to for s in state.path)]
        seen_stages = {sc.scenes[s].stage for s in scenes if s in sc.scenes}
        facts: dict[tuple[str, str], FactView] = {}
        for fact in self.facts_met(state, scenes):
            facts.setdefault((fact.title, fact.source.id if fact.source else ""), fact)
        last = sc.scenes.get(state.scene)
        ending = sc.endings.get(last.ending) if last and last.ending else None
        return Summary(
            stages=tuple((stage, stage.id in seen_stages) for stage in sc.route.values()),
            scenes=tuple(scenes),
            facts=tuple(facts.values()),
            ending=ending,
            choices=len(state.path),
            debrief=self.debrief(ending, state),
        )

    def facts_met(self, state: State, scenes: list[str]) -> list[FactView]:
        """The facts shown along the way, as they were shown. Facts with an `if` or
        placeholders (format 1.1) need the state of each visit, so the journey is replayed."""
        sc = self.scenario
        if sc.format == "1":
            return [
                FactView(f.title, f.text, sc.sources.get(f.source))
                for sid in scenes
                for f in (sc.scenes[sid].facts if sid in sc.scenes else ())
            ]
        try:
            step = self.start(state.persona or None, state.seed)
            found = list(self.facts(sc.scenes[step.scene], step))
            for taken in state.path:
                step = self.choose(step, taken.choice).state
                found += self.facts(sc.scenes[step.scene], step)
        except (EngineError, KeyError):
            return []
        return found


def resolve(
    branches: tuple[Branch, ...],
    default: str,
    values: Mapping[str, int | bool],
    visits: Mapping[str, int],
    persona: str,
) -> str:
    """The scene a conditional `goto` leads to: the first branch whose `if` holds."""
    for branch in branches:
        if branch.cond is None or branch.cond.fn(values, visits, persona):
            return branch.goto
    return default


def roll_weights(
    roll: tuple[Outcome, ...], values: Mapping[str, int | bool], visits: Mapping[str, int], persona: str
) -> list[int]:
    return [max(0, int(o.weight.fn(values, visits, persona))) for o in roll]


def apply(
    scenario: Scenario,
    effects: tuple[Effect, ...],
    values: Mapping[str, int | bool],
    visits: Mapping[str, int],
    persona: str,
) -> dict[str, int | bool]:
    """New values after effects: every value is computed from the old ones,
    `set` before `add`, then each variable is clamped to its bounds."""
    if not effects:
        return dict(values)
    new = dict(values)
    for effect in effects:
        if effect.op == "set":
            new[effect.var] = _number_or_flag(effect, effect.value.fn(values, visits, persona))
    for effect in effects:
        if effect.op == "add":
            amount = _number_or_flag(effect, effect.value.fn(values, visits, persona))
            new[effect.var] = int(new[effect.var]) + int(amount)
    variables = scenario.variables
    for effect in effects:
        new[effect.var] = variables[effect.var].clamp(new[effect.var])
    return new


def _number_or_flag(effect: Effect, result: object) -> int | bool:
    """The checker types every effect; a text result means a model built around it."""
    if not isinstance(result, int):
        raise EngineError(f"`{effect.op}: {effect.var}` gave {result!r}, not a number or flag")
    return result
