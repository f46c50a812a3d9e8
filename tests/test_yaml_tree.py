"""The two composers agree: the fast one, over the nodes PyYAML's C composer
builds (yamlnodes._compose_tree), gives the same nodes (marks, values, styles,
comments, sizes, shared aliases) and the same diagnostics as composing from
events, on every file it takes; on anything else it gives up and the event
composer answers. Checked on every case of the YAML test suite, the built-in and
example scenarios, generated files, and random YAML built from its tokens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from generate import generate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journey.scenario import yamlnodes
from journey.scenario.diagnostics import Diagnostics
from journey.scenario.yamlnodes import Map, Node, Scalar, Seq

ROOT = Path(__file__).parent.parent

pytestmark = pytest.mark.skipif(yamlnodes._C_LOADER is None, reason="PyYAML was built without libyaml")

FILES = sorted(
    [
        *(ROOT / "tests" / "corpus" / "yaml-test-suite").rglob("in.yaml"),
        *(ROOT / "scenarios").rglob("*.yaml"),
        *(ROOT / "tests" / "fixtures").rglob("*.yaml"),
    ]
)


def dump(node: Node | None, seen: dict[int, int] | None = None) -> Any:
    """Everything a node holds, nested; a node met again (an alias) by its number."""
    seen = {} if seen is None else seen
    if node is None:
        return None
    if id(node) in seen:
        return ("again", seen[id(node)])
    seen[id(node)] = len(seen)
    head = (type(node).__name__, tuple(node.mark), node.size)
    if isinstance(node, Scalar):
        comment = tuple(node.comment) if node.comment else None
        return (*head, type(node.value).__name__, repr(node.value), node.style, node.raw, comment)
    if isinstance(node, Seq):
        return (*head, [dump(item, seen) for item in node.items])
    assert isinstance(node, Map)
    return (*head, [(dump(k, seen), dump(v, seen)) for k, v in node.items])


def both(text: str) -> tuple[Any, Any, bool]:
    """(what the events give, what `parse` gives, whether the C tree was taken)."""
    events = Diagnostics()
    expected = (dump(_events(text, events)), [d.to_json() for d in events.items])
    diags = Diagnostics()
    got = (dump(yamlnodes.parse(text, "f.yaml", diags)), [d.to_json() for d in diags.items])
    try:
        yamlnodes._compose_tree(text, "f.yaml", Diagnostics())
        taken = True
    except Exception:  # any reason to give up
        taken = False
    return expected, got, taken


def _events(text: str, diags: Diagnostics) -> Node | None:
    """`parse`, composing from events only."""
    original = yamlnodes._compose
    yamlnodes._compose = yamlnodes._compose_events  # type: ignore[assignment]
    try:
        return yamlnodes.parse(text, "f.yaml", diags)
    finally:
        yamlnodes._compose = original  # type: ignore[assignment]


def test_the_corpus_is_here() -> None:
    assert len(FILES) > 400


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_nodes_and_diagnostics(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: the reader refuses it before composing")
    expected, got, _ = both(text)
    assert got == expected


def test_scenarios_take_the_fast_path() -> None:
    """Every file of the built-in scenario and the generated ones is composed
    from the C composer's nodes (not given up on, which would cost twice)."""
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "scenarios").rglob("*.yaml")]
    texts += [generate(300, compact=True), generate(300, rich=True)]
    for text in texts:
        expected, got, taken = both(text)
        assert taken and got == expected


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1, 2]\nb: *x\nc: *x\n",  # shared, counted
        "&x a: *x\n",  # an aliased key
        "a: &x 1\nb: &x 2\nc: *x\n",  # an anchor defined again
        "a: &x [*x]\n",  # recursive
        "a: *nothing\n",
        "a: 1\na: 2\nb: {c: 1, c: 2}\n",  # duplicate keys, reported in order
        "a: 1\na: 2\nb: !!python/name:os.system x\n",  # E102, then a refused tag
        "a: 1\na: 2\nb: [\n",  # E102, then a syntax error
        "? [a]\n: b\n",  # a complex key
        "a: !!int 12\nb: !!str 12\nc: ! 12\nd: !!float 1\n",
        "a: 0x1F\nb: 1_000\nc: .inf\nd: ~\ne: yes\nf: 2001-12-14\ng: 1e3\n",
        "a: !!int nope\n",
        "a: 99999999999999999999999\n",
        "text: plain # cut here\nkey # not a key\n",
        "---\na: 1\n---\nb: 2\n",
        "",
        "# only a comment\n",
        "[" * 70 + "]" * 70,
        "- " * 70 + "x\n",
        "lol: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(7)),
        "url: https://x.org/?a=1&b=2\ntitle: Salt & Pepper\n",
        "a: &x\n  b: 1\nc: *x\n",
        'a: x\x1b y # c\nb: "\\e"\n',  # control characters, escapes
        "a: b\r\nc: d # e\r\n",
        "#\n# x\na: 'q' #c\nb: c #d #e\nc: e\n#",
    ],
)
def test_edge_cases(text: str) -> None:
    expected, got, _ = both(text)
    assert got == expected


@given(st.text(alphabet="ab#\n \r", max_size=40))
def test_lines_with_a_hash(text: str) -> None:
    lines = text.split("\n")
    assert yamlnodes._hash_lines(text) == {n: line for n, line in enumerate(lines) if "#" in line}


def test_an_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    diags = Diagnostics()
    assert yamlnodes.parse(bomb, "f.yaml", diags) is None
    assert [d.code for d in diags.items] == ["E104"]


TOKENS = [
    "a", "b", "k", "1", "-2", "0x1f", "1.5", "yes", "~", "null", "true", "2001-01-01",
    ": ", ":", "- ", "-", "? ", "\n", "\n  ", "\n    ", "  ", " ", "\t",
    "[", "]", "{", "}", ", ", ",", "# c", " #", "#",
    "&x ", "&y ", "*x", "*y", "!!int ", "!!str ", "! ", "!t ",
    "'q'", '"d"', "'", '"', "|\n  blk\n", ">-\n  f\n", "---\n", "...\n", "%YAML 1.1\n",
    "é", "\u2028", "\\", "text with words", "https://x.org/?a&b",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_random_yaml(tokens: list[str]) -> None:
    text = "".join(tokens)
    expected, got, _ = both(text)
    assert got == expected


def test_without_libyaml_the_events_compose(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure-Python parser never takes the C path."""
    monkeypatch.setattr(yamlnodes, "_Loader", yaml.SafeLoader)
    called = []
    monkeypatch.setattr(yamlnodes, "_compose_tree", lambda *a: called.append(a))
    diags = Diagnostics()
    assert isinstance(yamlnodes.parse("a: 1\n", "f.yaml", diags), Map)
    assert not called
