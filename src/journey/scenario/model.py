"""The loaded scenario: plain, checked data that the engine and tools read."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .cover import Cover
from .diagnostics import Diagnostics, Mark
from .expr import Evaluator, Expr, Value, compile_expr
from .numbers import INT_LIMIT as INT_LIMIT

NO_MARK = Mark("")  # every number stays within +/- this, whatever the bounds


@dataclass(frozen=True)
class Compiled:
    """An expression, checked and ready to evaluate."""

    source: str
    tree: Expr
    type: str
    fn: Evaluator
    mark: Mark

    def __reduce__(self) -> tuple[object, ...]:
        # the compiled closure cannot be pickled (scenario/cache.py): compile it again
        return (_compiled, (self.source, self.tree, self.type, self.mark))


def _compiled(source: str, tree: Expr, type: str, mark: Mark) -> Compiled:
    """Unpickled: the closure is compiled when first evaluated, not all at once
    while the cache is read (most are not needed before the first scene). The
    wrapper stays `fn`, so the object's hash and equality never change."""
    fn: Evaluator | None = None

    def on_first_use(v: Mapping[str, Value], s: Mapping[str, int], p: str) -> Value:
        nonlocal fn
        if fn is None:
            fn = compile_expr(tree)
        return fn(v, s, p)

    return Compiled(source, tree, type, on_first_use, mark)


# A piece of text: literal text, or a placeholder ("name" or "var:<variable>").
Segment = str | tuple[str, str]


@dataclass(frozen=True)
class Text:
    """Text with its `{placeholders}` already found."""

    source: str
    segments: tuple[Segment, ...]

    @property
    def is_plain(self) -> bool:
        return all(isinstance(s, str) for s in self.segments)


class Glossary(dict[str, str]):
    """Definitions by term; `aliases` (format 1.1) gives each term its other words,
    which are marked and defined as the term is."""

    def __init__(
        self, entries: dict[str, str] | None = None, aliases: dict[str, tuple[str, ...]] | None = None
    ):
        super().__init__(entries or {})
        self.aliases: dict[str, tuple[str, ...]] = aliases or {}


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str = ""
    year: int | None = None
    url: str = ""
    mark: Mark = NO_MARK

    def cite(self) -> str:
        parts = [self.title]
        if self.publisher:
            parts.append(self.publisher)
        if self.year is not None:
            parts.append(str(self.year))
        return ", ".join(parts)


@dataclass(frozen=True)
class Variable:
    name: str
    start: int | bool
    min: int | None = None
    max: int | None = None
    label: str = ""
    shown: bool = False
    mark: Mark = NO_MARK
    words: tuple[tuple[int, str], ...] = ()  # (lowest value of a band, its word), ascending

    @property
    def type(self) -> str:
        return "bool" if isinstance(self.start, bool) else "int"

    @property
    def title(self) -> str:
        return self.label or self.name

    def word(self, value: int | bool) -> str | None:
        """The word for a value when the variable has `words`, else None."""
        if not self.words or isinstance(value, bool):
            return None
        found = self.words[0][1]
        for low, word in self.words:
            if value < low:
                break
            found = word
        return found

    def clamp(self, value: int | bool) -> int | bool:
        if isinstance(value, bool):
            return value
        low = -INT_LIMIT if self.min is None else self.min
        high = INT_LIMIT if self.max is None else self.max
        return low if value < low else high if value > high else value


@dataclass(frozen=True)
class Persona:
    id: str
    name: str
    about: str = ""
    set: dict[str, int | bool] = field(default_factory=dict)
    mark: Mark = NO_MARK


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    place: str = ""
    discussion: tuple[str, ...] = ()
    mark: Mark = NO_MARK
    exercise: str = ""  # format 1.1: a task for the class
    answers: str = ""  # format 1.1: notes for the teacher, never shown to players


@dataclass(frozen=True)
class LessonStep:
    do: str
    minutes: int | None = None


@dataclass(frozen=True)
class Lesson:
    """Format 1.1's lesson plan: for the teacher's guide, never shown to players."""

    minutes: int | None = None
    plan: tuple[LessonStep, ...] = ()
    safeguarding: str = ""
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Ending:
    id: str
    title: str
    kind: str
    debrief: str = ""
    mark: Mark = NO_MARK
    shown_debrief: Text | None = None  # format 1.1: the debrief with its placeholders


@dataclass(frozen=True)
class TextPart:
    """A part of a scene's text: `text`, or (format 1.1) a variation of `texts` by visit."""

    text: Text
    cond: Compiled | None = None
    variation: str = ""  # "", "seq", "cycle", "shuffle" or "once"
    texts: tuple[Text, ...] = ()  # the variation's texts


@dataclass(frozen=True)
class Fact:
    title: str
    text: str
    source: str
    mark: Mark = NO_MARK
    cond: Compiled | None = None  # format 1.1: shown only when it holds
    shown_title: Text | None = None  # format 1.1: title and text with placeholders
    shown_text: Text | None = None


@dataclass(frozen=True)
class Effect:
    """`set` (op "set") or `add` (op "add") of one variable."""

    var: str
    op: str
    value: Compiled


@dataclass(frozen=True)
class Branch:
    """One branch of a conditional `goto` (format 1.1); the last has no condition."""

    goto: str
    cond: Compiled | None = None
    mark: Mark = NO_MARK


@dataclass(frozen=True)
class Outcome:
    weight: Compiled
    goto: str  # with branches: the last branch's scene, taken when no `if` holds
    effects: tuple[Effect, ...] = ()
    mark: Mark = NO_MARK
    branches: tuple[Branch, ...] = ()  # format 1.1: a conditional `goto`

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(b.goto for b in self.branches) if self.branches else (self.goto,)


@dataclass(frozen=True)
class Choice:
    index: int  # its place in the scene's list, stable for saves
    text: Text
    cond: Compiled | None = None
    show_locked: bool = False
    locked_text: str = ""
    once: bool = False
    effects: tuple[Effect, ...] = ()
    goto: str | None = None  # with branches: the last branch's scene
    roll: tuple[Outcome, ...] = ()
    mark: Mark = NO_MARK
    branches: tuple[Branch, ...] = ()  # format 1.1: a conditional `goto`
    shown_locked_text: Text | None = None  # format 1.1: locked_text with placeholders

    @property
    def targets(self) -> tuple[str, ...]:
        """Every scene this choice can lead to, in order, each once."""
        if self.roll:
            found = [t for o in self.roll for t in o.targets]
        elif self.branches:
            found = [b.goto for b in self.branches]
        else:
            found = [self.goto] if self.goto else []
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Scene:
    id: str
    stage: str
    text: tuple[TextPart, ...] = ()
    facts: tuple[Fact, ...] = ()
    choices: tuple[Choice, ...] = ()
    ending: str | None = None
    mark: Mark = NO_MARK
    enter: tuple[Effect, ...] = ()  # format 1.1: applied on each entry, before the text

    @property
    def shuffles(self) -> int:
        """How many draws each entry takes: one per `shuffle` in the text."""
        return sum(p.variation == "shuffle" for p in self.text)


@dataclass
class Scenario:
    id: str
    title: str
    path: str
    start: str
    format: str = "1"  # "1" or "1.1"
    language: str = "en"
    summary: str = ""
    audience: str = ""
    authors: tuple[str, ...] = ()
    content_notes: tuple[str, ...] = ()
    sources: dict[str, Source] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=Glossary)  # a Glossary when loaded
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term -> other words (1.1)
    glossary_marks: dict[str, Mark] = field(default_factory=dict)  # where each term is defined
    variables: dict[str, Variable] = field(default_factory=dict)
    personas: dict[str, Persona] = field(default_factory=dict)
    route: dict[str, Stage] = field(default_factory=dict)
    endings: dict[str, Ending] = field(default_factory=dict)
    scenes: dict[str, Scene] = field(default_factory=dict)
    lesson: Lesson | None = None  # format 1.1
    files: tuple[str, ...] = ()  # the main file, then every included file
    fingerprint: str = ""  # a hash of every file's bytes, to spot changed saves

    def labels(self) -> dict[str, str]:
        return {name: var.title for name, var in self.variables.items()}

    @property
    def cover(self) -> Cover:
        return Cover(self.id, self.title, self.path, self.summary, self.audience, self.content_notes)


@dataclass
class Loaded:
    """The outcome of loading: a scenario when there were no errors."""

    scenario: Scenario | None
    diagnostics: Diagnostics
    raw: Scenario | None = None  # built even with errors, for tools that inspect

    @property
    def ok(self) -> bool:
        return self.scenario is not None


def branch_trees(branches: tuple[Branch, ...]) -> Iterator[Expr]:
    """The conditions of a conditional `goto` (format 1.1)."""
    for branch in branches:
        if branch.cond:
            yield branch.cond.tree


def expression_trees(scenario: Scenario, *, text: bool, facts: bool) -> Iterator[Expr]:
    """Every expression that decides the way on (entry effects, choices, their
    branches and rolls), with text and fact conditions when asked for."""
    for scene in scenario.scenes.values():
        if text:
            yield from (part.cond.tree for part in scene.text if part.cond)
        if facts:
            yield from (fact.cond.tree for fact in scene.facts if fact.cond)
        for effect in scene.enter:
            yield effect.value.tree
        for choice in scene.choices:
            if choice.cond:
                yield choice.cond.tree
            for effect in choice.effects:
                yield effect.value.tree
            yield from branch_trees(choice.branches)
            for outcome in choice.roll:
                yield outcome.weight.tree
                yield from branch_trees(outcome.branches)
                for effect in outcome.effects:
                    yield effect.value.tree
