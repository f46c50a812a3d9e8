"""Format 1 as data: the one model that the loader, the docs and the JSON Schema share.

Each record of the format is a list of fields; each field has a type and a
description. `conform` checks a YAML node tree against a type and returns plain
Python values (with the node kept beside each, for positions), reporting every
problem to the diagnostics collector. docs/authoring.md's reference tables and
`journey schema` are generated from the same records.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .diagnostics import Diagnostics, did_you_mean
from .yamlnodes import Map, Node, Scalar, Seq

FORMAT_VERSIONS = ("1", "1.1")
NEWER = "1.1"  # the format that the keys and forms marked `since` need
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RESERVED = frozenset({"and", "or", "not", "true", "false", "persona", "visits", "name"})
ENDING_KINDS = ("safe", "hard", "open")


class Invalid:
    """The marker for a value that did not conform (already reported)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = Invalid()


@dataclass(frozen=True)
class Type:
    """A value type of the format."""

    name: str  # as the docs show it
    json: dict[str, Any]  # its JSON Schema
    conform: Callable[[Node, Diagnostics, str], Any]


@dataclass(frozen=True)
class Field:
    key: str
    type: Type | str  # a str names a record
    required: bool = False
    doc: str = ""
    since: str = "1"  # the format version that added it


@dataclass(frozen=True)
class Record:
    name: str
    doc: str
    fields: tuple[Field, ...]
    extra: str = ""  # a note for the docs

    def field(self, key: str) -> Field | None:
        return self._by_key.get(key)

    @cached_property
    def _by_key(self) -> dict[str, Field]:  # looked up for every key of every record
        by_key: dict[str, Field] = {}
        for f in self.fields:
            by_key.setdefault(f.key, f)
        return by_key


@dataclass
class Conformed:
    """A conformed record: values by key, and the nodes they came from."""

    node: Map
    values: dict[str, Any] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key, default)
        return default if value is INVALID else value

    def mark(self, key: str):  # type: ignore[no-untyped-def]
        node = self.nodes.get(key)
        return node.mark if node is not None else self.node.mark


def _wrong(node: Node, diags: Diagnostics, what: str, want: str, hint: str = "") -> Any:
    got = node.kind
    diags.add(
        node.mark, "E112", f"{what} should be {want}, not {_article(got)}", hint or f"write {want} here"
    )
    return INVALID


def _article(kind: str) -> str:
    if kind in ("empty value",):
        return "an empty value"
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _text(node: Node, diags: Diagnostics, what: str) -> Any:
    if isinstance(node, Scalar) and node.value is not None:
        return node.raw if not isinstance(node.value, str) else node.value
    return _wrong(node, diags, what, "text")


# A number written as people write prices: with thousands separators, a
# currency sign or a unit (`1,400`, `-100 USD`, `€20`, `5 %`).
NUMBER_LIKE = re.compile(
    r"^\s*(?P<sign>[-+]?)\s*[$€£¥₩]?\s*(?P<digits>\d{1,3}(?:[,. _']\d{3})+|\d+)\s*"
    r"(?:[A-Za-z%€$£¥₩]+\.?)?\s*$"
)


def number_fix(text: str) -> str | None:
    """`1400` for "1,400" or "1400 USD": the number as the format writes it, when
    `text` is a number with separators or a unit, else None."""
    m = NUMBER_LIKE.match(text)
    if m is None:
        return None
    fixed = m.group("sign").replace("+", "") + re.sub(r"\D", "", m.group("digits"))
    return None if fixed == text.strip() else fixed


def number_hint(text: str) -> str:
    fixed = number_fix(text)
    return f"numbers are written without separators or units: write `{fixed}`" if fixed else ""


def _prose(node: Node, diags: Diagnostics, what: str) -> Any:
    """Text players read: as `_text`, and a warning where ` #` silently cut it short."""
    value = _text(node, diags, what)
    if isinstance(node, Scalar) and node.comment is not None:
        diags.add(
            node.comment,
            "W204",
            f"YAML ends unquoted text at ` #`: the rest of this line is a comment, not part of {what}",
            'quote the whole text (`"..."`) to keep the `#` and what follows it',
        )
    return value


YES_NO = frozenset({"yes", "no", "on", "off", "y", "n"})


def _yes_no(node: Node, diags: Diagnostics) -> None:
    """`yes`/`no`/`on`/`off` read as true/false here, but editors' schemas read them
    as text: say to write `true`/`false`, so both agree."""
    if isinstance(node, Scalar) and isinstance(node.value, bool) and node.raw.lower() in YES_NO:
        diags.add(
            node.mark,
            "W205",
            f"`{node.raw}` is read as {'true' if node.value else 'false'} here, but as text by editors",
            f"write `{'true' if node.value else 'false'}`",
        )


def _int(node: Node, diags: Diagnostics, what: str) -> Any:
    if isinstance(node, Scalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    hint = number_hint(node.raw) if isinstance(node, Scalar) and isinstance(node.value, str) else ""
    return _wrong(node, diags, what, "a whole number", hint)


def _bool(node: Node, diags: Diagnostics, what: str) -> Any:
    if isinstance(node, Scalar) and isinstance(node.value, bool):
        _yes_no(node, diags)
        return node.value
    return _wrong(node, diags, what, "`true` or `false`")


def _int_or_bool(node: Node, diags: Diagnostics, what: str) -> Any:
    if isinstance(node, Scalar) and isinstance(node.value, int):
        _yes_no(node, diags)
        return node.value
    hint = number_hint(node.raw) if isinstance(node, Scalar) and isinstance(node.value, str) else ""
    return _wrong(node, diags, what, "a whole number or `true`/`false`", hint)


def _slug(node: Node, diags: Diagnostics, what: str) -> Any:
    value = _text(node, diags, what)
    if value is not INVALID and not SLUG.match(value):
        diags.add(
            node.mark,
            "E114",
            f"{what} `{value}` is not a slug",
            "use lowercase letters, digits and single hyphens, for example "
            f"`{_slugify(value) or 'my-scenario'}`",
        )
        return INVALID
    return value


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _expr_source(node: Node, diags: Diagnostics, what: str) -> Any:
    """An expression: its source text (parsed later, where the names are known)."""
    if isinstance(node, Scalar) and node.value is not None and not isinstance(node.value, float):
        if isinstance(node.value, bool):
            _yes_no(node, diags)
            return "true" if node.value else "false"
        return str(node.value)
    return _wrong(
        node,
        diags,
        what,
        "an expression",
        "write an expression such as `money >= 10`, a number, or true/false",
    )


# A plain scalar such as `1984` or `yes` is text here (its raw spelling), so the
# schema must not flag what the loader accepts.
TEXT = Type("text", {"type": ["string", "number", "boolean"]}, _text)
PROSE = Type("text", TEXT.json, _prose)  # text shown to players
INT = Type("whole number", {"type": "integer"}, _int)
BOOL = Type("true/false", {"type": "boolean"}, _bool)
INT_OR_BOOL = Type("whole number or true/false", {"type": ["integer", "boolean"]}, _int_or_bool)
SLUG_T = Type("slug", {"type": "string", "pattern": SLUG.pattern}, _slug)
EXPR = Type("expression", {"type": ["string", "integer", "boolean"]}, _expr_source)


def _format(node: Node, diags: Diagnostics, what: str) -> Any:
    """`1` or `1.1` (YAML reads 1.1 as a decimal number; "1.1" in quotes is fine too)."""
    if isinstance(node, Scalar) and not isinstance(node.value, bool) and node.value is not None:
        return node.raw.strip()
    return _wrong(node, diags, what, "a format version", "write `format: 1` or `format: 1.1`")


FORMAT = Type("1 or 1.1", {"enum": [1, 1.1, "1.1"]}, _format)


def newer(t: Type | str, form: str) -> Type:
    """A form of a value that format 1.1 added: using it under `format: 1` is reported."""

    def conform(node: Node, diags: Diagnostics, what: str) -> Any:
        diags.newer.append((node.mark, form))
        return conform_to(t, node, diags, what)

    return Type(_type_name(t), json_ref(t), conform)


def list_of(item: Type | str, *, single: bool = False, noun: str = "") -> Type:
    """A list; with `single`, one bare item is taken as a list of one."""

    def conform(node: Node, diags: Diagnostics, what: str) -> Any:
        if single and isinstance(node, Scalar) and node.value is not None:
            node = Seq(node.mark, items=[node])
        if not isinstance(node, Seq):
            return _wrong(node, diags, what, "a list", "write one item per line, each starting with `- `")
        out = []
        for i, child in enumerate(node.items):
            label = f"{noun} {i + 1}" if noun else f"item {i + 1} of {what}"
            value = conform_to(item, child, diags, label)
            if value is not INVALID:
                out.append((value, child))
        return out

    return Type(
        f"list of {_type_name(item)}",
        {"type": "array", "items": json_ref(item)}
        if not single
        else {"anyOf": [json_ref(item), {"type": "array", "items": json_ref(item)}]},
        conform,
    )


def map_of(item: Type | str, key_what: str = "key") -> Type:
    def conform(node: Node, diags: Diagnostics, what: str) -> Any:
        if not isinstance(node, Map):
            return _wrong(node, diags, what, f"a mapping of {key_what} to {_type_name(item)}")
        out = {}
        for key, child in node.items:
            name = key.raw if key.value is not None else ""
            if not name.strip():
                diags.add(key.mark, "E112", f"an empty {key_what} in {what}", f"give each entry a {key_what}")
                continue
            noun = key_what.removesuffix(" id").removesuffix(" name")
            value = conform_to(item, child, diags, f"the {noun} `{name}`")
            if value is not INVALID:
                out[name] = (value, key, child)
        return out

    return Type(
        f"map of {key_what} to {_type_name(item)}",
        {"type": "object", "additionalProperties": json_ref(item)},
        conform,
    )


def one_of(*options: Type | str, name: str) -> Type:
    """The first option whose shape matches the node (text, list or mapping)."""

    def conform(node: Node, diags: Diagnostics, what: str) -> Any:
        for option in options:
            if _shape_matches(option, node):
                return conform_to(option, node, diags, what)
        return _wrong(node, diags, what, name)

    return Type(name, {"anyOf": [json_ref(o) for o in options]}, conform)


def _shape_matches(option: Type | str, node: Node) -> bool:
    if isinstance(option, str) or "$ref" in option.json:  # a record
        return isinstance(node, Map)
    kind = option.json.get("type")
    if kind == "array":
        return isinstance(node, Seq)
    if kind == "object":
        return isinstance(node, Map)
    return isinstance(node, Scalar)


def _type_name(t: Type | str) -> str:
    return t if isinstance(t, str) else t.name


def json_ref(t: Type | str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{t}"} if isinstance(t, str) else t.json


def conform_to(t: Type | str, node: Node, diags: Diagnostics, what: str) -> Any:
    if isinstance(t, str):
        return conform_record(RECORDS[t], node, diags, what)
    return t.conform(node, diags, what)


MERGE_HINT = (
    "YAML merge keys (`<<: *name`) are not part of format 1: write the keys out "
    "in full, so that every scene reads on its own"
)


def conform_record(record: Record, node: Node, diags: Diagnostics, what: str) -> Any:
    if not isinstance(node, Map):
        return _wrong(
            node,
            diags,
            what,
            f"a mapping ({record.doc.rstrip('.')})",
            "write `key: value` lines: " + ", ".join(f.key for f in record.fields if f.required) or "",
        )
    found = Conformed(node)
    for key, child in node.items:
        name = key.raw
        spec = record.field(name)
        if spec is None:
            known = [f.key for f in record.fields]
            hint = MERGE_HINT if name == "<<" and not key.style else did_you_mean(name, known, "keys")
            diags.add(key.mark, "E110", f"unknown key `{name}` in {what}", hint)
            continue
        found.nodes[name] = child
        if spec.since != "1":
            diags.newer.append((key.mark, f"`{name}`"))
        found.values[name] = conform_to(spec.type, child, diags, f"`{name}`")
    for spec in record.fields:
        if spec.required and spec.key not in found.nodes:
            diags.add(
                node.mark,
                "E111",
                f"{what} has no `{spec.key}`",
                f"add `{spec.key}:` ({spec.doc.rstrip('.')})",
            )
            found.values[spec.key] = INVALID
    return found


TEXT_OR_PARTS = "scene-text"

RECORDS: dict[str, Record] = {}


def _record(name: str, doc: str, *fields: Field, extra: str = "") -> None:
    RECORDS[name] = Record(name, doc, fields, extra)


GLOSSARY = map_of(
    one_of(
        TEXT,
        newer("glossary-entry", "a glossary entry with `text` and `aliases`"),
        name="text or {text, aliases}",
    ),
    "term",
)
GOTO = one_of(
    TEXT,
    newer(list_of("branch", noun="branch"), "a list of branches under `goto`"),
    name="scene id, or a list of {if, goto} branches",
)
_record(
    "scenario",
    "A scenario file.",
    Field("format", FORMAT, True, "The format version: `1`, or `1.1` to use the additions of format 1.1."),
    Field("id", SLUG_T, True, "A slug (a-z, 0-9, -) naming the scenario; saves use it."),
    Field("title", PROSE, True, "The title shown to players."),
    Field("language", TEXT, False, "A BCP 47 language tag; default `en`."),
    Field("summary", PROSE, False, "A few sentences for the scenario picker and teacher guide."),
    Field("audience", PROSE, False, "Who it is for, such as `ages 14 and up`."),
    Field("authors", list_of(TEXT, single=True), False, "Who wrote it."),
    Field("content_notes", list_of(TEXT, single=True), False, "Shown before play; the player can back out."),
    Field("sources", map_of("source", "source id"), False, "The sources that fact cards cite, by id."),
    Field(
        "glossary",
        GLOSSARY,
        False,
        "Terms and their definitions; terms found in text are marked.",
    ),
    Field("variables", map_of("variable", "variable name"), False, "The journey's state, by name."),
    Field(
        "personas",
        list_of("persona", noun="persona"),
        False,
        "Who the player can be; with none, there is no pick.",
    ),
    Field("route", list_of("stage", noun="stage"), True, "The stages of the journey, in order."),
    Field("endings", map_of("ending", "ending id"), True, "The endings, by id."),
    Field("start", TEXT, True, "The id of the first scene."),
    Field("scenes", map_of("scene", "scene id"), True, "The scenes, by id."),
    Field(
        "include",
        list_of(TEXT, single=True),
        False,
        "More files of scenes (and sources, glossary), relative to this file.",
    ),
    Field(
        "lesson", "lesson", False, "A lesson plan for the teacher's guide (never shown to players).", "1.1"
    ),
)
_record(
    "include-file",
    "A file named by `include`.",
    Field("scenes", map_of("scene", "scene id"), False, "More scenes, by id."),
    Field("sources", map_of("source", "source id"), False, "More sources, by id."),
    Field("glossary", GLOSSARY, False, "More glossary terms."),
    Field("include", list_of(TEXT, single=True), False, "Further files, relative to this one."),
)
_record(
    "source",
    "A source that fact cards cite.",
    Field("title", PROSE, True, "The title of the work."),
    Field("publisher", PROSE, False, "Who published it."),
    Field("year", INT, False, "The year it was published."),
    Field("url", TEXT, False, "Where to read it."),
)
_record(
    "glossary-entry",
    "A glossary entry with other words that mean the same (format 1.1).",
    Field("text", PROSE, True, "The definition."),
    Field(
        "aliases",
        list_of(TEXT, single=True),
        False,
        "Other words marked as this term (any case, whole words), such as a plural.",
    ),
)
_record(
    "variable",
    "A variable of the journey's state.",
    Field(
        "start",
        INT_OR_BOOL,
        True,
        "The start value; a whole number or true/false (this fixes the variable's type).",
    ),
    Field("min", INT, False, "The lowest value a number can take."),
    Field("max", INT, False, "The highest value a number can take."),
    Field("label", PROSE, False, "The name players see."),
    Field("shown", BOOL, False, "`true` shows it in the status panel."),
    Field(
        "words",
        map_of(TEXT, "lowest value"),
        False,
        "Words shown instead of the number: the lowest value of each band, and its word. "
        "The first band starts at `min`.",
        "1.1",
    ),
    Field("hidden", BOOL, False, "`true`: never shown to players (cannot go with `shown: true`).", "1.1"),
)
_record(
    "persona",
    "Someone the player can be.",
    Field("id", TEXT, True, 'The persona\'s id, for `persona == "id"`.'),
    Field("name", PROSE, True, "The name shown, and `{name}` in text."),
    Field("about", PROSE, False, "A sentence or two shown on the pick."),
    Field(
        "set",
        map_of(INT_OR_BOOL, "variable name"),
        False,
        "Start values that differ from the variables' `start`.",
    ),
)
_record(
    "stage",
    "A stage of the route.",
    Field("id", TEXT, True, "The stage id that scenes name."),
    Field("title", PROSE, True, "The title on the route map."),
    Field("place", PROSE, False, "Where it is (country or region level)."),
    Field("discussion", list_of(PROSE, single=True), False, "Questions for a class, shown in the debrief."),
    Field("exercise", PROSE, False, "A short task for the class at this stage (a worksheet step).", "1.1"),
    Field("answers", PROSE, False, "Notes for the teacher on the exercise; never shown to players.", "1.1"),
)
_record(
    "lesson",
    "A lesson plan around the scenario, for the teacher's guide (format 1.1).",
    Field("minutes", INT, False, "How long the whole lesson takes."),
    Field("plan", list_of("lesson-step", noun="step"), False, "The lesson's steps, in order."),
    Field("safeguarding", PROSE, False, "What to watch for and how to support students."),
    Field("before", PROSE, False, "What to prepare or teach before playing."),
    Field("after", PROSE, False, "What to do after playing."),
)
_record(
    "lesson-step",
    "A step of a lesson plan.",
    Field("minutes", INT, False, "How long it takes."),
    Field("do", PROSE, True, "What the class does."),
)
_record(
    "ending",
    "An ending of the journey.",
    Field("title", PROSE, True, "The ending's title."),
    Field("kind", TEXT, True, "`safe`, `hard` or `open`."),
    Field("debrief", PROSE, False, "What this outcome means in reality; shown at the end."),
)
_record(
    "text-part",
    "A part of a scene's text: shown only when its condition holds, or varied by visit "
    "(format 1.1: exactly one of `text`, `seq`, `cycle`, `shuffle`, `once`).",
    Field("text", PROSE, False, "Markdown text."),
    Field("if", EXPR, False, "An expression; the text shows when it is true."),
    Field("seq", list_of(PROSE), False, "One text per visit in turn; the last stays.", "1.1"),
    Field("cycle", list_of(PROSE), False, "One text per visit in turn, then again from the first.", "1.1"),
    Field("shuffle", list_of(PROSE), False, "One text drawn at random on each visit (replays alike).", "1.1"),
    Field("once", PROSE, False, "Text shown on the first visit only.", "1.1"),
)
_record(
    "fact",
    "A 'learn more' card.",
    Field("title", PROSE, True, "The card's title."),
    Field("text", PROSE, True, "The fact, in a few sentences."),
    Field("source", TEXT, True, "The id of an entry of `sources`."),
    Field("if", EXPR, False, "An expression; the card shows only when it holds on entry.", "1.1"),
)


def _split_numbers(node: Node, diags: Diagnostics) -> Node:
    """`{money: 1,400}` is read by YAML as `money: 1` and a key `400`: report the
    number once, and drop the stray key (so no follow-on errors)."""
    if not isinstance(node, Map):
        return node
    items: list[tuple[Scalar, Node]] = []
    for key, child in node.items:
        last = items[-1][1] if items else None
        if (
            isinstance(last, Scalar)
            and isinstance(last.value, int)
            and not isinstance(last.value, bool)
            and key.raw.isdigit()
            and isinstance(child, Scalar)
            and child.value is None
        ):
            written = f"{last.raw},{key.raw}"
            diags.add(
                last.mark,
                "E132",
                f"`{written}` is not a number: YAML reads `{last.raw}` and then a key `{key.raw}`",
                f"numbers are written without separators or units: write `{last.raw}{key.raw}`",
            )
            continue
        items.append((key, child))
    return Map(node.mark, node.size, items) if len(items) != len(node.items) else node


_EFFECT_MAP = map_of(EXPR, "variable name")
EFFECTS = Type(
    _EFFECT_MAP.name,
    _EFFECT_MAP.json,
    lambda node, diags, what: _EFFECT_MAP.conform(_split_numbers(node, diags), diags, what),
)
_record(
    "branch",
    "One branch of a conditional `goto` (format 1.1): the first whose `if` holds is taken.",
    Field("if", EXPR, False, "An expression; leave it out on the last branch."),
    Field("goto", TEXT, True, "The next scene."),
)
_record(
    "outcome",
    "One outcome of a roll.",
    Field("weight", EXPR, True, "A whole number or an expression; below 0 counts as 0."),
    Field("goto", GOTO, True, "The next scene (format 1.1: or a list of {if, goto} branches)."),
    Field("set", EFFECTS, False, "Variables to set (values or expressions)."),
    Field("add", EFFECTS, False, "Whole numbers to add (negative to subtract)."),
)
_record(
    "choice",
    "A choice the player can take.",
    Field("text", PROSE, True, "What the player picks."),
    Field("if", EXPR, False, "When false, the choice is hidden (or locked)."),
    Field("show_locked", BOOL, False, "`true`: when `if` is false, show it disabled."),
    Field("locked_text", PROSE, False, "The reason shown for a locked choice."),
    Field("once", BOOL, False, "`true`: hidden once it has been taken."),
    Field("set", EFFECTS, False, "Variables to set (values or expressions)."),
    Field("add", EFFECTS, False, "Whole numbers to add (negative to subtract)."),
    Field(
        "goto", GOTO, False, "The next scene (or use `roll`); format 1.1: or a list of {if, goto} branches."
    ),
    Field("roll", list_of("outcome", noun="outcome"), False, "Outcomes drawn by weight (instead of `goto`)."),
)
_record(
    "effects",
    "Effects on the journey's variables.",
    Field("set", EFFECTS, False, "Variables to set (values or expressions)."),
    Field("add", EFFECTS, False, "Whole numbers to add (negative to subtract)."),
)
SCENE_TEXT = one_of(
    PROSE,
    list_of(one_of(PROSE, "text-part", name="text or {if, text}")),
    name="text, or a list of text and {if, text} items",
)
_record(
    "scene",
    "A scene of the journey.",
    Field("stage", TEXT, True, "The route stage this scene belongs to."),
    Field("text", SCENE_TEXT, False, "Markdown; `{name}` and `{variable}` are filled in."),
    Field("facts", list_of("fact", noun="fact"), False, "The scene's 'learn more' cards."),
    Field("choices", list_of("choice", noun="choice"), False, "The choices; needed unless `ending` is set."),
    Field("ending", TEXT, False, "An ending id: this scene ends the journey."),
    Field(
        "enter",
        "effects",
        False,
        "Effects applied each time the scene is entered, before its text is shown.",
        "1.1",
    ),
)


def _described(f: Field) -> dict[str, Any]:
    """A property's schema, with the help an editor shows on hover."""
    prop = dict(json_ref(f.type))
    if "$ref" in prop:
        prop = {"allOf": [prop]}
    doc = f.doc + (" (format 1.1)" if f.since != "1" else "")
    if doc:
        prop["title"] = f.key
        prop["description"] = doc
        required = "required" if f.required else "optional"
        prop["markdownDescription"] = f"**`{f.key}`** ({required}, {_type_name(f.type)})\n\n{doc}"
    return prop


def json_schema() -> dict[str, Any]:
    """The JSON Schema of format 1.1 (and so of format 1), generated from the records above."""
    defs: dict[str, Any] = {}
    for record in RECORDS.values():
        props = {f.key: _described(f) for f in record.fields}
        defs[record.name] = {
            "type": "object",
            "title": record.name,
            "description": record.doc,
            "markdownDescription": record.doc,
            "properties": props,
            "required": [f.key for f in record.fields if f.required],
            "additionalProperties": False,
        }
    fmt = defs["scenario"]["properties"]["format"]
    fmt.pop("type", None)
    fmt["enum"] = [1, 1.1, "1.1"]
    defs["ending"]["properties"]["kind"] = {
        **defs["ending"]["properties"]["kind"],
        "type": "string",
        "enum": list(ENDING_KINDS),
    }
    defs["text-part"]["oneOf"] = [{"required": [key]} for key in ("text", "seq", "cycle", "shuffle", "once")]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://journey.invalid/schema/scenario-format-1.json",
        "title": "journey scenario, format 1 and 1.1",
        "$ref": "#/$defs/scenario",
        "$defs": defs,
    }
