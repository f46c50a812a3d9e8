"""The expression language: the parser raises only ExprError, whatever the input;
well-typed expressions parse with the right precedence and evaluate like the
same text would in Python (whose precedence ours copies, without chaining)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from journey.scenario import expr as ex

NAMES = ex.Names(
    {"money": ex.INT, "risk": ex.INT, "ok": ex.BOOL, "has_map": ex.BOOL},
    frozenset({"square", "refuge"}),
    frozenset({"ana", "bo"}),
)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = [
    "money",
    "risk",
    "ok",
    "has_map",
    "persona",
    "visits",
    "(",
    ")",
    '"square"',
    '"ana"',
    '"',
    "0",
    "7",
    "-",
    "+",
    "*",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "and",
    "or",
    "not",
    "true",
    "false",
    "=",
    "&&",
    ".",
    "'",
    "/",
    "len",
    "x",
    ",",
    "\\",
    "\n",
    "\t",
    "\x00",
    "é",
    "1e3",
    "[",
    "]",
]


def check_only_expr_errors(source: str) -> None:
    try:
        tree = ex.parse(source)
        kind = ex.check(tree, NAMES)
    except ex.ExprError as err:
        assert 0 <= err.offset <= len(source)
        assert err.code in ("E116", "E120", "E124", "E125", "E130", "E131")
        assert err.message
        return
    assert kind in (ex.INT, ex.BOOL, ex.STR)
    fn = ex.compile_expr(tree)
    value = fn({"money": 3, "risk": -2, "ok": True, "has_map": False}, {"square": 1}, "ana")
    assert isinstance(value, {ex.INT: int, ex.BOOL: bool, ex.STR: str}[kind])
    assert isinstance(ex.describe(tree, {"money": "Money"}, {"ana": "Ana"}), str)


@FAST
@given(st.text(max_size=60))
def test_any_text_raises_only_expr_error(source: str) -> None:
    check_only_expr_errors(source)


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join))
def test_token_soup_raises_only_expr_error(source: str) -> None:
    check_only_expr_errors(source)


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_glued_tokens_raise_only_expr_error(source: str) -> None:
    check_only_expr_errors(source)


@pytest.mark.parametrize(
    "source, words",
    [
        ("(" * 300 + "1" + ")" * 300, "nested more than 40"),
        ("-" * 500 + "1", "nested more than 40"),
        ("not " * 450 + "ok", "nested more than 40"),
        ("1" + " + 1" * 600, "longer than 2000"),
        ("", "empty"),
        ("   ", "empty"),
        ('"open', "never closed"),
        ("visits(square)", "double quotes"),
        ('visits("square"', "expected `)`"),
    ],
)
def test_hostile_expressions(source: str, words: str) -> None:
    with pytest.raises(ex.ExprError) as caught:
        ex.check(ex.parse(source), NAMES)
    assert words in caught.value.message + caught.value.hint


def test_long_flat_expression_within_the_limit_is_fine() -> None:
    """Left-associative chains do not nest: 300 additions are not 300 levels."""
    source = "+".join(["1"] * 300)
    assert ex.compile_expr(ex.parse(source))({}, {}, "") == 300


# -- well-typed expressions, rendered with the fewest parentheses -------------

LEVEL = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "neg": 7, "atom": 8}
CMP = ["==", "!=", "<", "<=", ">", ">="]


def level(node: Any) -> int:
    kind = node[0]
    if kind == "bin":
        return LEVEL["cmp"] if node[1] in CMP else LEVEL[node[1]]
    return LEVEL.get(kind, LEVEL["atom"])


def render(node: Any) -> str:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "not":
        inner = render(node[1])
        return "not " + (f"({inner})" if level(node[1]) < LEVEL["not"] else inner)
    if kind == "neg":
        inner = render(node[1])
        return "-" + (f"({inner})" if level(node[1]) < LEVEL["neg"] else inner)
    _, op, left, right = node
    mine = level(node)
    lhs, rhs = render(left), render(right)
    if level(left) < mine or (mine == LEVEL["cmp"] and level(left) == mine):
        lhs = f"({lhs})"
    if level(right) <= mine:
        rhs = f"({rhs})"
    return f"{lhs} {op} {rhs}"


def _lit(text: str) -> Any:
    return ("lit", text)


INT_LEAF = st.one_of(
    st.integers(0, 99).map(lambda n: _lit(str(n))),
    st.sampled_from(["money", "risk", 'visits("square")', 'visits("refuge")']).map(_lit),
)
BOOL_LEAF = st.one_of(
    st.sampled_from(["true", "false", "ok", "has_map"]).map(_lit),
    st.tuples(
        st.just("bin"),
        st.sampled_from(["==", "!="]),
        st.just(_lit("persona")),
        st.sampled_from(['"ana"', '"bo"']).map(_lit),
    ),
)
INT_EXPR = st.deferred(
    lambda: st.recursive(
        INT_LEAF,
        lambda c: st.one_of(
            st.tuples(st.just("bin"), st.sampled_from(["+", "-", "*"]), c, c), st.tuples(st.just("neg"), c)
        ),
        max_leaves=8,
    )
)
BOOL_EXPR = st.deferred(
    lambda: st.recursive(
        BOOL_LEAF,
        lambda c: st.one_of(
            st.tuples(st.just("bin"), st.sampled_from(["and", "or", "==", "!="]), c, c),
            st.tuples(st.just("not"), c),
            st.tuples(st.just("bin"), st.sampled_from(CMP), INT_EXPR, INT_EXPR),
        ),
        max_leaves=8,
    )
)


@FAST
@given(
    st.one_of(st.tuples(st.just(ex.INT), INT_EXPR), st.tuples(st.just(ex.BOOL), BOOL_EXPR)),
    st.integers(-5, 20),
    st.integers(-5, 20),
    st.booleans(),
    st.booleans(),
    st.integers(0, 3),
    st.sampled_from(["ana", "bo"]),
)
def test_evaluates_like_python(
    kind_tree: tuple[str, Any], money: int, risk: int, ok: bool, has_map: bool, square: int, persona: str
) -> None:
    kind, tree = kind_tree
    source = render(tree)
    assume(len(source) < ex.MAX_LENGTH)
    try:
        parsed = ex.parse(source)
    except ex.ExprError as err:
        assert "nested more than" in err.message  # only the depth limit may refuse it
        return
    assert ex.check(parsed, NAMES) == kind
    variables = {"money": money, "risk": risk, "ok": ok, "has_map": has_map}
    visits = {"square": square}
    got = ex.compile_expr(parsed)(variables, visits, persona)
    scope = {
        **variables,
        "persona": persona,
        "true": True,
        "false": False,
        "visits": lambda s: visits.get(s, 0),
    }
    # Python is the reference: generated text only, our precedence is its own
    assert got == eval(source, {"__builtins__": {}}, scope)
    assert type(got) is (int if kind == ex.INT else bool)


def test_precedence_examples() -> None:
    env = ({"money": 5, "risk": 2, "ok": False, "has_map": True}, {}, "ana")
    for source, expected in [
        ("1 + 2 * 3", 7),
        ("-2 * 3", -6),
        ("10 - 2 - 3", 5),
        ("not ok and has_map", True),
        ("ok or has_map and false", False),
        ("money > 3 == true", None),
        ("not money > 3", False),
        ('persona == "ana" or ok', True),
    ]:
        if expected is None:
            with pytest.raises(ex.ExprError):
                ex.parse(source)
            continue
        tree = ex.parse(source)
        ex.check(tree, NAMES)
        assert ex.compile_expr(tree)(*env) == expected, source


def test_describe_in_words() -> None:
    labels = {"money": "Money", "ok": "Has papers"}
    personas = {"ana": "Ana"}
    cases = {
        "money >= 15 and not ok": "Money is at least 15 and Has papers: no",
        "ok": "Has papers: yes",
        'persona == "ana"': "you are Ana",
        'visits("square") > 1': "visits to square is more than 1",
    }
    for source, words in cases.items():
        assert ex.describe(ex.parse(source), labels, personas) == words
