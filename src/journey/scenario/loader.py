"""Load a scenario file (and its includes) into a checked `Scenario`.

`load` never raises for anything in the files: every problem becomes a
diagnostic with its position and a hint, and loading goes on to find the rest.
A scenario is playable when the result has no errors.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

from . import expr as ex
from .diagnostics import CODES, Diagnostics, Mark, did_you_mean
from .links import allowed_url, bad_links
from .model import (
    Choice,
    Compiled,
    Effect,
    Ending,
    Fact,
    Outcome,
    Persona,
    Scenario,
    Scene,
    Source,
    Stage,
    Text,
    TextPart,
    Variable,
)
from .schema import (
    ENDING_KINDS,
    FORMAT_VERSIONS,
    IDENTIFIER,
    INVALID,
    RECORDS,
    RESERVED,
    Conformed,
    conform_record,
)
from .text import placeholders
from .yamlnodes import Node, Scalar, parse, read_text

MAX_INCLUDES = 200


@dataclass
class Loaded:
    """The outcome of loading: a scenario when there were no errors."""

    scenario: Scenario | None
    diagnostics: Diagnostics
    raw: Scenario | None = None  # built even with errors, for tools that inspect

    @property
    def ok(self) -> bool:
        return self.scenario is not None


@dataclass
class _Parts:
    """What the main file and its includes hold, merged."""

    main: Conformed | None = None
    scenes: dict[str, tuple[Any, Node, Node]] = field(default_factory=dict)
    sources: dict[str, tuple[Any, Node, Node]] = field(default_factory=dict)
    glossary: dict[str, tuple[Any, Node, Node]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    digest: Any = field(default_factory=hashlib.sha256)


def display_path(path: str) -> str:
    """A path as diagnostics show it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


def load(path: str | os.PathLike[str]) -> Loaded:
    diags = Diagnostics()
    main_path = os.path.abspath(os.fspath(path))
    parts = _Parts()
    _read_file(main_path, os.path.dirname(main_path), parts, diags, [], None)
    raw = _build(parts, diags, main_path) if parts.main is not None else None
    scenario = raw if raw is not None and not diags.errors else None
    return Loaded(scenario, diags, raw)


def _read_file(
    path: str, root: str, parts: _Parts, diags: Diagnostics, chain: list[str], included_at: Mark | None
) -> None:
    shown = display_path(path)
    text = read_text(path, diags, shown) if included_at is None else None
    if included_at is not None:
        sub = Diagnostics()
        text = read_text(path, sub, shown)
        if text is None:
            reason = sub.items[0].message if sub.items else "cannot be read"
            diags.add(
                included_at,
                "E151",
                f"the included file `{shown}`: {reason}",
                "check the path; it is relative to the file that includes it",
            )
            return
    if text is None:
        return
    parts.files.append(path)
    parts.digest.update(text.encode("utf-8"))
    before = len(diags.items)
    node = parse(text, shown, diags)
    if node is None:
        # no document at all (blank, or only comments) is reported, not passed as ok
        if len(diags.items) == before and included_at is None:
            diags.add(
                Mark(shown, 1, 1),
                "E111",
                "the file is empty" if not text.strip() else "the file holds only comments, no scenario",
                "start with `format: 1`, or run `journey new` for a starter file",
            )
        return
    record = RECORDS["scenario" if included_at is None else "include-file"]
    if included_at is None and _is_mapping_without_format(node):
        diags.add(
            node.mark,
            "E113",
            "this file has no `format:`; it is not a scenario",
            "put `format: 1` at the top (an included file is checked through the scenario that includes it)",
        )
    found = conform_record(record, node, diags, "the scenario" if included_at is None else "an included file")
    if found is INVALID:
        return
    if included_at is None:
        parts.main = found
    _merge(found, parts, diags)
    for rel, item in found.get("include", []):
        _include(rel, item, path, root, parts, diags, [*chain, path])


def _is_mapping_without_format(node: Node) -> bool:
    from .yamlnodes import Map

    return isinstance(node, Map) and node.get("format") is None


def _include(
    rel: str, node: Node, path: str, root: str, parts: _Parts, diags: Diagnostics, chain: list[str]
) -> None:
    target = os.path.normpath(os.path.join(os.path.dirname(path), rel))
    real_root = os.path.realpath(root)
    real = os.path.realpath(target)
    if os.path.isabs(rel) or os.path.commonpath([real_root, real]) != real_root:
        diags.add(
            node.mark,
            "E150",
            f"`{rel}` is outside the scenario's folder",
            "keep included files in the scenario's folder or below it",
        )
        return
    if real in (os.path.realpath(p) for p in chain) or real in map(os.path.realpath, parts.files):
        diags.add(
            node.mark,
            "E152",
            f"`{rel}` is already included",
            "include each file once, from the main scenario file",
        )
        return
    if len(parts.files) >= MAX_INCLUDES:
        diags.add(
            node.mark,
            "E104",
            f"more than {MAX_INCLUDES} files are included",
            "merge some of the included files",
        )
        return
    _read_file(target, root, parts, diags, chain, node.mark)


def _merge(found: Conformed, parts: _Parts, diags: Diagnostics) -> None:
    for key, into, what in (
        ("scenes", parts.scenes, "scene"),
        ("sources", parts.sources, "source"),
        ("glossary", parts.glossary, "glossary term"),
    ):
        for name, entry in found.get(key, {}).items():
            if name in into:
                first = into[name][1].mark
                diags.add(
                    entry[1].mark,
                    "E115",
                    f"the {what} `{name}` is defined twice (first at {first})",
                    f"rename one of the two {what}s",
                )
                continue
            into[name] = entry


class _Builder:
    """Turns conformed records into model objects, checking every name."""

    def __init__(self, parts: _Parts, diags: Diagnostics) -> None:
        self.parts, self.diags = parts, diags
        self.variables: dict[str, Variable] = {}
        self.personas: dict[str, Persona] = {}
        self.scene_ids = frozenset(parts.scenes)
        self.names = ex.Names({}, self.scene_ids, frozenset())

    # -- expressions -------------------------------------------------------
    def compile(self, source: Any, node: Node, want: str, what: str) -> Compiled | None:
        if source is INVALID or source is None:
            return None
        try:
            tree = ex.parse(source)
            kind = ex.check(tree, self.names)
        except ex.ExprError as err:
            self.diags.add(
                _expr_mark(node, err.offset),
                err.code,
                f"in {what} `{source}`: {err.message}",
                err.hint or CODES[err.code].fix,
            )
            return None
        if kind != want:
            self.diags.add(
                node.mark,
                "E131",
                f"{what} `{source}` gives a {_KIND[kind]}, but a {_KIND[want]} is needed",
                _TYPE_HINT[want],
            )
            return None
        return Compiled(source, tree, kind, ex.compile_expr(tree), node.mark)

    def check_url(self, url: Any, mark: Mark) -> None:
        if isinstance(url, str) and url and not allowed_url(url):
            self.diags.add(
                mark,
                "W230",
                f"`{url}` is not an http(s) or mailto address, so it is never made a link",
                "write the full web address, starting with `https://`",
            )

    def check_links(self, source: Any, node: Node) -> None:
        if not isinstance(source, str):
            return
        for target in bad_links(source):
            self.diags.add(
                node.mark,
                "W230",
                f"the link to `{target}` is shown as text: only http(s) and mailto links are made",
                "write the full web address, starting with `https://`",
            )

    def text(self, source: str, node: Node) -> Text:
        self.check_links(source, node)
        segments: list[Any] = []
        for kind, value, offset in placeholders(source):
            if kind == "text":
                if segments and isinstance(segments[-1], str):
                    segments[-1] += value
                else:
                    segments.append(value)
            elif kind == "stray":
                self.diags.add(
                    _expr_mark(node, offset, quoted_only=False),
                    "W201",
                    f"a lone `{value}` in text is shown as it is",
                    "write `{{` or `}}` for a literal brace",
                )
                segments.append(value)
            elif value == "name":
                segments.append(("name", ""))
            elif value in self.variables:
                segments.append(("var", value))
            else:
                self.diags.add(
                    _expr_mark(node, offset, quoted_only=False),
                    "E124",
                    f"`{{{value}}}` in text names no variable",
                    did_you_mean(value, [*self.variables, "name"], "variables")
                    + " (write `{{` for a literal brace)",
                )
                segments.append("{" + value + "}")
        return Text(source, tuple(segments))

    # -- records -----------------------------------------------------------
    def sources(self) -> dict[str, Source]:
        out = {}
        for sid, (found, key, _node) in self.parts.sources.items():
            self.check_url(found.get("url", ""), found.mark("url"))
            out[sid] = Source(
                sid,
                found.get("title", ""),
                found.get("publisher", ""),
                found.get("year"),
                found.get("url", ""),
                key.mark,
            )
        return out

    def variable(self, name: str, found: Conformed, key: Scalar) -> Variable | None:
        if not IDENTIFIER.match(name) or name in RESERVED:
            self.diags.add(
                key.mark,
                "E114",
                f"`{name}` cannot be a variable name",
                "start with a letter; use letters, digits and _ only; the words "
                + ", ".join(sorted(RESERVED))
                + " are taken",
            )
            return None
        start = found.get("start")
        if start is None:
            return None
        low, high = found.get("min"), found.get("max")
        if isinstance(start, bool) and (low is not None or high is not None):
            self.diags.add(
                found.mark("min" if low is not None else "max"),
                "E112",
                f"`{name}` is true/false, so it cannot have min or max",
                "remove min and max, or give it a number as start",
            )
        if low is not None and high is not None and low > high:
            self.diags.add(
                found.mark("max"), "E116", f"`{name}` has max {high} below min {low}", "swap them, or fix one"
            )
        return Variable(name, start, low, high, found.get("label", ""), found.get("shown", False), key.mark)

    def persona(self, found: Conformed) -> Persona | None:
        pid = found.get("id")
        if pid is None:
            return None
        values = {}
        for name, (value, key, node) in found.get("set", {}).items():
            var = self.variables.get(name)
            if var is None:
                self.diags.add(
                    key.mark,
                    "E124",
                    f"persona `{pid}` sets `{name}`, which is not a declared variable",
                    did_you_mean(name, self.variables, "variables"),
                )
            elif isinstance(value, bool) != (var.type == "bool"):
                self.diags.add(
                    node.mark,
                    "E112",
                    f"`{name}` is a {_KIND[var.type]}, so persona `{pid}` must set it to one",
                    _TYPE_HINT[var.type],
                )
            else:
                values[name] = var.clamp(value)
        return Persona(pid, found.get("name", ""), found.get("about", ""), values, found.node.mark)

    def effects(self, found: Conformed, what: str) -> tuple[Effect, ...]:
        out = []
        for op in ("set", "add"):
            for name, (source, key, node) in found.get(op, {}).items():
                var = self.variables.get(name)
                if var is None:
                    self.diags.add(
                        key.mark,
                        "E124",
                        f"`{op}` names `{name}`, which is not a declared variable",
                        did_you_mean(name, self.variables, "variables"),
                    )
                    continue
                if op == "add" and var.type == "bool":
                    self.diags.add(
                        key.mark,
                        "E131",
                        f"`add` needs a number, but `{name}` is true/false",
                        "use `set` for true/false variables",
                    )
                    continue
                value = self.compile(source, node, var.type, f"the value for `{name}`")
                if value is not None:
                    out.append(Effect(name, op, value))
        return tuple(out)

    def goto(self, found: Conformed, key: str = "goto") -> str | None:
        target: str | None = found.get(key)  # conformed to text
        if target is None:
            return None
        if target not in self.scene_ids:
            self.diags.add(
                found.mark(key),
                "E120",
                f"`{key}: {target}` names no scene",
                did_you_mean(target, self.scene_ids, "scenes"),
            )
        return target

    def choice(self, index: int, found: Conformed, node: Node, scene: str) -> Choice:
        what = f"choice {index + 1} of `{scene}`"
        cond = self.compile(found.get("if"), found.nodes.get("if", node), "bool", f"the `if` of {what}")
        roll: list[Outcome] = []
        for outcome, onode in found.get("roll", []):
            weight = self.compile(
                outcome.get("weight"), outcome.nodes.get("weight", onode), "int", "the roll weight"
            )
            target = self.goto(outcome)
            if weight is not None and target is not None:
                roll.append(Outcome(weight, target, self.effects(outcome, what), onode.mark))
        has_goto, has_roll = "goto" in found.nodes, "roll" in found.nodes
        if has_goto == has_roll:
            self.diags.add(
                node.mark,
                "E142",
                f"{what} has " + ("both `goto` and `roll`" if has_goto else "neither `goto` nor `roll`"),
                "use `goto` for a fixed next scene, `roll` for a chance of several",
            )
        elif has_roll and not found.get("roll") and found.values.get("roll") is not INVALID:
            self.diags.add(
                found.mark("roll"),
                "E142",
                f"the roll of {what} has no outcomes",
                "list at least one {weight, goto} outcome",
            )
        if found.get("locked_text") and not found.get("show_locked"):
            self.diags.add(
                found.mark("locked_text"),
                "E116",
                "`locked_text` is only shown with `show_locked: true`",
                "add `show_locked: true`",
            )
        return Choice(
            index=index,
            text=self.text(found.get("text", ""), found.nodes.get("text", node)),
            cond=cond,
            show_locked=found.get("show_locked", False),
            locked_text=found.get("locked_text", ""),
            once=found.get("once", False),
            effects=self.effects(found, what),
            goto=self.goto(found),
            roll=tuple(roll),
            mark=node.mark,
        )

    def scene(
        self, sid: str, found: Conformed, key: Node, stages: set[str], endings: set[str], sources: set[str]
    ) -> Scene:
        stage = found.get("stage")
        if stage is not None and stage not in stages:
            self.diags.add(
                found.mark("stage"),
                "E121",
                f"`stage: {stage}` is not in the route",
                did_you_mean(stage, stages, "stages"),
            )
        ending = found.get("ending")
        if ending is not None and ending not in endings:
            self.diags.add(
                found.mark("ending"),
                "E122",
                f"`ending: {ending}` names no ending",
                did_you_mean(ending, endings, "endings"),
            )
        choices = [self.choice(i, c, n, sid) for i, (c, n) in enumerate(found.get("choices", []))]
        if ending is not None and choices:
            self.diags.add(
                found.mark("choices"),
                "E141",
                f"the scene `{sid}` has an ending and choices",
                "remove its choices, or its `ending`",
            )
        if (
            ending is None
            and not choices
            and "ending" not in found.nodes
            and (found.values.get("choices") is not INVALID)
        ):
            self.diags.add(
                key.mark,
                "E140",
                f"the scene `{sid}` has no choices and no ending",
                "add a choice with a `goto`, or an `ending:`",
            )
        facts = []
        for fact, fnode in found.get("facts", []):
            src = fact.get("source")
            if src is not None and src not in sources:
                self.diags.add(
                    fact.mark("source"),
                    "E123",
                    f"`source: {src}` names no source",
                    did_you_mean(src, sources, "sources"),
                )
            self.check_links(fact.get("text", ""), fact.nodes.get("text", fnode))
            facts.append(Fact(fact.get("title", ""), fact.get("text", ""), src or "", fnode.mark))
        return Scene(sid, stage or "", self.scene_text(found), tuple(facts), tuple(choices), ending, key.mark)

    def scene_text(self, found: Conformed) -> tuple[TextPart, ...]:
        value, node = found.get("text"), found.nodes.get("text")
        if value is None or node is None:
            return ()
        if isinstance(value, str):
            return (TextPart(self.text(value, node)),)
        parts = []
        for item, inode in value:
            if isinstance(item, str):
                parts.append(TextPart(self.text(item, inode)))
            elif isinstance(item, Conformed):
                cond = self.compile(
                    item.get("if"), item.nodes.get("if", inode), "bool", "the `if` of this text"
                )
                parts.append(TextPart(self.text(item.get("text", ""), item.nodes.get("text", inode)), cond))
        return tuple(parts)


_KIND = {"int": "number", "bool": "true/false value", "str": "text"}
_TYPE_HINT = {
    "int": "write a number or a number expression such as `money - 5`",
    "bool": "write true/false or a condition such as `money >= 10`",
    "str": "write text in double quotes",
}


def _expr_mark(node: Node, offset: int, quoted_only: bool = True) -> Mark:
    """Where character `offset` of a scalar's value is, when it can be known."""
    style = getattr(node, "style", None)
    m = node.mark
    if style is None or style == "":
        return Mark(m.path, m.line, m.col + offset)
    if style in ("'", '"'):
        return Mark(m.path, m.line, m.col + 1 + offset)
    return m


def _ids(items: list[tuple[Conformed, Node]], what: str, diags: Diagnostics) -> list[Conformed]:
    """Records with an `id`, each id once."""
    seen: dict[str, Mark] = {}
    out = []
    for found, _node in items:
        rid = found.get("id")
        if rid is None:
            continue
        if rid in seen:
            diags.add(
                found.mark("id"),
                "E115",
                f"two {what}s have the id `{rid}` (first at {seen[rid]})",
                f"give each {what} its own id",
            )
            continue
        seen[rid] = found.mark("id")
        out.append(found)
    return out


def _build(parts: _Parts, diags: Diagnostics, main_path: str) -> Scenario:
    main = parts.main
    assert main is not None
    fmt = main.values.get("format")
    if "format" in main.nodes and fmt is not INVALID and fmt not in FORMAT_VERSIONS:
        diags.add(
            main.mark("format"),
            "E113",
            f"format {fmt} is not supported",
            "this program reads format " + ", ".join(map(str, FORMAT_VERSIONS)) + ": write `format: 1`",
        )
    b = _Builder(parts, diags)
    for name, (found, key, _node) in main.get("variables", {}).items():
        var = b.variable(name, found, key)
        if var is not None:
            b.variables[name] = var
    personas = {}
    for found in _ids(main.get("personas", []), "persona", diags):
        persona = b.persona(found)
        if persona is not None:
            personas[persona.id] = persona
    b.names = ex.Names({n: v.type for n, v in b.variables.items()}, b.scene_ids, frozenset(personas))
    route = {}
    for found in _ids(main.get("route", []), "stage", diags):
        for question, qnode in found.get("discussion", []):
            b.check_links(question, qnode)
        route[found.get("id")] = Stage(
            found.get("id"),
            found.get("title", ""),
            found.get("place", ""),
            tuple(q for q, _ in found.get("discussion", [])),
            found.node.mark,
        )
    if "route" in main.nodes and not route and main.values.get("route") is not INVALID:
        diags.add(
            main.mark("route"),
            "E111",
            "the route has no stages",
            "list at least one stage with an `id` and a `title`",
        )
    endings = {}
    for eid, (found, key, _node) in main.get("endings", {}).items():
        kind = found.get("kind", "")
        if kind and kind not in ENDING_KINDS:
            diags.add(
                found.mark("kind"),
                "E116",
                f"`kind: {kind}` is not a kind of ending",
                did_you_mean(kind, ENDING_KINDS, "kinds of ending"),
            )
        b.check_links(found.get("debrief", ""), found.nodes.get("debrief", key))
        endings[eid] = Ending(eid, found.get("title", ""), kind, found.get("debrief", ""), key.mark)
    sources = b.sources()
    b.check_links(main.get("summary", ""), main.nodes.get("summary", main.node))
    scenes = {}
    for sid, (found, key, _node) in parts.scenes.items():
        scenes[sid] = b.scene(sid, found, key, set(route), set(endings), set(sources))
    start = main.get("start", "")
    if start and start not in scenes:
        diags.add(
            main.mark("start"),
            "E120",
            f"`start: {start}` names no scene",
            did_you_mean(start, scenes, "scenes"),
        )
    if "scenes" in main.nodes and not parts.scenes and main.values.get("scenes") is not INVALID:
        diags.add(
            main.mark("scenes"),
            "E111",
            "the scenario has no scenes",
            "add at least one scene under `scenes:`",
        )
    return Scenario(
        id=main.get("id", ""),
        title=main.get("title", ""),
        path=main_path,
        start=start,
        format=fmt if isinstance(fmt, int) else 1,
        language=main.get("language", "en"),
        summary=main.get("summary", ""),
        audience=main.get("audience", ""),
        authors=tuple(a for a, _ in main.get("authors", [])),
        content_notes=tuple(n for n, _ in main.get("content_notes", [])),
        sources=sources,
        glossary={term: d for term, (d, _k, _n) in parts.glossary.items()},
        variables=b.variables,
        personas=personas,
        route=route,
        endings=endings,
        scenes=scenes,
        files=tuple(parts.files),
        fingerprint=parts.digest.hexdigest()[:16],
    )
