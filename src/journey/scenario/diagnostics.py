"""Diagnostics: what is wrong in a scenario, where, and how to fix it.

Every kind of problem has a stable code, so that docs/authoring.md can explain
each one and tools can filter on it. Messages are collected, never raised, so an
educator sees every problem in a file at once.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from .text import printable


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # information that neither blocks play nor fails --strict


class Mark(NamedTuple):
    """A position in a file; line and column count from 1. A named tuple, not a
    dataclass: the composer makes one per YAML value, and a tuple is made in a
    third of the time (ordered and compared as (path, line, col) all the same)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str
    fix: str


def _codes(*rows: tuple[str, str, str, str]) -> dict[str, Code]:
    table = {}
    for code, name, summary, fix in rows:
        severity = {"E": Severity.ERROR, "W": Severity.WARNING}.get(code[0], Severity.NOTE)
        table[code] = Code(code, name, severity, summary, fix)
    return table


# The catalogue of diagnostics. docs/authoring.md is generated from it.
CODES: dict[str, Code] = _codes(
    (
        "E100",
        "file-unreadable",
        "The file cannot be read, or is not UTF-8 text.",
        "Check the path, and save the file as UTF-8 text.",
    ),
    (
        "E101",
        "yaml-syntax",
        "The file is not valid YAML.",
        "Look at the line shown and the one before it: a missing quote, a tab used for "
        "indenting, or a colon inside unquoted text are the usual causes.",
    ),
    (
        "E102",
        "duplicate-key",
        "The same key appears twice in one mapping.",
        "Keep one of them: YAML would silently drop the first.",
    ),
    (
        "E103",
        "yaml-unsupported",
        "The file uses a YAML feature that scenarios do not allow "
        "(custom tags, recursive aliases, complex keys, several documents, huge expansions).",
        "Write the value out plainly.",
    ),
    (
        "E104",
        "too-large",
        "The file is too large or too deeply nested to be a scenario.",
        "Split the scenario with `include`, or remove the runaway nesting.",
    ),
    (
        "E110",
        "unknown-key",
        "A key that format 1 does not define.",
        "Check the spelling against the reference tables; the hint suggests the nearest key.",
    ),
    ("E111", "missing-key", "A required key is missing.", "Add the key shown."),
    (
        "E112",
        "wrong-type",
        "A value has the wrong type (for example a list where text is expected).",
        "Write the value in the form the reference table gives.",
    ),
    (
        "E113",
        "bad-format",
        "`format` is missing or names a version this program does not support.",
        "Write `format: 1` at the top of the file.",
    ),
    (
        "E114",
        "bad-id",
        "An id is not a slug of lowercase letters, digits and hyphens.",
        "Use only a-z, 0-9 and -, for example `tumen-river`.",
    ),
    (
        "E115",
        "duplicate-id",
        "Two items share one id.",
        "Give each scene, stage, persona, source and ending its own id.",
    ),
    (
        "E116",
        "bad-value",
        "A value is out of its allowed range or set.",
        "Use one of the values the hint gives.",
    ),
    (
        "E117",
        "needs-format-1.1",
        "A key or form that format 1.1 added, in a file that says `format: 1`.",
        "Write `format: 1.1` at the top of the scenario.",
    ),
    (
        "E120",
        "unknown-scene",
        "A `goto`, `start` or `visits(...)` names a scene that does not exist.",
        "Check the spelling; the hint suggests the nearest scene id.",
    ),
    (
        "E121",
        "unknown-stage",
        "A scene's `stage` is not an id in `route`.",
        "Use one of the route's stage ids, or add the stage to `route`.",
    ),
    (
        "E122",
        "unknown-ending",
        "A scene's `ending` is not an id in `endings`.",
        "Use one of the ending ids, or add the ending to `endings`.",
    ),
    (
        "E123",
        "unknown-source",
        "A fact's `source` is not an id in `sources`.",
        "Add the source to `sources`, or fix the spelling.",
    ),
    (
        "E124",
        "unknown-variable",
        "An expression, effect or `{name}` in text uses a variable that is not declared.",
        "Declare it under `variables`, or fix the spelling.",
    ),
    (
        "E125",
        "unknown-persona",
        "A persona id used in an expression does not exist.",
        "Use one of the ids under `personas`.",
    ),
    (
        "E130",
        "expression-syntax",
        "An expression cannot be parsed.",
        'Expressions use numbers, true/false, "strings", variable names, persona, '
        'visits("scene"), + - *, comparisons, and/or/not and parentheses.',
    ),
    (
        "E131",
        "expression-type",
        "An expression mixes types, such as `money and 3`.",
        "Compare numbers with numbers; use and/or/not only on true/false values.",
    ),
    (
        "E132",
        "number-format",
        "A number written with thousands separators, a currency sign or a unit, "
        "such as `1,400` or `-100 USD`.",
        "Write numbers as digits only, with a minus sign where needed: `1400`, `-100`.",
    ),
    (
        "E140",
        "dead-end-scene",
        "A scene has neither choices nor an ending.",
        "Give it at least one choice, or an `ending:`.",
    ),
    (
        "E141",
        "ending-with-choices",
        "A scene with an `ending` also has choices.",
        "An ending scene ends the journey: remove its choices, or its `ending`.",
    ),
    (
        "E142",
        "choice-target",
        "A choice needs exactly one of `goto` or `roll`.",
        "Use `goto` for a fixed next scene, `roll` for a chance of several.",
    ),
    (
        "E143",
        "goto-branches",
        "A conditional `goto` list is empty, or its branches are out of order: every branch but "
        "the last needs an `if`, and the last has none.",
        "End the list with a branch without `if` (taken when no condition holds); give the others an `if`.",
    ),
    (
        "E150",
        "include-outside",
        "An include path leaves the scenario's folder.",
        "Keep included files in the scenario's folder or below it.",
    ),
    (
        "E151",
        "include-missing",
        "An included file does not exist or cannot be read.",
        "Check the path; it is relative to the file that includes it.",
    ),
    (
        "E152",
        "include-cycle",
        "Files include each other in a loop.",
        "Include each file once, from the main scenario file.",
    ),
    (
        "E153",
        "included-file",
        "A file with scenes but no `format:` was given to check: it is a part of a scenario, "
        "read through the `include:` of the scenario file.",
        "Check the scenario that includes it (the hint names it when it is in the same folder).",
    ),
    (
        "W200",
        "control-characters",
        "Text held control characters (such as terminal escape sequences); they were removed.",
        "Delete them from the file; they are never shown.",
    ),
    (
        "W201",
        "stray-brace",
        "A `{` or `}` in text is not part of a `{name}`.",
        "Write `{{` or `}}` for a literal brace.",
    ),
    (
        "W203",
        "start-out-of-bounds",
        "A variable's `start`, or a persona's `set`, is outside the variable's own `min`/`max`, "
        "so it is clamped before play begins.",
        "Give a value between `min` and `max`, or widen the bounds.",
    ),
    (
        "W204",
        "comment-in-text",
        "Unquoted text has ` #` in it: YAML makes the rest of the line a comment, so the text is cut short.",
        "Put the whole text in quotes to keep the `#` and what follows it.",
    ),
    (
        "W205",
        "yes-no",
        "`yes`, `no`, `on` or `off` written for true/false: this program reads them so, but "
        "editors (and the JSON Schema) read them as text.",
        "Write `true` or `false`.",
    ),
    (
        "W210",
        "unreachable-scene",
        "No path from the start reaches this scene.",
        "Add a choice that leads here, or remove the scene.",
    ),
    (
        "W211",
        "unreachable-ending",
        "No path from the start reaches this ending.",
        "Add a scene with this ending that a path reaches, or remove the ending.",
    ),
    (
        "W212",
        "no-way-to-end",
        "From this scene no ending can be reached: players get stuck.",
        "Give the scene, or the scenes after it, a way on to an ending.",
    ),
    (
        "W213",
        "choice-never-available",
        "This choice's condition is never true when the scene is shown, so no player can take it.",
        "Check the condition against the variables' starts, bounds and effects.",
    ),
    (
        "W230",
        "bad-url",
        "A link is not to an http(s) or mailto address (a source's `url`, or a "
        "`[text](target)` link in Markdown text), so guides and transcripts show it as "
        "text, never as a link.",
        "Write the full web address, starting with `https://`.",
    ),
    (
        "W220",
        "glossary-unused",
        "A glossary term appears in no text players see, so it is never marked or offered.",
        "Use the word in a scene, choice or fact, give the entry the `aliases` the text uses, or remove it.",
    ),
    (
        "W221",
        "source-uncited",
        "No fact cites this source.",
        "Cite it from a fact (`source: id`), or remove it.",
    ),
    (
        "W222",
        "personas-alike",
        "Two personas play exactly alike: the same start values, and no condition names either.",
        'Give one a `set:` of its own, or text or choices with `if: persona == "id"`; or merge them.',
    ),
    (
        "N300",
        "search-bounded",
        "Within its budget the checker could neither find a journey that reaches some scenes, "
        "endings, choices or roll outcomes, nor prove that none can; the note names them.",
        "`journey validate --max-states N` with a larger N tries more game situations; "
        "`journey playtest --exhaustive` lists everything left unsettled.",
    ),
    (
        "W215",
        "weight-never-positive",
        "A roll outcome's weight is never above 0, so it is never drawn.",
        "Give it a positive weight, or remove it.",
    ),
    (
        "W216",
        "all-choices-hidden",
        "In some reachable state every choice of this scene is hidden: the player can only go back.",
        "Add a choice without an `if`, as a way on.",
    ),
)


@dataclass(frozen=True)
class Diagnostic:
    mark: Mark
    code: str
    message: str
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR)

    @property
    def name(self) -> str:
        return CODES[self.code].name

    def format(self) -> str:
        """The diagnostic as terminals show it (control characters made visible)."""
        head = f"{self.mark}: {self.severity.value}[{self.code}]: {self.message}"
        return printable(f"{head}\n    hint: {self.hint}" if self.hint else head)

    def to_json(self) -> dict[str, object]:
        return {
            "path": printable(self.mark.path),
            "line": self.mark.line,
            "col": self.mark.col,
            "severity": self.severity.value,
            "code": self.code,
            "name": self.name,
            "message": printable(self.message),
            "hint": printable(self.hint),
        }


class Diagnostics:
    """A collector that front ends read once loading is over."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        # where a file uses a key or form of format 1.1, to report under `format: 1`
        self.newer: list[tuple[Mark, str]] = []
        self.files: list[str] = []  # the files read, main first, as marks name them

    def key(self, d: Diagnostic) -> tuple[int, Mark, str, str]:
        """The order diagnostics are shown in: the main file's first, then each included
        file's in the order they were read; by position within a file."""
        order = self.files.index(d.mark.path) if d.mark.path in self.files else len(self.files)
        return (order, d.mark, d.code, d.message)

    def add(self, mark: Mark, code: str, message: str, hint: str = "") -> None:
        severity = CODES[code].severity
        self.items.append(Diagnostic(mark, code, message, hint, severity))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.NOTE]

    def sorted(self) -> list[Diagnostic]:
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=self.key)


def did_you_mean(name: str, choices: Iterable[str], what: str = "") -> str:
    """A hint naming the closest known names, or listing a few of them."""
    pool = sorted(set(choices))
    close = difflib.get_close_matches(name, pool, n=3, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        if name.lower() in lowered:
            close = [lowered[name.lower()]]
    if close:
        return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
    if not pool:
        return f"no {what or 'names'} are defined yet" if what else ""
    shown = ", ".join(f"`{c}`" for c in pool[:8])
    more = f" (and {len(pool) - 8} more)" if len(pool) > 8 else ""
    return f"known {what or 'names'}: {shown}{more}"


def to_json(items: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in items], ensure_ascii=False, indent=2)
