"""Load a scenario file (and its includes) into a checked `Scenario`.

`load` never raises for anything in the files: every problem becomes a
diagnostic with its position and a hint, and loading goes on to find the rest.
A scenario is playable when the result has no errors.
"""

from __future__ import annotations

import gc
import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

from . import expr as ex
from .diagnostics import CODES, Diagnostics, Mark, did_you_mean
from .links import allowed_url, bad_links
from .model import (
    Branch,
    Choice,
    Compiled,
    Effect,
    Ending,
    Fact,
    Glossary,
    Lesson,
    LessonStep,
    Loaded,
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
    number_fix,
)
from .text import placeholders
from .yamlnodes import Map, Node, Scalar, parse, read_text

MAX_INCLUDES = 200


@dataclass
class _Parts:
    """What the main file and its includes hold, merged."""

    main: Conformed | None = None
    scenes: dict[str, tuple[Any, Node, Node]] = field(default_factory=dict)
    sources: dict[str, tuple[Any, Node, Node]] = field(default_factory=dict)
    glossary: dict[str, tuple[Any, Node, Node]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    digest: Any = field(default_factory=hashlib.sha256)
    declared: dict[str, set[str]] = field(default_factory=dict)  # names written, broken or not
    unread: bool = False  # an included file could not be read: its names are unknown
    real_files: set[str] = field(default_factory=set)  # the files read, symbolic links resolved
    real_root: str = ""  # the scenario's folder, resolved once


def display_path(path: str) -> str:
    """A path as diagnostics show it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


def load(path: str | os.PathLike[str]) -> Loaded:
    """Read, check and build the scenario whose main file is `path`, with its
    includes. Never raises for a bad file: every problem is a diagnostic
    (file:line:col, what is wrong, how to fix it), and `Loaded.scenario` is None
    when there are errors. The garbage collector is paused meanwhile: the model
    is many small objects and no cycles, so collections found nothing and made
    large files up to 2.5 times slower."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(path)
    finally:
        if paused:
            gc.enable()


def _load(path: str | os.PathLike[str]) -> Loaded:
    diags = Diagnostics()
    main_path = os.path.abspath(os.fspath(path))
    parts = _Parts()
    _read_file(main_path, os.path.dirname(main_path), parts, diags, None)
    raw = _build(parts, diags, main_path) if parts.main is not None else None
    scenario = raw if raw is not None and not diags.errors else None
    return Loaded(scenario, diags, raw)


def _read_file(
    path: str,
    root: str,
    parts: _Parts,
    diags: Diagnostics,
    included_at: Mark | None,
    real: str | None = None,
) -> None:
    shown = display_path(path)
    text = read_text(path, diags, shown) if included_at is None else None
    if included_at is not None:
        sub = Diagnostics()
        text = read_text(path, sub, shown)
        if text is None:
            parts.unread = True
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
    parts.real_files.add(real if real is not None else os.path.realpath(path))
    parts.digest.update(text.encode("utf-8"))
    before = len(diags.items)
    node = parse(text, shown, diags)
    if node is None and included_at is not None:
        parts.unread = True
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
    diags.files.append(shown)
    record = RECORDS["scenario" if included_at is None else "include-file"]
    if included_at is None and _is_part_file(node):
        diags.add(
            node.mark,
            "E153",
            "this file has scenes but no `format:`: it is a part of a scenario, meant to be included",
            _includers_hint(path),
        )
        return
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
        _include(rel, item, path, root, parts, diags)


def _is_part_file(node: Node) -> bool:
    """A file that `include` is meant to read: scenes (and sources, glossary,
    include) only, with no `format:`."""
    if not isinstance(node, Map) or node.get("format") is not None or node.get("scenes") is None:
        return False
    return set(node.keys()) <= {f.key for f in RECORDS["include-file"].fields}


def _includers_hint(path: str) -> str:
    """Which scenario in the file's folder (or the folder above) includes it, to check that one."""
    name = os.path.basename(path)
    here = os.path.dirname(path)
    found = []
    for folder in (here, os.path.dirname(here)):
        try:
            entries = sorted(os.listdir(folder))
        except OSError:
            continue
        for entry in entries:
            candidate = os.path.join(folder, entry)
            if candidate == path or not entry.endswith((".yaml", ".yml")) or not os.path.isfile(candidate):
                continue
            try:
                with open(candidate, encoding="utf-8", errors="replace") as handle:
                    head = handle.read(200_000)
            except OSError:
                continue
            if "format:" in head and name in head:
                found.append(display_path(candidate))
        if found:
            break
    if found:
        return "check it through the scenario that includes it: `journey validate " + found[0] + "`"
    return (
        "check it through the scenario that includes it (`journey validate` that file); "
        "none in this folder names it under `include:`"
    )


def _is_mapping_without_format(node: Node) -> bool:

    return isinstance(node, Map) and node.get("format") is None


def _include(rel: str, node: Node, path: str, root: str, parts: _Parts, diags: Diagnostics) -> None:
    target = os.path.normpath(os.path.join(os.path.dirname(path), rel))
    if not parts.real_root:
        parts.real_root = os.path.realpath(root)
    real_root = parts.real_root
    real = os.path.realpath(target)
    if os.path.isabs(rel) or os.path.commonpath([real_root, real]) != real_root:
        diags.add(
            node.mark,
            "E150",
            f"`{rel}` is outside the scenario's folder",
            "keep included files in the scenario's folder or below it",
        )
        return
    if real in parts.real_files:  # read already: this file includes itself, or two include it
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
    _read_file(target, root, parts, diags, node.mark, real)


def _declared(found: Conformed, key: str) -> set[str]:
    node = found.nodes.get(key)
    return {k.raw for k, _ in node.items} if isinstance(node, Map) else set()


def _merge(found: Conformed, parts: _Parts, diags: Diagnostics) -> None:
    for key in ("scenes", "sources", "variables", "endings"):
        parts.declared.setdefault(key, set()).update(_declared(found, key))
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

    def __init__(self, parts: _Parts, diags: Diagnostics, fmt: str = "1") -> None:
        self.parts, self.diags, self.fmt = parts, diags, fmt
        self.variables: dict[str, Variable] = {}
        self.personas: dict[str, Persona] = {}
        self.scene_ids = frozenset(parts.scenes)
        # names declared with a broken definition (already reported): their uses are
        # not reported again, so the root cause is not buried under follow-on errors
        self.broken: dict[str, set[str]] = {k: set() for k in ("scenes", "sources", "variables", "endings")}
        self.broken["scenes"] = parts.declared.get("scenes", set()) - set(parts.scenes)
        self.names = ex.Names({}, self.scene_ids, frozenset())
        self.names_version = 0  # bumped when `names` changes: expressions are checked against it
        self._expressions: dict[tuple[str, int], tuple[ex.Expr, str, ex.Evaluator] | ex.ExprError] = {}

    # -- expressions -------------------------------------------------------
    def compile(self, source: Any, node: Node, want: str, what: str) -> Compiled | None:
        if source is INVALID or source is None:
            return None
        key = (source, self.names_version)
        known = self._expressions.get(key)
        try:
            if known is None:  # identical conditions are read once (a big file repeats many)
                tree = ex.parse(source)
                known = self._expressions[key] = (tree, ex.check(tree, self.names), ex.compile_expr(tree))
            elif isinstance(known, ex.ExprError):
                raise known
        except ex.ExprError as err:
            self._expressions[key] = err
            kind = {"E120": "scenes", "E124": "variables"}.get(err.code, "")
            if kind and (err.name in self.broken[kind] or (kind == "scenes" and self.parts.unread)):
                return None
            fixed = number_fix(source)
            if fixed is not None:
                self.diags.add(
                    node.mark,
                    "E132",
                    f"`{source}` in {what} is not a number as the format writes it",
                    f"numbers are written without separators or units: write `{fixed}`",
                )
                return None
            self.diags.add(
                _expr_mark(node, err.offset),
                err.code,
                f"in {what} `{source}`: {err.message}",
                err.hint or CODES[err.code].fix,
            )
            return None
        if known[1] != want:
            kind = known[1]
            self.diags.add(
                node.mark,
                "E131",
                f"{what} `{source}` gives a {_KIND[kind]}, but a {_KIND[want]} is needed",
                _TYPE_HINT[want],
            )
            return None
        tree, kind, fn = known
        return Compiled(source, tree, kind, fn, node.mark)

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
        if "{" not in source and "}" not in source:  # most text: no placeholder, nothing to check
            return Text(source, (source,) if source else ())
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
            elif value in self.broken["variables"]:
                segments.append("{" + value + "}")
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

    def shown(self, source: Any, node: Node | None) -> Text | None:
        """Format 1.1 fills `{placeholders}` in all text a player sees; format 1 only
        in scene and choice text, so elsewhere its braces stay as written."""
        if self.fmt == "1" or not isinstance(source, str) or node is None:
            return None
        text = self.text(source, node)
        return None if text.is_plain else text

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
        elif not isinstance(start, bool):
            self.bounds(start, low, high, found.mark("start"), f"the start of `{name}`")
        shown = found.get("shown", False)
        if found.get("hidden") and shown:
            self.diags.add(
                found.mark("hidden"),
                "E116",
                f"`{name}` is both `hidden` and `shown`",
                "a variable is either shown (with a `label`) or not: remove one of the two",
            )
        words = self.words(name, found, start, low)
        return Variable(name, start, low, high, found.get("label", ""), shown, key.mark, words)

    def bounds(self, value: int, low: int | None, high: int | None, mark: Mark, what: str) -> None:
        """A start value outside the variable's own bounds: it would be clamped at once."""
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{'' if low is None else low}..{'' if high is None else high}"
            self.diags.add(
                mark,
                "W203",
                f"{what} is {value}, outside its bounds {span}",
                "it would be clamped at once: give a value between `min` and `max`, or widen them",
            )

    def words(self, name: str, found: Conformed, start: Any, low: int | None) -> tuple[tuple[int, str], ...]:
        entries = found.get("words")
        if not entries:
            return ()
        if isinstance(start, bool):
            self.diags.add(
                found.mark("words"),
                "E112",
                f"`{name}` is true/false, so it cannot have `words`",
                "words name bands of a number; remove them, or give it a number as start",
            )
            return ()
        bands: list[tuple[int, str]] = []
        for raw, (word, key, _node) in entries.items():
            try:
                bands.append((int(raw), word))
            except ValueError:
                self.diags.add(
                    key.mark,
                    "E112",
                    f"`{raw}` in the words of `{name}` is not a whole number",
                    "each key of `words` is the lowest value of its band, such as `0:` or `4:`",
                )
        bands.sort()
        if bands and (low is None or bands[0][0] != low):
            self.diags.add(
                found.mark("words"),
                "E116",
                f"the words of `{name}` start at {bands[0][0]}, "
                + ("but it has no `min`" if low is None else f"but its `min` is {low}"),
                "start the first band at the variable's min"
                + (f": `{low}:`" if low is not None else ": give it a `min` and begin the bands there"),
            )
        return tuple(bands)

    def persona(self, found: Conformed) -> Persona | None:
        pid = found.get("id")
        if pid is None:
            return None
        values = {}
        for name, (value, key, node) in found.get("set", {}).items():
            var = self.variables.get(name)
            if var is None and name in self.broken["variables"]:
                continue
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
                if not isinstance(value, bool):
                    self.bounds(value, var.min, var.max, node.mark, f"persona `{pid}` sets `{name}`, which")
                values[name] = var.clamp(value)
        return Persona(pid, found.get("name", ""), found.get("about", ""), values, found.node.mark)

    def effects(self, found: Conformed, what: str) -> tuple[Effect, ...]:
        out = []
        for op in ("set", "add"):
            for name, (source, key, node) in found.get(op, {}).items():
                var = self.variables.get(name)
                if var is None and name in self.broken["variables"]:
                    continue
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

    def goto(self, found: Conformed, what: str, key: str = "goto") -> tuple[str | None, tuple[Branch, ...]]:
        """The next scene, or (format 1.1) the branches of a conditional `goto`."""
        target = found.get(key)
        if target is None:
            return None, ()
        if isinstance(target, str):
            self.scene_name(target, found.mark(key), key)
            return target, ()
        branches = []
        last = len(target) - 1
        for i, (item, node) in enumerate(target):
            cond = self.compile(
                item.get("if"), item.nodes.get("if", node), "bool", f"the `if` of branch {i + 1}"
            )
            if "if" in item.nodes and i == last:
                self.diags.add(
                    item.mark("if"),
                    "E143",
                    f"the last branch of the `goto` of {what} has an `if`",
                    "end the list with a branch without `if`, taken when no condition holds: "
                    "`{goto: some-scene}`",
                )
            elif "if" not in item.nodes and i < last:
                self.diags.add(
                    node.mark,
                    "E143",
                    f"branch {i + 1} of the `goto` of {what} has no `if`, "
                    "so the branches after it are never taken",
                    "give it an `if`, or move it to the end of the list",
                )
            scene = item.get("goto")
            if scene is not None:
                self.scene_name(scene, item.mark("goto"), "goto")
                branches.append(Branch(scene, cond, node.mark))
        if not branches and found.values.get(key) is not INVALID and not target:
            self.diags.add(
                found.mark(key),
                "E143",
                f"the `goto` of {what} is an empty list",
                "write a scene id, or a list of {if, goto} branches ending with one without `if`",
            )
        return (branches[-1].goto if branches else None), tuple(branches)

    def scene_name(self, target: str, mark: Mark, key: str) -> None:
        if target not in self.scene_ids and target not in self.broken["scenes"] and not self.parts.unread:
            self.diags.add(
                mark,
                "E120",
                f"`{key}: {target}` names no scene",
                did_you_mean(target, self.scene_ids, "scenes"),
            )

    def choice(self, index: int, found: Conformed, node: Node, scene: str) -> Choice:
        what = f"choice {index + 1} of `{scene}`"
        cond = self.compile(found.get("if"), found.nodes.get("if", node), "bool", f"the `if` of {what}")
        roll: list[Outcome] = []
        for outcome, onode in found.get("roll", []):
            weight = self.compile(
                outcome.get("weight"), outcome.nodes.get("weight", onode), "int", "the roll weight"
            )
            target, branches = self.goto(outcome, f"an outcome of {what}")
            if weight is not None and target is not None:
                roll.append(Outcome(weight, target, self.effects(outcome, what), onode.mark, branches))
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
        goto, branches = self.goto(found, what)
        return Choice(
            index=index,
            text=self.text(found.get("text", ""), found.nodes.get("text", node)),
            cond=cond,
            show_locked=found.get("show_locked", False),
            locked_text=found.get("locked_text", ""),
            once=found.get("once", False),
            effects=self.effects(found, what),
            goto=goto,
            roll=tuple(roll),
            mark=node.mark,
            branches=branches,
            shown_locked_text=self.shown(found.get("locked_text"), found.nodes.get("locked_text")),
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
        if ending is not None and ending not in endings and ending not in self.broken["endings"]:
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
            if (
                src is not None
                and src not in sources
                and src not in self.broken["sources"]
                and not self.parts.unread
            ):
                self.diags.add(
                    fact.mark("source"),
                    "E123",
                    f"`source: {src}` names no source",
                    did_you_mean(src, sources, "sources"),
                )
            self.check_links(fact.get("text", ""), fact.nodes.get("text", fnode))
            cond = self.compile(
                fact.get("if"), fact.nodes.get("if", fnode), "bool", f"the `if` of a fact of `{sid}`"
            )
            facts.append(
                Fact(
                    fact.get("title", ""),
                    fact.get("text", ""),
                    src or "",
                    fnode.mark,
                    cond,
                    self.shown(fact.get("title"), fact.nodes.get("title")),
                    self.shown(fact.get("text"), fact.nodes.get("text")),
                )
            )
        enter = found.get("enter")
        effects = self.effects(enter, f"the `enter` of `{sid}`") if isinstance(enter, Conformed) else ()
        return Scene(
            sid, stage or "", self.scene_text(found), tuple(facts), tuple(choices), ending, key.mark, effects
        )

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
                parts.append(self.text_part(item, inode))
        return tuple(parts)

    def text_part(self, item: Conformed, node: Node) -> TextPart:
        cond = self.compile(item.get("if"), item.nodes.get("if", node), "bool", "the `if` of this text")
        given = [k for k in ("text", *VARIATIONS) if k in item.nodes]
        if len(given) != 1:
            self.diags.add(
                node.mark,
                "E111" if not given else "E116",
                "this part of the text has "
                + ("no `text`" if not given else "both " + " and ".join(f"`{k}`" for k in given)),
                "give it exactly one of `text`, `seq`, `cycle`, `shuffle` or `once`",
            )
        kind = given[0] if given else "text"
        value = item.get(kind)
        if kind in ("text", "once"):
            text = self.text(value if isinstance(value, str) else "", item.nodes.get(kind, node))
            return TextPart(text, cond, "" if kind == "text" else kind, (text,))
        texts = tuple(self.text(t, n) for t, n in (value or []))
        if not texts and value is not None:
            self.diags.add(
                item.mark(kind), "E111", f"`{kind}` has no texts", "list at least one text under it"
            )
        return TextPart(texts[0] if texts else Text("", ()), cond, kind, texts)


VARIATIONS = ("seq", "cycle", "shuffle", "once")
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
            "this program reads formats " + " and ".join(FORMAT_VERSIONS) + ": write `format: 1` "
            "(or `format: 1.1` to use its additions)",
        )
    fmt = fmt if fmt in FORMAT_VERSIONS else "1"
    if fmt == "1" and "format" in main.nodes:
        for mark, form in diags.newer:
            diags.add(
                mark,
                "E117",
                f"{form} is part of format 1.1, but this file says `format: 1`",
                "write `format: 1.1` at the top of the scenario to use it",
            )
    b = _Builder(parts, diags, fmt)
    for name, (found, key, _node) in main.get("variables", {}).items():
        var = b.variable(name, found, key)
        if var is not None:
            b.variables[name] = var
    b.broken["variables"] = parts.declared.get("variables", set()) - set(b.variables)
    personas = {}
    for found in _ids(main.get("personas", []), "persona", diags):
        persona = b.persona(found)
        if persona is not None:
            personas[persona.id] = persona
    b.names = ex.Names({n: v.type for n, v in b.variables.items()}, b.scene_ids, frozenset(personas))
    b.names_version += 1
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
            found.get("exercise", ""),
            found.get("answers", ""),
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
        endings[eid] = Ending(
            eid,
            found.get("title", ""),
            kind,
            found.get("debrief", ""),
            key.mark,
            b.shown(found.get("debrief"), found.nodes.get("debrief")),
        )
    sources = b.sources()
    b.broken["endings"] = parts.declared.get("endings", set()) - set(endings)
    b.broken["sources"] = parts.declared.get("sources", set()) - set(sources)
    b.check_links(main.get("summary", ""), main.nodes.get("summary", main.node))
    scenes = {}
    for sid, (found, key, _node) in parts.scenes.items():
        scenes[sid] = b.scene(sid, found, key, set(route), set(endings), set(sources))
    start = main.get("start", "")
    if start and start not in scenes and start not in b.broken["scenes"] and not parts.unread:
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
    glossary, aliases = _glossary(parts)
    return Scenario(
        id=main.get("id", ""),
        title=main.get("title", ""),
        path=main_path,
        start=start,
        format=fmt,
        language=main.get("language", "en"),
        summary=main.get("summary", ""),
        audience=main.get("audience", ""),
        authors=tuple(a for a, _ in main.get("authors", [])),
        content_notes=tuple(n for n, _ in main.get("content_notes", [])),
        sources=sources,
        glossary=Glossary(glossary, aliases),
        aliases=aliases,
        glossary_marks={term: key.mark for term, (_e, key, _n) in parts.glossary.items()},
        lesson=_lesson(main.get("lesson")),
        variables=b.variables,
        personas=personas,
        route=route,
        endings=endings,
        scenes=scenes,
        files=tuple(parts.files),
        fingerprint=parts.digest.hexdigest()[:16],
    )


def _glossary(parts: _Parts) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Definitions by term, and (format 1.1) each term's other words."""
    glossary, aliases = {}, {}
    for term, (entry, _key, _node) in parts.glossary.items():
        if isinstance(entry, Conformed):
            glossary[term] = entry.get("text", "")
            words = tuple(w for w, _ in entry.get("aliases", []) if w.strip())
            if words:
                aliases[term] = words
        else:
            glossary[term] = entry
    return glossary, aliases


def _lesson(found: Any) -> Lesson | None:
    if not isinstance(found, Conformed):
        return None
    steps = tuple(LessonStep(step.get("do", ""), step.get("minutes")) for step, _ in found.get("plan", []))
    return Lesson(
        found.get("minutes"),
        steps,
        found.get("safeguarding", ""),
        found.get("before", ""),
        found.get("after", ""),
    )
