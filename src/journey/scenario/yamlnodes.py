"""Read YAML into a small tree of nodes that remember where they came from.

PyYAML's parser (the C one where present) does the tokenising. A plain file
is composed by libyaml's C composer and its nodes turned into ours; any other
(and every file when the C parser is absent) is composed here from the parser's
events, without recursion. Either way every node keeps its line and column,
duplicate keys are found, aliases cannot expand without bound or loop, and
nesting depth is limited, with the same diagnostics. Nothing is ever
constructed from a tag: scalars become only str, int, float, bool or None.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from .diagnostics import CODES, Diagnostics, Mark
from .numbers import RANGE_TEXT, OutOfRange, read_int
from .text import CONTROL, printable, strip_controls

try:  # the C parser is much faster; the pure one gives the same events
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 4_000_000
MAX_DEPTH = 64
MAX_NODES = 500_000  # values that aliases may add to a file, all expansions together

_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STD = "tag:yaml.org,2002:"
_STR = f"{_STD}str"
_PLAIN_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null")}


@dataclass(eq=False, slots=True)
class Node:
    mark: Mark
    size: int = 1  # nodes in this subtree, aliases expanded

    @property
    def kind(self) -> str:
        return type(self).__name__.lower()


@dataclass(eq=False, slots=True)
class Scalar(Node):
    value: object = None
    style: str | None = None
    raw: str = ""  # the text as written, for fields that are always text
    comment: Mark | None = None  # plain text cut short by ` #` on its last line (the `#`)

    @property
    def kind(self) -> str:
        return describe_value(self.value)


@dataclass(eq=False, slots=True)
class Seq(Node):
    items: list[Node] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "list"


@dataclass(eq=False, slots=True)
class Map(Node):
    items: list[tuple[Scalar, Node]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "mapping"

    def keys(self) -> list[str]:
        return [str(k.value) for k, _ in self.items]

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None


def describe_value(value: object) -> str:
    if value is None:
        return "empty value"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "whole number"
    if isinstance(value, float):
        return "decimal number"
    if isinstance(value, OutOfRange):
        return f"number outside format 1's range ({RANGE_TEXT})"
    return "text"


class _YamlMark(Protocol):
    """A position as PyYAML reports it (its pure-Python and libyaml marks alike)."""

    line: int
    column: int


def _mark(path: str, m: _YamlMark | None) -> Mark:
    if m is None:
        return Mark(path)
    return Mark(path, m.line + 1, m.column + 1)


class _Unsupported(Exception):
    def __init__(self, mark: Mark, message: str, code: str = "E103", hint: str = "") -> None:
        super().__init__(message)
        self.mark, self.message, self.code, self.hint = mark, message, code, hint


def _scalar(path: str, ev: yaml.ScalarEvent, diags: Diagnostics) -> Scalar:
    mark = _mark(path, ev.start_mark)
    raw, removed = strip_controls(ev.value)
    if removed:
        diags.add(
            mark,
            "W200",
            f"removed {removed} control character{'s' if removed > 1 else ''} from this text",
            "delete them from the file (escape sequences such as \\e or \\x1b are never shown)",
        )
    tag = ev.tag
    if tag in (None, "!"):
        tag = _RESOLVER.resolve(yaml.ScalarNode, ev.value, ev.implicit)
    elif tag.startswith("!!"):
        tag = _STD + tag[2:]
    if tag not in _PLAIN_TAGS:
        # timestamps and other implicit types stay text; explicit custom tags are refused
        if ev.tag not in (None, "!"):
            raise _Unsupported(
                mark,
                f"the tag `{printable(ev.tag)}` is not allowed in a scenario",
                hint="remove the tag and write the value plainly",
            )
        tag = f"{_STD}str"
    return Scalar(mark, value=_typed(tag, raw, mark), style=ev.style, raw=raw)


def _typed(tag: str, raw: str, mark: Mark) -> object:
    """The value of a scalar with a plain tag (str, int, float, bool or null)."""
    try:
        if tag.endswith(":int"):
            return read_int(raw)  # bounded, in linear time
        if tag.endswith(":float"):
            return _CONSTRUCTOR.construct_yaml_float(yaml.ScalarNode(tag, raw))
        if tag.endswith(":bool"):
            return _CONSTRUCTOR.construct_yaml_bool(yaml.ScalarNode(tag, raw))
        if tag.endswith(":null"):
            return None
        return raw
    except (ValueError, KeyError, yaml.YAMLError) as exc:
        raise _Unsupported(
            mark, f"`{raw}` is not a valid {tag.rsplit(':', 1)[-1]}: {exc}", code="E112"
        ) from None


_TAB_HINT = "YAML indents with spaces only: replace the tab with spaces"
_YAML_HINTS = (
    (
        "mapping values are not allowed",
        "a colon followed by a space starts a key: put text "
        "that contains `: ` in quotes, or write it as a block after `|`",
    ),
    ("found character '\\t'", _TAB_HINT),
    ("tab character", _TAB_HINT),  # libyaml's words
    ("found unexpected end of stream", "a quote or bracket was opened and never closed"),
    ("did not find expected key", "check the indentation: items of one mapping line up exactly"),
    ("did not find expected '-' indicator", "list items line up exactly under each other"),
    ("expected <block end>", "check the indentation of this line against the lines above"),
    ("found undefined alias", "an `*alias` must name an `&anchor` defined above it"),
    ("special characters are not allowed", "the file holds a control character: delete it"),
    ("expected a single document", "a scenario file holds one document: remove the `---` lines"),
    ("could not find expected ':'", "a key must be followed by `: `; long text needs quotes or `|`"),
)


def yaml_hint(problem: str) -> str:
    for needle, hint in _YAML_HINTS:
        if needle in problem:
            return hint
    return "check the indentation and quoting around this position"


def _syntax(diags: Diagnostics, path: str, exc: yaml.YAMLError, text: str) -> None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{context}, {problem}" if context else str(problem)
    hint = yaml_hint(message)
    lines = text.split("\n")
    if mark is not None and mark.line < len(lines) and lines[mark.line][mark.column :][:1] == "\t":
        hint = _TAB_HINT  # libyaml says only "cannot start any token" for a tab
    where = _mark(path, mark)
    cause = _real_cause(lines, exc, context or "", message)
    if cause is not None:
        (line, col), message, hint = cause
        where = Mark(path, line, col)
    diags.add(where, "E101", f"YAML syntax: {message}", hint)


# `key: value` where the value starts with a character that makes YAML read it
# as something other than plain text
_KEYED_VALUE = re.compile(r"^(\s*(?:-\s+)?[^\s#:][^:#]*?:\s+)([{\[\"'])")
_KEY_WITH_VALUE = re.compile(r"^\s*(?:-\s+)?[^\s#:][^:#]*:\s+\S")
_OPENERS = {
    "{": "a mapping `{...}`",
    "[": "a list `[...]`",
    '"': "text in double quotes",
    "'": "text in single quotes",
}


def _real_cause(
    lines: list[str], exc: yaml.YAMLError, context: str, message: str
) -> tuple[tuple[int, int], str, str] | None:
    """The mistake behind a YAML error, where YAML's own words would mislead:
    ((line, column), message, hint), or None to keep YAML's."""
    problem = getattr(exc, "problem_mark", None)
    opened = getattr(exc, "context_mark", None)
    if "quoted scalar" in context and opened is not None:
        quote = lines[opened.line][opened.column : opened.column + 1] if opened.line < len(lines) else '"'
        return (
            (opened.line + 1, opened.column + 1),
            f"the quote `{quote}` opened here is never closed",
            f"end the text with a closing {quote}; to use {quote} inside it, "
            + ("write it twice (`''`)" if quote == "'" else "write `\\\"`, or quote the text with `'`"),
        )
    if problem is None or problem.line >= len(lines):
        return None
    line = lines[problem.line]
    value = _KEYED_VALUE.match(line)
    if value is not None and problem.column > len(value.group(1)):
        start = len(value.group(1))
        what = _OPENERS[value.group(2)]
        return (
            (problem.line + 1, start + 1),
            f"this text starts with `{value.group(2)}`, so YAML reads {what} and stops where it ends",
            "quote the whole text: put it in quotes of the other kind "
            + ("(`'...'`)" if value.group(2) == '"' else '(`"..."`)')
            + ", or write it on the next lines after `|`",
        )
    if "mapping values are not allowed" in message:
        above = next((lines[i] for i in range(problem.line - 1, -1, -1) if lines[i].strip()), "")
        indent, above_indent = _indent(line), _indent(above)
        if indent > above_indent and _KEY_WITH_VALUE.match(above) and ": " not in line[: indent + 1]:
            more = indent - above_indent
            return (
                (problem.line + 1, indent + 1),
                f"this key is indented {more} space{'s' if more > 1 else ''} more than the key above it",
                "keys of one mapping line up exactly: indent this line like the key above it "
                "(or, if it belongs under that key, remove that key's value)",
            )
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class NotRegularFile(OSError):
    """A pipe, device or socket where a file was expected: reading it could block."""


def read_regular(path: str, limit: int) -> bytes:
    """Up to `limit` bytes of a regular file. Opening does not block (a FIFO
    would wait for a writer), and anything but a regular file is refused."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit)
    finally:
        os.close(fd)


def read_text(path: str, diags: Diagnostics, display: str | None = None) -> str | None:
    """The file's text, or None with a diagnostic saying why not."""
    shown = display or path
    try:
        data = read_regular(path, MAX_BYTES + 1)
    except IsADirectoryError:
        diags.add(
            Mark(shown), "E100", "this is a folder, not a scenario file", "give the path of a .yaml file"
        )
        return None
    except NotRegularFile:
        diags.add(
            Mark(shown),
            "E100",
            "this is not a regular file (a pipe, a device or a socket)",
            "give the path of a .yaml file",
        )
        return None
    except OSError as exc:
        diags.add(
            Mark(shown),
            "E100",
            f"cannot read the file: {exc.strerror or exc}",
            "check that the path exists and is readable",
        )
        return None
    if len(data) > MAX_BYTES:
        diags.add(
            Mark(shown),
            "E104",
            f"the file is larger than {MAX_BYTES // 1_000_000} MB",
            "split the scenario with `include`",
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.add(
            Mark(shown, line, col), "E100", "the file is not UTF-8 text", "save it as UTF-8 in your editor"
        )
        return None


def parse(text: str, path: str, diags: Diagnostics) -> Node | None:
    """Compose one YAML document into nodes; None (with diagnostics) on failure."""
    clean = CONTROL.search(text) is None  # one scan; most files have none
    if not clean:
        text = _remove_controls(text, path, diags)
    try:
        return _compose(text, path, diags, clean)
    except _Unsupported as exc:
        diags.add(exc.mark, exc.code, exc.message, exc.hint or CODES[exc.code].fix)
    except yaml.reader.ReaderError:  # a character YAML refuses; the error has no mark
        bad = _UNPRINTABLE.search(text)
        mark = Mark(path, *_position(text, bad.start())) if bad else Mark(path)
        what = f" (U+{ord(bad.group()):04X})" if bad else ""
        diags.add(
            mark, "E101", f"YAML syntax: a character that YAML does not allow{what}", "delete this character"
        )
    except yaml.YAMLError as exc:
        _syntax(diags, path, exc, text)
    except (RecursionError, MemoryError, ValueError, TypeError, AttributeError) as exc:
        # A defensive net for parser bugs on hostile input: still a diagnostic.
        diags.add(
            Mark(path),
            "E101",
            f"the YAML parser could not read this file ({exc})",
            "check the file for unusual characters or structure",
        )
    return None


# CONTROL without CR, which ends lines; and what YAML refuses to read at all
_LINE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _remove_controls(text: str, path: str, diags: Diagnostics) -> str:
    """The text without control characters written into the file (YAML would refuse
    most of them), with a warning at the first one of each line."""
    if _LINE_CONTROL.search(text) is None:
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines):
        first = _LINE_CONTROL.search(line)
        if first is None:
            continue
        lines[number], removed = _LINE_CONTROL.subn("", line)
        diags.add(
            Mark(path, number + 1, first.start() + 1),
            "W200",
            f"removed {removed} control character{'s' if removed > 1 else ''} from this line",
            "delete them from the file (escape sequences and other control characters are never shown)",
        )
    return "\n".join(lines)


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of a character index."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


class _Open:
    """A collection being composed."""

    __slots__ = ("anchor", "key", "keys", "node")

    def __init__(self, node: Seq | Map, anchor: str | None) -> None:
        self.node, self.anchor = node, anchor
        self.key: Scalar | None = None
        self.keys: dict[object, Scalar] = {}


_COMMENT = re.compile(r"[ \t]+#")


def _hash_lines(text: str) -> dict[int, str]:
    """The lines that hold a `#`, by number from 0 (as YAML's marks count them;
    lines end at `\n`), found without splitting the whole text."""
    found: dict[int, str] = {}
    line, counted = 0, 0
    pos = text.find("#")
    while pos >= 0:
        line += text.count("\n", counted, pos)
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        found[line] = text[text.rfind("\n", 0, pos) + 1 : end]
        counted = pos
        pos = text.find("#", end)
    return found


def _comment_after(path: str, hash_lines: dict[int, str], end: Any) -> Mark | None:
    """Where a comment starts right after a plain scalar on its line: YAML ends
    unquoted text at ` #`, so the rest of the line is silently lost."""
    line = hash_lines.get(end.line) if end is not None else None
    if line is None:
        return None
    found = _COMMENT.match(line, end.column)
    return Mark(path, end.line + 1, found.end()) if found else None


def _is_text(value: str, resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]]) -> bool:
    """Whether YAML's implicit resolution reads a plain scalar as text (what
    Resolver.resolve does for it, without building a node)."""
    for tag, pattern in resolvers.get(value[:1], ()):
        if pattern.match(value):
            return tag == _STR
    return True


def _first_key(keys: dict[object, Scalar], key: Scalar, diags: Diagnostics) -> bool:
    """Record a mapping's key; False (with E102) when the mapping already has it."""
    hashable = key.value if not isinstance(key.value, float) else repr(key.value)
    first = keys.get(hashable)
    if first is not None:  # keep the first; report the second and go on
        diags.add(
            key.mark,
            "E102",
            f"the key `{key.value}` appears twice in this mapping (first at line {first.mark.line})",
            "keep one of them: YAML would silently drop the first",
        )
        return False
    keys[hashable] = key
    return True


def _compose_events(text: str, path: str, diags: Diagnostics, clean: bool) -> Node | None:
    """Compose from PyYAML's events: every file that the tree composer below
    does not take, with the diagnostics for every YAML feature and fault."""
    anchors: dict[str, Node] = {}
    open_anchors: set[str] = set()
    stack: list[_Open] = []
    root: Node | None = None
    documents = 0
    total = 0

    def attach(node: Node, mark: Mark, expanded: int = 0) -> None:
        """Add a finished node to its parent. Only aliases count against MAX_NODES
        (`expanded`: the whole value an alias repeats); values written out are
        bounded by the file's size."""
        nonlocal root, total
        total += expanded
        if total > MAX_NODES:
            raise _Unsupported(
                mark,
                f"aliases expand this file past {MAX_NODES:,} values",
                code="E104",
                hint="write the values out instead of repeating aliases",
            )
        if not stack:
            root = node
            return
        top = stack[-1]
        top.node.size += node.size
        if isinstance(top.node, Seq):
            top.node.items.append(node)
        elif top.key is None:
            if not isinstance(node, Scalar):
                raise _Unsupported(
                    node.mark, f"a key must be a plain value, not a {node.kind}", hint="write the key as text"
                )
            top.key = node
        else:
            key = top.key
            top.key = None
            if _first_key(top.keys, key, diags):
                top.node.items.append((key, node))

    # The common case, a plain or quoted scalar that is text, is composed inline
    # (most of a file's events): no tag to resolve, no control character to strip.
    resolvers = _RESOLVER.yaml_implicit_resolvers
    fast = clean and None not in resolvers and "\\" not in text
    hash_lines = _hash_lines(text)
    known_text: dict[str, bool] = {}  # keys and short values repeat throughout a file

    def plain_text(value: str) -> bool:
        if value[:1] not in resolvers:
            return True
        found = known_text.get(value)
        if found is None:
            found = known_text[value] = _is_text(value, resolvers)
        return found

    loader = _Loader(text)
    get_event = loader.get_event
    try:
        while True:
            ev = get_event()
            if isinstance(ev, yaml.ScalarEvent):
                value = ev.value
                if (
                    fast
                    and ev.tag is None
                    and (not ev.implicit[0] or value[:1] not in resolvers or plain_text(value))
                ):
                    start = ev.start_mark
                    mark = Mark(path, start.line + 1, start.column + 1) if start else Mark(path)
                    node = Scalar(mark, 1, value, ev.style, value)
                else:
                    node = _scalar(path, ev, diags)
                if not ev.style and ev.end_mark is not None and ev.end_mark.line in hash_lines:
                    node.comment = _comment_after(path, hash_lines, ev.end_mark)
                if ev.anchor:
                    anchors[ev.anchor] = node
                if not stack:
                    attach(node, node.mark)
                    continue
                top = stack[-1]  # what attach() does for a scalar, inline
                parent = top.node
                parent.size += 1
                if type(parent) is Seq:
                    parent.items.append(node)
                elif top.key is None:
                    top.key = node
                else:
                    key = top.key
                    top.key = None
                    name = key.value
                    if type(name) is str and name not in top.keys:  # _first_key's common case
                        top.keys[name] = key
                        parent.items.append((key, node))  # type: ignore[arg-type]
                    elif _first_key(top.keys, key, diags):
                        parent.items.append((key, node))  # type: ignore[arg-type]
                continue
            if ev is None or isinstance(ev, yaml.StreamEndEvent):
                break
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Unsupported(
                        _mark(path, ev.start_mark),
                        "the file holds more than one YAML document",
                        hint="a scenario file holds one document: remove the extra `---`",
                    )
            elif isinstance(ev, yaml.AliasEvent):
                mark = _mark(path, ev.start_mark)
                if ev.anchor in open_anchors:
                    raise _Unsupported(
                        mark,
                        f"the alias `*{ev.anchor}` refers to a value that contains itself",
                        hint="remove the recursive alias",
                    )
                target = anchors.get(ev.anchor or "")
                if target is None:
                    raise _Unsupported(
                        mark,
                        f"the alias `*{ev.anchor}` has no anchor",
                        code="E101",
                        hint="define `&" + str(ev.anchor) + "` before using it",
                    )
                attach(target, mark, target.size)
            elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                mark = _mark(path, ev.start_mark)
                if ev.tag not in (None, "!") and ev.tag not in (f"{_STD}seq", f"{_STD}map", "!!seq", "!!map"):
                    raise _Unsupported(
                        mark,
                        f"the tag `{printable(ev.tag)}` is not allowed in a scenario",
                        hint="remove the tag",
                    )
                if len(stack) >= MAX_DEPTH:
                    raise _Unsupported(mark, f"values are nested more than {MAX_DEPTH} deep", code="E104")
                coll: Seq | Map = Seq(mark) if isinstance(ev, yaml.SequenceStartEvent) else Map(mark)
                stack.append(_Open(coll, ev.anchor))
                if ev.anchor:
                    open_anchors.add(ev.anchor)
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                done = stack.pop()
                if done.anchor:
                    open_anchors.discard(done.anchor)
                    anchors[done.anchor] = done.node
                attach(done.node, done.node.mark)
    finally:
        loader.dispose()
    return root


# -- composing from PyYAML's C composer ----------------------------------------
#
# libyaml composes a well-formed file into nodes in C, several times faster than
# the loop above can take its events. The nodes are then turned into ours. Only
# the common case is taken: anything the event composer reports on (tags, too
# much nesting, aliases past the budget, recursive aliases, complex keys, several
# documents, syntax errors, values that are not what they claim) makes this path
# give up, and the event composer reads the file again and says what is wrong.
# So every diagnostic is the event composer's, word for word.


class _GiveUp(Exception):
    """Something the event composer must judge."""


class _Resolved:
    """A tag that the resolver below chose (so not one written in the file, which
    the C composer keeps as text): `text` for str, else the tag to construct."""

    __slots__ = ("tag",)

    def __init__(self, tag: str) -> None:
        self.tag = tag


_TEXT = _Resolved(_STR)
_COLLECTION = _Resolved("")
_IMPLICIT = {tag: _Resolved(tag) for tag in _PLAIN_TAGS}

# An `&anchor`, or what could be one: `&` and a name, at a place where a token
# can start. Without one, no node is shared, so no alias needs counting.
_ANCHOR = re.compile(r"&[^\s\[\]{},]")
_BEFORE_TOKEN = frozenset(" \t\r\n\x85\u2028\u2029\ufeff[]{},:?-\"'")


def _may_have_anchor(text: str) -> bool:
    return any(
        m.start() == 0 or text[m.start() - 1] in _BEFORE_TOKEN or text[m.start() - 1].isspace()
        for m in _ANCHOR.finditer(text)
    )


if hasattr(yaml, "CSafeLoader"):

    class _TreeLoader(yaml.CSafeLoader):
        """The C loader, resolving implicit tags to `_Resolved` markers, once per
        distinct plain value (keys and short values repeat throughout a file)."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.known: dict[str, _Resolved] = {}

        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> _Resolved:
            if kind is not yaml.ScalarNode:
                return _COLLECTION
            if not implicit[0] or value[:1] not in _RESOLVER.yaml_implicit_resolvers:
                return _TEXT
            found = self.known.get(value)
            if found is None:
                found = self.known[value] = _resolve_plain(value)
            return found

    _C_LOADER: type | None = yaml.CSafeLoader
else:  # pragma: no cover - depends on how PyYAML was built
    _C_LOADER = None


def _resolve_plain(value: str) -> _Resolved:
    """What YAML's implicit resolution makes of a plain scalar (Resolver.resolve)."""
    for tag, pattern in _RESOLVER.yaml_implicit_resolvers.get(value[:1], ()):
        if pattern.match(value):
            return _IMPLICIT.get(tag, _TEXT)
    return _TEXT


def _compose(text: str, path: str, diags: Diagnostics, clean: bool) -> Node | None:
    """The file's one document as nodes: from the C composer when it is there and
    the file is plain (`clean`: it holds no control character; and no escape,
    which could make one), else from events."""
    if _Loader is _C_LOADER and clean and None not in _RESOLVER.yaml_implicit_resolvers and "\\" not in text:
        trial = Diagnostics()
        try:
            root = _compose_tree(text, path, trial)
        except Exception:  # whatever it is, the event composer says it
            root = None
        if root is not None:
            diags.extend(trial.items)
            return root
    return _compose_events(text, path, diags, clean)


def _compose_tree(text: str, path: str, diags: Diagnostics) -> Node:
    loader = _TreeLoader(text)
    try:
        top = loader.get_single_node()
    finally:
        loader.dispose()
    if top is None:
        raise _GiveUp("no document")
    return _Tree(text, path, diags).node(top, 0)


class _Tree:
    """Turns the C composer's nodes into ours, in document order (so that E102
    comes in the order the event composer gives it)."""

    def __init__(self, text: str, path: str, diags: Diagnostics) -> None:
        self.path, self.diags = path, diags
        self.hash_lines = _hash_lines(text)
        # With anchors, a node met again is an alias: it counts against MAX_NODES
        # as it does there, and is not walked again.
        self.shared = _may_have_anchor(text)
        self.done: dict[int, Node] = {}
        self.busy: set[int] = set()
        self.total = 0
        # a safety net: more values than a file without aliases can hold
        self.count, self.limit = 0, 2 * len(text) + 16

    def node(self, y: Any, depth: int) -> Node:
        if not self.shared:
            return self.build(y, depth)
        known = self.done.get(id(y))
        if known is not None:
            self.total += known.size
            if self.total > MAX_NODES:
                raise _GiveUp("past the alias budget")
            return known
        if id(y) in self.busy:
            raise _GiveUp("a recursive alias")
        self.busy.add(id(y))
        out = self.done[id(y)] = self.build(y, depth)
        self.busy.discard(id(y))
        return out

    def build(self, y: Any, depth: int) -> Node:
        if type(y) is yaml.ScalarNode:
            return self.scalar(y)
        if depth >= MAX_DEPTH or y.tag is not _COLLECTION:
            raise _GiveUp("nested too deep, or a tag")
        self.count += len(y.value)
        if self.count > self.limit:
            raise _GiveUp("too many values")
        return self.seq(y, depth) if type(y) is yaml.SequenceNode else self.map(y, depth)

    def scalar(self, y: Any) -> Scalar:
        start = y.start_mark
        mark = _new_tuple(Mark, (self.path, start.line + 1, start.column + 1))
        value, style, tag = y.value, y.style, y.tag
        if tag is _TEXT:
            node = Scalar(mark, 1, value, style, value)
        elif type(tag) is _Resolved and tag is not _COLLECTION:
            node = Scalar(mark, 1, _typed(tag.tag, value, mark), style, value)
        else:
            raise _GiveUp("a tag")
        if not style and y.end_mark.line in self.hash_lines:
            node.comment = _comment_after(self.path, self.hash_lines, y.end_mark)
        return node

    def text(self, y: Any) -> Scalar | None:
        """A scalar that is text and not shared (most values), made inline; else None."""
        if self.shared or type(y) is not yaml.ScalarNode:
            return None
        tag: object = y.tag  # our resolver's marker, though PyYAML's types say str
        if tag is not _TEXT:
            return None
        start, value, style = y.start_mark, y.value, y.style
        node = Scalar(_new_tuple(Mark, (self.path, start.line + 1, start.column + 1)), 1, value, style, value)
        if not style and y.end_mark.line in self.hash_lines:
            node.comment = _comment_after(self.path, self.hash_lines, y.end_mark)
        return node

    def seq(self, y: Any, depth: int) -> Seq:
        start = y.start_mark
        out = Seq(_new_tuple(Mark, (self.path, start.line + 1, start.column + 1)))
        items = out.items
        size = 1
        for child in y.value:
            node = self.text(child) or self.node(child, depth + 1)
            size += node.size
            items.append(node)
        out.size = size
        return out

    def map(self, y: Any, depth: int) -> Map:
        start = y.start_mark
        out = Map(_new_tuple(Mark, (self.path, start.line + 1, start.column + 1)))
        items = out.items
        keys: dict[object, Scalar] = {}
        size = 1
        for ykey, yvalue in y.value:
            key = self.text(ykey) or self.node(ykey, depth + 1)
            if type(key) is not Scalar:
                raise _GiveUp("a key that is not a scalar")
            value = self.text(yvalue) or self.node(yvalue, depth + 1)
            size += key.size + value.size
            name = key.value
            if type(name) is str and name not in keys:
                keys[name] = key
                items.append((key, value))
            elif _first_key(keys, key, self.diags):
                items.append((key, value))
        out.size = size
        return out


_new_tuple = tuple.__new__  # a Mark without the named tuple's Python-level __new__
