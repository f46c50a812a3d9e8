"""The expression language of scenario format 1: our own grammar, never `eval`.

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum     := product (("+" | "-") product)*
    product := unary ("*" unary)*
    unary   := "-" unary | atom
    atom    := INT | "true" | "false" | STRING | NAME | "persona"
             | "visits" "(" STRING ")" | "(" expr ")"

Parsing gives a tree; checking it against the scenario's names gives its type
("int", "bool" or "str"); compiling it gives a plain Python closure, so play
never walks the tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .diagnostics import did_you_mean
from .numbers import INT_LIMIT, RANGE_TEXT

INT, BOOL, STR = "int", "bool", "str"
MAX_DEPTH = 40  # nesting of parentheses, `not` and `-` while parsing
MAX_TREE_DEPTH = 300  # operators in one chain or nesting: checking and play recurse this deep
MAX_LENGTH = 2000

Value = int | bool | str
# (variables, visits, persona) -> value
Evaluator = Callable[[Mapping[str, Value], Mapping[str, int], str], Value]


class ExprError(Exception):
    """A problem in an expression; `offset` counts characters from its start."""

    def __init__(
        self, message: str, offset: int = 0, code: str = "E130", hint: str = "", name: str = ""
    ) -> None:
        super().__init__(message)
        self.message, self.offset, self.code, self.hint, self.name = (message, offset, code, hint, name)


class Token(NamedTuple):
    kind: str  # "int", "str", "name", "op", "end"
    text: str
    offset: int


# One pattern for every token; `bad` takes any other character, so matches run
# end to end over the source and one `finditer` tokenises it.
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<int>\d+)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|[<>+\-*()])
  | (?P<bad>[\s\S])
""",
    re.VERBOSE,
)
_new_token = tuple.__new__  # a Token without the named tuple's Python-level __new__
_UNEXPECTED = {
    "=": "compare with `==`; set values with `set:`",
    "&": "write `and`",
    "|": "write `or`",
    "!": "write `not`",
    "'": "strings use double quotes",
    "/": "only + - * are allowed",
    ".": "numbers are whole numbers; there is no attribute access",
    '"': "this string is never closed",
}

KEYWORDS = {"and", "or", "not", "true", "false", "persona", "visits"}


def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_LENGTH:
        raise ExprError(f"the expression is longer than {MAX_LENGTH} characters", 0)
    tokens: list[Token] = []
    for m in _TOKEN.finditer(source):
        kind = m.lastgroup
        if kind == "space":
            continue
        if kind == "bad":
            ch = m.group()
            raise ExprError(f"unexpected character `{ch}`", m.start(), hint=_UNEXPECTED.get(ch, ""))
        tokens.append(_new_token(Token, (kind, m.group(), m.start())))
    tokens.append(Token("end", "", len(source)))
    return tokens


# The tree: small tuples keep it cheap to build and easy to match on.
@dataclass(frozen=True, slots=True)
class Lit:
    value: Value
    offset: int


@dataclass(frozen=True, slots=True)
class Var:
    name: str
    offset: int


@dataclass(frozen=True, slots=True)
class PersonaRef:
    offset: int


@dataclass(frozen=True, slots=True)
class Visits:
    scene: str
    offset: int


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    operand: Expr
    offset: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Expr
    right: Expr
    offset: int


Expr = Lit | Var | PersonaRef | Visits | Unary | Binary

_COMPARE = {"==", "!=", "<", "<=", ">", ">="}


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.pos = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, text: str) -> Token:
        tok = self.peek()
        if tok.text != text or tok.kind == "str":
            found = f"`{tok.text}`" if tok.kind != "end" else "the end"
            raise ExprError(f"expected `{text}` but found {found}", tok.offset)
        return self.take()

    def parse(self) -> Expr:
        if self.peek().kind == "end":
            raise ExprError("the expression is empty", 0, hint="write a condition such as `money >= 10`")
        tree = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            hint = "join conditions with `and` or `or`" if tok.kind in ("name", "int") else ""
            raise ExprError(f"unexpected `{tok.text}`", tok.offset, hint=hint)
        return tree

    def _nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"the expression is nested more than {MAX_DEPTH} deep", self.peek().offset)

    # The levels below look at the next token as `self.tokens[self.pos]` (what
    # peek() gives) and step over it with `self.pos += 1` (take()): each level runs
    # for every value of every expression.
    def or_(self) -> Expr:
        left = self.and_()
        tok = self.tokens[self.pos]
        while tok.text == "or" and tok.kind == "name":
            self.pos += 1
            left = Binary("or", left, self.and_(), tok.offset)
            tok = self.tokens[self.pos]
        return left

    def and_(self) -> Expr:
        left = self.not_()
        tok = self.tokens[self.pos]
        while tok.text == "and" and tok.kind == "name":
            self.pos += 1
            left = Binary("and", left, self.not_(), tok.offset)
            tok = self.tokens[self.pos]
        return left

    def not_(self) -> Expr:
        tok = self.tokens[self.pos]
        if tok.kind == "name" and tok.text == "not":
            self.take()
            self._nest()
            operand = self.not_()
            self.depth -= 1
            return Unary("not", operand, tok.offset)
        return self.compare()

    def compare(self) -> Expr:
        left = self.sum()
        tok = self.tokens[self.pos]
        if tok.kind == "op" and tok.text in _COMPARE:
            self.pos += 1
            right = self.sum()
            nxt = self.tokens[self.pos]
            if nxt.kind == "op" and nxt.text in _COMPARE:
                raise ExprError("comparisons cannot be chained", nxt.offset, hint="write `a < b and b < c`")
            return Binary(tok.text, left, right, tok.offset)
        return left

    def sum(self) -> Expr:
        left = self.product()
        tok = self.tokens[self.pos]
        while tok.kind == "op" and tok.text in "+-":
            self.pos += 1
            left = Binary(tok.text, left, self.product(), tok.offset)
            tok = self.tokens[self.pos]
        return left

    def product(self) -> Expr:
        left = self.unary()
        tok = self.tokens[self.pos]
        while tok.kind == "op" and tok.text == "*":
            self.pos += 1
            left = Binary("*", left, self.unary(), tok.offset)
            tok = self.tokens[self.pos]
        return left

    def unary(self) -> Expr:
        tok = self.tokens[self.pos]
        if tok.kind == "op" and tok.text == "-":
            self.take()
            self._nest()
            operand = self.unary()
            self.depth -= 1
            return Unary("-", operand, tok.offset)
        return self.atom()

    def atom(self) -> Expr:
        tok = self.tokens[self.pos]
        self.pos += 1
        if tok.kind == "int":
            return Lit(_bounded(tok), tok.offset)
        if tok.kind == "str":
            return Lit(_unquote(tok.text), tok.offset)
        if tok.kind == "name":
            return self.name(tok)
        if tok.text == "(":
            self._nest()
            inner = self.or_()
            self.depth -= 1
            self.expect(")")
            return inner
        found = f"`{tok.text}`" if tok.kind != "end" else "the end of the expression"
        raise ExprError(f"expected a value but found {found}", tok.offset)

    def name(self, tok: Token) -> Expr:
        word = tok.text
        if word in ("true", "false"):
            return Lit(word == "true", tok.offset)
        if word == "persona":
            return PersonaRef(tok.offset)
        if word == "visits":
            self.expect("(")
            arg = self.take()
            if arg.kind != "str":
                raise ExprError(
                    "visits(...) takes a scene id in double quotes",
                    arg.offset,
                    hint='write visits("scene-id")',
                )
            self.expect(")")
            return Visits(_unquote(arg.text), tok.offset)
        if word in ("and", "or", "not"):
            raise ExprError(f"`{word}` needs a value before it", tok.offset)
        if self.peek().text == "(":
            raise ExprError(f"`{word}(...)` is not allowed: the only call is visits(...)", tok.offset)
        return Var(word, tok.offset)


def _bounded(tok: Token) -> int:
    digits = tok.text.lstrip("0") or "0"
    if len(digits) > len(str(INT_LIMIT)) or int(digits) > INT_LIMIT:
        shown = tok.text if len(tok.text) <= 24 else tok.text[:20] + "..."
        raise ExprError(
            f"the number {shown} is outside format 1's range ({RANGE_TEXT})",
            tok.offset,
            code="E116",
            hint=f"numbers stay within {RANGE_TEXT}",
        )
    return int(digits)


def _check_depth(tree: Expr) -> None:
    """Refuse a tree deeper than MAX_TREE_DEPTH, measured without recursion.
    A left-deep chain such as `1+1+...+1` parses without nesting, yet checking,
    compiling and evaluating it recurse once per operator."""
    stack: list[tuple[Expr, int]] = [(tree, 0)]  # operators above each node
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise ExprError(
                f"the expression has more than {MAX_TREE_DEPTH} operators in one chain or nesting",
                node.offset,
                hint="write a shorter condition: split a long chain of `and` or `+` over "
                "several choices or variables",
            )
        if isinstance(node, Unary):
            stack.append((node.operand, depth + 1))
        elif isinstance(node, Binary):
            stack.append((node.left, depth + 1))
            stack.append((node.right, depth + 1))


_ESCAPE = re.compile(r"\\(.)")


def _unquote(text: str) -> str:
    inner = text[1:-1]
    return _ESCAPE.sub(r"\1", inner) if "\\" in inner else inner


def parse(source: str) -> Expr:
    """Parse an expression; raises ExprError and nothing else."""
    parser = _Parser(source)
    tree = parser.parse()
    if len(parser.tokens) > MAX_TREE_DEPTH:  # each operator is a token: fewer cannot be too deep
        _check_depth(tree)
    return tree


@dataclass(frozen=True)
class Names:
    """What an expression may refer to."""

    variables: Mapping[str, str]  # name -> INT or BOOL
    scenes: frozenset[str]
    personas: frozenset[str]


def check(tree: Expr, names: Names) -> str:
    """The expression's type; raises ExprError for unknown names and mixed types."""
    match tree:
        case Lit(value=v):
            return BOOL if isinstance(v, bool) else INT if isinstance(v, int) else STR
        case Var(name=name, offset=off):
            if name not in names.variables:
                hint = (
                    f'persona ids are text: quote them, as in `persona == "{name}"`'
                    if name in names.personas
                    else did_you_mean(name, names.variables, "variables")
                )
                raise ExprError(
                    f"`{name}` is not a declared variable", off, code="E124", hint=hint, name=name
                )
            return names.variables[name]
        case PersonaRef():
            return STR
        case Visits(scene=scene, offset=off):
            if scene not in names.scenes:
                raise ExprError(
                    f'visits("{scene}") names no scene',
                    off,
                    code="E120",
                    hint=did_you_mean(scene, names.scenes, "scenes"),
                    name=scene,
                )
            return INT
        case Unary(op="not", operand=operand, offset=off):
            _want(check(operand, names), BOOL, "not", off)
            return BOOL
        case Unary(operand=operand, offset=off):
            _want(check(operand, names), INT, "-", off)
            return INT
        case Binary(op=op, left=left, right=right, offset=off):
            lt, rt = check(left, names), check(right, names)
            if op in ("and", "or"):
                _want(lt, BOOL, op, off)
                _want(rt, BOOL, op, off)
                return BOOL
            if op in ("==", "!="):
                if lt != rt:
                    raise ExprError(f"`{op}` compares a {_NAMES[lt]} with a {_NAMES[rt]}", off, code="E131")
                _check_persona(left, right, names)
                return BOOL
            _want(lt, INT, op, off)
            _want(rt, INT, op, off)
            return BOOL if op in _COMPARE else INT
    raise ExprError("unknown expression", 0)  # pragma: no cover


_NAMES = {INT: "number", BOOL: "true/false value", STR: "text"}


def _want(got: str, want: str, op: str, offset: int) -> None:
    if got != want:
        raise ExprError(f"`{op}` needs a {_NAMES[want]}, not a {_NAMES[got]}", offset, code="E131")


def _check_persona(left: Expr, right: Expr, names: Names) -> None:
    for a, b in ((left, right), (right, left)):
        if isinstance(a, PersonaRef) and isinstance(b, Lit) and b.value not in names.personas:
            raise ExprError(
                f'no persona has the id "{b.value}"',
                b.offset,
                code="E125",
                hint=did_you_mean(str(b.value), names.personas, "personas"),
                name=str(b.value),
            )


def nodes(tree: Expr) -> Iterator[Expr]:
    """Every node of an expression, without recursion (chains may be long)."""
    todo = [tree]
    while todo:
        t = todo.pop()
        yield t
        if isinstance(t, Unary):
            todo.append(t.operand)
        elif isinstance(t, Binary):
            todo += (t.left, t.right)


def names_used(tree: Expr) -> set[str]:
    """The variables an expression reads."""
    match tree:
        case Var(name=name):
            return {name}
        case Unary(operand=operand):
            return names_used(operand)
        case Binary(left=left, right=right):
            return names_used(left) | names_used(right)
    return set()


def compile_expr(tree: Expr) -> Evaluator:
    """A closure computing the expression from (variables, visits, persona)."""
    match tree:
        case Lit(value=v):
            return lambda _v, _s, _p: v
        case Var(name=name):
            return lambda v, _s, _p: v[name]
        case PersonaRef():
            return lambda _v, _s, p: p
        case Visits(scene=scene):
            return lambda _v, s, _p: s.get(scene, 0)
        case Unary(op="not", operand=operand):
            f = compile_expr(operand)
            return lambda v, s, p: not f(v, s, p)
        case Unary(operand=operand):
            f = compile_expr(operand)
            return lambda v, s, p: -f(v, s, p)  # type: ignore[operator]
        case Binary(op=op, left=left, right=right):
            a, b = compile_expr(left), compile_expr(right)
            return _BINARY[op](a, b)
    raise ExprError("unknown expression", 0)  # pragma: no cover


_BINARY: dict[str, Callable[[Evaluator, Evaluator], Evaluator]] = {
    "and": lambda a, b: lambda v, s, p: a(v, s, p) and b(v, s, p),
    "or": lambda a, b: lambda v, s, p: a(v, s, p) or b(v, s, p),
    "==": lambda a, b: lambda v, s, p: a(v, s, p) == b(v, s, p),
    "!=": lambda a, b: lambda v, s, p: a(v, s, p) != b(v, s, p),
    "<": lambda a, b: lambda v, s, p: a(v, s, p) < b(v, s, p),  # type: ignore[operator]
    "<=": lambda a, b: lambda v, s, p: a(v, s, p) <= b(v, s, p),  # type: ignore[operator]
    ">": lambda a, b: lambda v, s, p: a(v, s, p) > b(v, s, p),  # type: ignore[operator]
    ">=": lambda a, b: lambda v, s, p: a(v, s, p) >= b(v, s, p),  # type: ignore[operator]
    "+": lambda a, b: lambda v, s, p: a(v, s, p) + b(v, s, p),  # type: ignore[operator]
    "-": lambda a, b: lambda v, s, p: a(v, s, p) - b(v, s, p),  # type: ignore[operator]
    "*": lambda a, b: lambda v, s, p: a(v, s, p) * b(v, s, p),  # type: ignore[operator]
}


_FLIPPED = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}
_WORDS = {
    "==": "is",
    "!=": "is not",
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
    "+": "plus",
    "-": "minus",
    "*": "times",
    "and": "and",
    "or": "or",
}


def describe(
    tree: Expr,
    labels: Mapping[str, str],
    personas: Mapping[str, str],
    worded: Mapping[str, Callable[[int], str | None]] | None = None,
) -> str:
    """The expression in words, for a locked choice's reason. A variable shown in
    words (format 1.1 `words:`) is compared with the word of the number, never the number."""
    worded = worded or {}

    def words(t: Expr) -> str:
        match t:
            case Lit(value=bool() as b):
                return "yes" if b else "no"
            case Lit(value=str() as s):
                return personas.get(s, s)
            case Lit(value=v):
                return str(v)
            case Var(name=name):
                return labels.get(name, name)
            case PersonaRef():
                return "you"
            case Visits(scene=scene):
                return f"visits to {scene}"
            case Unary(op="not", operand=Var(name=name)):
                return f"{labels.get(name, name)}: no"
            case Unary(op="not", operand=operand):
                return f"not ({words(operand)})"
            case Unary(operand=operand):
                return f"-{words(operand)}"
            case Binary(op=op, left=PersonaRef(), right=right):
                return f"you {'are' if op == '==' else 'are not'} {words(right)}"
            case Binary(op=op, left=Var(name=name), right=Lit(value=int() as n)) if (
                name in worded and not isinstance(n, bool) and op in _COMPARE
            ):
                return f'{labels.get(name, name)} {_WORDS[op]} "{worded[name](n)}"'
            case Binary(op=op, left=Lit(value=int() as n), right=Var(name=name)) if (
                name in worded and not isinstance(n, bool) and op in _COMPARE
            ):
                return f'{labels.get(name, name)} {_WORDS[_FLIPPED[op]]} "{worded[name](n)}"'

            case Binary(op=op, left=left, right=right):
                return f"{words(left)} {_WORDS[op]} {words(right)}"
        return ""  # pragma: no cover

    if isinstance(tree, Var):
        return f"{labels.get(tree.name, tree.name)}: yes"
    return words(tree)
