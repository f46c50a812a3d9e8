"""The loaded scenario: plain, checked data that the engine and tools read."""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Mark
from .expr import Evaluator, Expr
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

    @property
    def type(self) -> str:
        return "bool" if isinstance(self.start, bool) else "int"

    @property
    def title(self) -> str:
        return self.label or self.name

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


@dataclass(frozen=True)
class Ending:
    id: str
    title: str
    kind: str
    debrief: str = ""
    mark: Mark = NO_MARK


@dataclass(frozen=True)
class TextPart:
    text: Text
    cond: Compiled | None = None


@dataclass(frozen=True)
class Fact:
    title: str
    text: str
    source: str
    mark: Mark = NO_MARK


@dataclass(frozen=True)
class Effect:
    """`set` (op "set") or `add` (op "add") of one variable."""

    var: str
    op: str
    value: Compiled


@dataclass(frozen=True)
class Outcome:
    weight: Compiled
    goto: str
    effects: tuple[Effect, ...] = ()
    mark: Mark = NO_MARK


@dataclass(frozen=True)
class Choice:
    index: int  # its place in the scene's list, stable for saves
    text: Text
    cond: Compiled | None = None
    show_locked: bool = False
    locked_text: str = ""
    once: bool = False
    effects: tuple[Effect, ...] = ()
    goto: str | None = None
    roll: tuple[Outcome, ...] = ()
    mark: Mark = NO_MARK

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(o.goto for o in self.roll) if self.roll else ((self.goto,) if self.goto else ())


@dataclass(frozen=True)
class Scene:
    id: str
    stage: str
    text: tuple[TextPart, ...] = ()
    facts: tuple[Fact, ...] = ()
    choices: tuple[Choice, ...] = ()
    ending: str | None = None
    mark: Mark = NO_MARK


@dataclass
class Scenario:
    id: str
    title: str
    path: str
    start: str
    format: int = 1
    language: str = "en"
    summary: str = ""
    audience: str = ""
    authors: tuple[str, ...] = ()
    content_notes: tuple[str, ...] = ()
    sources: dict[str, Source] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)
    variables: dict[str, Variable] = field(default_factory=dict)
    personas: dict[str, Persona] = field(default_factory=dict)
    route: dict[str, Stage] = field(default_factory=dict)
    endings: dict[str, Ending] = field(default_factory=dict)
    scenes: dict[str, Scene] = field(default_factory=dict)
    files: tuple[str, ...] = ()  # the main file, then every included file
    fingerprint: str = ""  # a hash of every file's bytes, to spot changed saves

    def labels(self) -> dict[str, str]:
        return {name: var.title for name, var in self.variables.items()}
