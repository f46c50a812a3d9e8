"""Every check of the format contract: a broken file, and the code, line,
column and words of the diagnostic it must give.

Each case is a small scenario whose lines sit at fixed numbers (see BASE), with
one or two lines replaced. The expected column is given by the token the
diagnostic must point at on that line (or as a number), so the tables read as
"line 11 points at `refuje`".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from journey.engine import reach as reach_module
from journey.scenario import CODES, Diagnostic, load, yamlnodes
from journey.tools.validate import check_file

# Line numbers of the base scenario, which validates with no diagnostic at all.
BASE = {
    "format": "format: 1",  # 1
    "id": "id: trip",  # 2
    "title": "title: The Trip",  # 3
    "variables": "variables: {money: {start: 5, min: 0, max: 10}, ok: {start: true}}",  # 4
    "personas": "personas: [{id: ana, name: Ana}]",  # 5
    "route": "route: [{id: road, title: Road}]",  # 6
    "endings": "endings: {home: {title: Home, kind: safe}}",  # 7
    "sources": "sources: {book: {title: A Book}}",  # 8
    "start": "start: square",  # 9
    "scenes": "scenes:",  # 10
    "square": "  square: {stage: road, choices: [{text: Go, goto: refuge}], "  # 11
    "facts: [{title: F, text: F., source: book}]}",
    "refuge": "  refuge: {stage: road, ending: home}",  # 12
}


FACT = "{title: F, text: F., source: book}"  # so that the source is cited


def doc(*more: str, choice: str | None = None, **lines: str) -> str:
    """The base scenario with lines replaced, and `more` lines after line 12.
    `choice` replaces the one choice of `square` (line 11)."""
    if choice is not None:
        lines["square"] = f"  square: {{stage: road, choices: [{choice}], facts: [{FACT}]}}"
    unknown = set(lines) - set(BASE)
    assert not unknown, unknown
    return "\n".join([lines.get(k, v) for k, v in BASE.items()] + list(more)) + "\n"


@dataclass
class Case:
    code: str
    main: str | bytes
    line: int
    at: str | int  # the token the diagnostic points at on `line`, or its column
    words: tuple[str, ...]
    files: tuple[tuple[str, str], ...] = ()  # more files: (name, text)
    where: str = "scenario.yaml"  # the file the diagnostic is in
    max_states: int | None = None  # the bound of the reachability search


def case(
    code: str,
    main: str | bytes,
    line: int,
    at: str | int,
    *words: str,
    id: str,
    files: tuple[tuple[str, str], ...] = (),
    where: str = "scenario.yaml",
    max_states: int | None = None,
):  # type: ignore[no-untyped-def]
    return pytest.param(Case(code, main, line, at, words, files, where, max_states), id=f"{code}-{id}")


def diagnose(folder: Path, c: Case) -> list[Diagnostic]:
    main = folder / "scenario.yaml"
    if isinstance(c.main, bytes):
        main.write_bytes(c.main)
    else:
        main.write_text(c.main, encoding="utf-8")
    for name, text in c.files:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return check_file(main, c.max_states)


def expected_col(c: Case) -> int:
    if isinstance(c.at, int):
        return c.at
    source = c.main if c.where == "scenario.yaml" else dict(c.files)[c.where]
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    line = text.split("\n")[c.line - 1]
    assert c.at in line, f"the case is wrong: {c.at!r} is not on line {c.line}: {line!r}"
    return line.index(c.at) + 1


SYNTAX = [
    case(
        "E101",
        doc(title="title: The Trip: part 2"),
        3,
        ": part",
        "mapping values",
        "quotes",
        id="colon-in-text",
    ),
    case(
        "E101", doc(square="\tsquare: {stage: road}"), 11, 1, "YAML syntax", "tab", "spaces", id="tab-indent"
    ),
    case(
        "E101", doc(title='title: "The Trip'), 3, '"The', "opened here", "never closed", id="unclosed-quote"
    ),
    case(
        "E101",
        doc(title="title: 'The Trip", square="  square: {stage: road, choices: [{text: Go, goto: refuge}]}"),
        3,
        "'The",
        "quote `'` opened here is never closed",
        "twice",
        id="unclosed-single-quote",
    ),
    case(
        "E101",
        doc(title="title: {name} takes the trip"),
        3,
        "{name}",
        "starts with `{`",
        "quote the whole text",
        id="text-starts-with-brace",
    ),
    case(
        "E101",
        doc(title='title: "Go," she said'),
        3,
        '"Go',
        'starts with `"`',
        "quote the whole text",
        id="text-starts-with-quote",
    ),
    case(
        "E101",
        doc(title="title: 'Go' she said"),
        3,
        "'Go",
        "starts with `'`",
        "quote the whole text",
        id="text-starts-with-single-quote",
    ),
    case(
        "E101",
        doc(id="id: trip", title="   title: The Trip"),
        3,
        "title",
        "indented 3 spaces more than the key above",
        "line up",
        id="over-indented-key",
    ),
    case("E101", doc(route="route: [{id: road, title: Road}"), 7, 1, "flow sequence", id="unclosed-bracket"),
    case(
        "E101",
        doc(refuge=" refuge: {stage: road, ending: home}"),
        12,
        2,
        "YAML syntax",
        "check the indentation",
        id="bad-indent",
    ),
    case("E101", doc(title="title: *nope"), 3, "*nope", "alias", "no anchor", "&nope", id="undefined-alias"),
    case(
        "E101",
        doc(title="title: The Trip\ufffe"),
        3,
        "\ufffe",
        "does not allow",
        "U+FFFE",
        "delete",
        id="refused-character",
    ),
    case(
        "E100",
        doc(title="title: Caf\udce9").encode("utf-8", "surrogateescape"),
        3,
        "\ufffd",
        "not UTF-8",
        "UTF-8",
        id="not-utf8",
    ),
    case(
        "E102",
        doc("title: Another Trip"),
        13,
        "title",
        "`title` appears twice",
        "first at line 3",
        id="duplicate-key",
    ),
    case(
        "E102",
        doc(square="  square: {stage: road, stage: road, choices: [{text: Go, goto: refuge}]}"),
        11,
        "stage: road, choices",
        "`stage` appears twice",
        id="duplicate-key-in-flow",
    ),
    case(
        "E103",
        doc(title="title: !shout The Trip"),
        3,
        "!shout",
        "tag `!shout`",
        "not allowed",
        id="custom-tag",
    ),
    case("E103", doc(title="title: !!python/object:os.system x"), 3, "!!python", "tag", id="python-tag"),
    case("E103", doc("---", "format: 1"), 13, 1, "more than one YAML document", id="two-documents"),
    case("E103", doc("glossary: &g {loop: *g}"), 13, "*g", "contains itself", id="recursive-alias"),
    case("E103", doc("? [a, b]", ": c"), 13, 3, "key must be a plain value", id="complex-key"),
    # the top-level mapping is one level, so the 64th bracket (column 11 + 63) is refused
    case("E104", doc("glossary: " + "[" * 70 + "]" * 70), 13, 74, "nested more than 64", id="deep-nesting"),
    case(
        "E104",
        doc(
            "authors: &a [x, x, x, x, x, x, x, x, x, x]",
            "summary: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
            "audience: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
            "language: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
            "content_notes: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
            "glossary: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
        ),
        18,
        24,  # the 4th *e: each alias counts its whole value once, nothing counts twice
        "aliases expand",
        "500,000",
        id="alias-bomb",
    ),
]

KEYS_AND_TYPES = [
    case(
        "E110",
        doc(title="titel: The Trip"),
        3,
        "titel",
        "unknown key `titel`",
        "did you mean `title`",
        id="top-level",
    ),
    case(
        "E110",
        doc(square="  square: {stage: road, choises: [{text: Go, goto: refuge}]}"),
        11,
        "choises",
        "unknown key `choises`",
        "did you mean `choices`",
        id="scene",
    ),
    case(
        "E110",
        doc(choice="{text: Go, goto: refuge, onse: true}"),
        11,
        "onse",
        "did you mean `once`",
        id="choice",
    ),
    case(
        "E110",
        doc(variables="variables: {money: {start: 5, maximum: 10}}"),
        4,
        "maximum",
        "unknown key `maximum`",
        id="variable",
    ),
    case(
        "E110",
        doc(square="  square: {<<: {stage: road}, choices: [{text: Go, goto: refuge}]}"),
        11,
        "<<",
        "unknown key `<<`",
        "merge keys",
        "write the keys out",
        id="merge-key",
    ),
    case("E111", doc(start="# no start"), 1, 1, "has no `start`", id="no-start"),
    case("E111", doc(choice="{goto: refuge}"), 11, "{goto", "has no `text`", id="choice-text"),
    case("E111", doc(route="route: []"), 6, "[]", "no stages", id="empty-route"),
    case("E111", doc(scenes="scenes: {}", square="", refuge=""), 10, "{}", "no scenes", id="no-scenes"),
    case("E111", "", 1, 1, "file is empty", "format: 1", id="empty-file"),
    case("E111", "# only a comment\n\n", 1, 1, "only comments", id="comments-only"),
    case(
        "E112",
        doc(title="title: [The, Trip]"),
        3,
        "[The",
        "`title` should be text",
        "not a list",
        id="list-for-text",
    ),
    case(
        "E112",
        doc(variables="variables: {money: {start: lots}}"),
        4,
        "lots",
        "whole number or `true`/`false`",
        "not a text",
        id="variable-start",
    ),
    case(
        "E112",
        doc(choice="{text: Go, goto: refuge, once: sure}"),
        11,
        "sure",
        "`once` should be `true` or `false`",
        id="once-not-bool",
    ),
    case(
        "E112",
        doc(variables="variables: {money: {start: 5, max: 9.5}}"),
        4,
        "9.5",
        "a whole number",
        "decimal number",
        id="decimal",
    ),
    case(
        "E112",
        doc(personas="personas: [{id: ana, name: Ana, set: {ok: 3}}]"),
        5,
        "3}",
        "`ok` is a true/false value",
        id="persona-set-type",
    ),
    case(
        "E112",
        doc(variables="variables: {ok: {start: true, min: 0}}"),
        4,
        "0}",
        "cannot have min or max",
        id="bool-with-min",
    ),
    case("E112", doc(title="title: !!int many"), 3, "!!int", "not a valid int", id="bad-int-tag"),
    case(
        "E112",
        doc(scenes="scenes: [square]", square="", refuge=""),
        10,
        "[square]",
        "mapping",
        id="scenes-list",
    ),
    case("E112", "- format: 1\n", 1, 1, "should be a mapping", id="list-file"),
    case("E113", doc(format="format: 2"), 1, "2", "format 2 is not supported", "format: 1", id="format-2"),
    case("E113", doc(format="# no format"), 2, 1, "no `format:`", id="no-format"),
    case("E114", doc(id="id: The Trip"), 2, "The Trip", "not a slug", "`the-trip`", id="id-not-slug"),
    case(
        "E114",
        doc(variables="variables: {2much: {start: 5}}"),
        4,
        "2much",
        "cannot be a variable name",
        id="variable-name",
    ),
    case(
        "E114",
        doc(variables="variables: {persona: {start: 5}}"),
        4,
        "persona:",
        "cannot be a variable name",
        "taken",
        id="reserved-name",
    ),
    case(
        "E115",
        doc(route="route: [{id: road, title: Road}, {id: road, title: Again}]"),
        6,
        "road, title: Again",
        "two stages have the id `road`",
        id="stage-id",
    ),
    case(
        "E115",
        doc(personas="personas: [{id: ana, name: Ana}, {id: ana, name: Bo}]"),
        5,
        "ana, name: Bo",
        "two personas",
        id="persona-id",
    ),
    case(
        "E116",
        doc(endings="endings: {home: {title: Home, kind: saf}}"),
        7,
        "saf",
        "not a kind of ending",
        "did you mean `safe`",
        id="ending-kind",
    ),
    case(
        "E116",
        doc(variables="variables: {money: {start: 5, min: 10, max: 0}}"),
        4,
        "0}",
        "max 0 below min 10",
        id="max-below-min",
    ),
    case(
        "E116",
        doc(choice="{text: Go, goto: refuge, locked_text: No}"),
        11,
        "No}",
        "only shown with `show_locked: true`",
        id="locked-text-alone",
    ),
]

NAMES = [
    case(
        "E120",
        doc(choice="{text: Go, goto: refuje}"),
        11,
        "refuje",
        "`goto: refuje` names no scene",
        "did you mean `refuge`",
        id="goto",
    ),
    case(
        "E120",
        doc(start="start: sqare"),
        9,
        "sqare",
        "`start: sqare` names no scene",
        "did you mean `square`",
        id="start",
    ),
    case(
        "E120",
        doc(choice='{text: Go, goto: refuge, if: visits("refuje") > 0}'),
        11,
        "visits",
        'visits("refuje") names no scene',
        "did you mean `refuge`",
        id="visits",
    ),
    case(
        "E120",
        doc(choice="{text: Go, roll: [{weight: 1, goto: refuje}]}"),
        11,
        "refuje",
        "names no scene",
        "did you mean `refuge`",
        id="roll-goto",
    ),
    case(
        "E121",
        doc(refuge="  refuge: {stage: rode, ending: home}"),
        12,
        "rode",
        "`stage: rode` is not in the route",
        "did you mean `road`",
        id="stage",
    ),
    case(
        "E122",
        doc(refuge="  refuge: {stage: road, ending: hom}"),
        12,
        "hom}",
        "`ending: hom` names no ending",
        "did you mean `home`",
        id="ending",
    ),
    case(
        "E123",
        doc(refuge="  refuge: {stage: road, ending: home, facts: [{title: F, text: X, source: bok}]}"),
        12,
        "bok",
        "`source: bok` names no source",
        "did you mean `book`",
        id="source",
    ),
    case(
        "E124",
        doc(choice="{text: Go, goto: refuge, if: mony > 1}"),
        11,
        "mony",
        "`mony` is not a declared variable",
        "did you mean `money`",
        id="in-if",
    ),
    case(
        "E124",
        doc(choice='{text: Go, goto: refuge, if: "ok and mony > 1"}'),
        11,
        "mony",
        "`mony`",
        id="quoted-expression",
    ),
    case(
        "E124",
        doc(choice="{text: Go, goto: refuge, add: {mony: 1}}"),
        11,
        "mony",
        "`add` names `mony`",
        "did you mean `money`",
        id="in-add",
    ),
    case(
        "E124",
        doc(choice='{text: "You have {mony}", goto: refuge}'),
        11,
        "{mony}",
        "`{mony}` in text names no variable",
        "did you mean `money`",
        id="in-text",
    ),
    case(
        "E124",
        doc(personas="personas: [{id: ana, name: Ana, set: {mony: 1}}]"),
        5,
        "mony",
        "sets `mony`",
        "did you mean `money`",
        id="persona-set",
    ),
    case(
        "E125",
        doc(choice='{text: Go, goto: refuge, if: persona == "anna"}'),
        11,
        '"anna"',
        'no persona has the id "anna"',
        "did you mean `ana`",
        id="persona",
    ),
]

EXPRESSIONS = [
    case(
        "E130",
        doc(choice="{text: Go, goto: refuge, if: money >=}"),
        11,
        "}], facts",
        "expected a value but found the end",
        id="missing-operand",
    ),
    case(
        "E130",
        doc(choice="{text: Go, goto: refuge, if: money = 3}"),
        11,
        "= 3",
        "unexpected character `=`",
        "compare with `==`",
        id="single-equals",
    ),
    case(
        "E130",
        doc(choice="{text: Go, goto: refuge, if: money > 1 && ok}"),
        11,
        "&&",
        "unexpected character `&`",
        "write `and`",
        id="ampersands",
    ),
    case(
        "E130",
        doc(choice='{text: Go, goto: refuge, if: "(money > 1"}'),
        11,
        '"}',
        "expected `)`",
        id="unclosed-paren",
    ),
    case(
        "E130",
        doc(choice="{text: Go, goto: refuge, if: money > 1 ok}"),
        11,
        "ok}",
        "unexpected `ok`",
        "join conditions with `and`",
        id="two-values",
    ),
    case(
        "E130",
        doc(choice="{text: Go, goto: refuge, if: money.value > 1}"),
        11,
        ".value",
        "unexpected character `.`",
        "no attribute access",
        id="attribute",
    ),
    case(
        "E130",
        doc(choice="{text: Go, goto: refuge, if: len(money) > 1}"),
        11,
        "len",
        "not allowed",
        "visits",
        id="call",
    ),
    case(
        "E130",
        doc(choice="{text: Go, goto: refuge, if: 1 < money < 3}"),
        11,
        "< 3",
        "cannot be chained",
        id="chained",
    ),
    case(
        "E131",
        doc(choice="{text: Go, goto: refuge, if: money and 3}"),
        11,
        "and",
        "`and` needs a true/false value, not a number",
        id="money-and-3",
    ),
    case(
        "E131",
        doc(choice="{text: Go, goto: refuge, if: money}"),
        11,
        "money}",
        "gives a number, but a true/false value is needed",
        id="number-as-condition",
    ),
    case(
        "E131",
        doc(choice='{text: Go, goto: refuge, if: money == "rich"}'),
        11,
        "==",
        "`==` compares a number with a text",
        id="number-vs-text",
    ),
    case(
        "E131",
        doc(choice="{text: Go, goto: refuge, set: {money: ok}}"),
        11,
        "ok}",
        "gives a true/false value, but a number is needed",
        id="set-wrong-type",
    ),
    case(
        "E131",
        doc(choice="{text: Go, goto: refuge, add: {ok: 1}}"),
        11,
        "ok:",
        "`add` needs a number",
        "use `set`",
        id="add-to-bool",
    ),
    case(
        "E131",
        doc(choice="{text: Go, roll: [{weight: ok, goto: refuge}]}"),
        11,
        "ok,",
        "roll weight",
        "number is needed",
        id="bool-weight",
    ),
]

SCENES = [
    case(
        "E140",
        doc(refuge="  refuge: {stage: road}"),
        12,
        "refuge",
        "`refuge` has no choices and no ending",
        "add a choice",
        id="dead-end",
    ),
    case(
        "E141",
        doc(refuge="  refuge: {stage: road, ending: home, choices: [{text: Go, goto: square}]}"),
        12,
        "[{text",
        "has an ending and choices",
        id="ending-with-choices",
    ),
    case("E142", doc(choice="{text: Go}"), 11, "{text", "neither `goto` nor `roll`", id="no-target"),
    case(
        "E142",
        doc(choice="{text: Go, goto: refuge, roll: [{weight: 1, goto: refuge}]}"),
        11,
        "{text",
        "both `goto` and `roll`",
        id="both",
    ),
    case("E142", doc(choice="{text: Go, roll: []}"), 11, "[]}", "roll", "no outcomes", id="empty-roll"),
]

INCLUDES = [
    case(
        "E150",
        doc("include: [../outside.yaml]"),
        13,
        "../outside.yaml",
        "outside the scenario's folder",
        id="parent",
    ),
    case(
        "E150",
        doc("include: [/etc/hostname]"),
        13,
        "/etc/hostname",
        "outside the scenario's folder",
        id="absolute",
    ),
    case("E150", doc("include: [parts/../../x.yaml]"), 13, "parts/", "outside", id="dot-dot-inside"),
    case(
        "E151",
        doc("include: [more.yaml]"),
        13,
        "more.yaml",
        "`more.yaml`",
        "relative to the file that includes it",
        id="missing",
    ),
    case(
        "E152",
        doc("include: [more.yaml]"),
        1,
        "scenario",
        "already included",
        files=(("more.yaml", "include: [scenario.yaml]\n"),),
        where="more.yaml",
        id="cycle-back-to-main",
    ),
    case(
        "E152",
        doc("include: [more.yaml]"),
        1,
        "more",
        "already included",
        files=(("more.yaml", "include: [more.yaml]\n"),),
        where="more.yaml",
        id="includes-itself",
    ),
    case(
        "E152",
        doc("include: [more.yaml, more.yaml]"),
        13,
        "more.yaml]",
        "already included",
        files=(("more.yaml", "scenes: {}\n"),),
        id="twice",
    ),
    case(
        "E115",
        doc("include: [more.yaml]"),
        2,
        "refuge",
        "`refuge` is defined twice",
        "first at scenario.yaml:12:3",
        files=(("more.yaml", "scenes:\n  refuge: {stage: road, ending: home}\n"),),
        where="more.yaml",
        id="scene-in-two-files",
    ),
    case(
        "E110",
        doc("include: [more.yaml]"),
        2,
        "titel",
        "unknown key `titel`",
        files=(("more.yaml", "scenes: {}\ntitel: x\n"),),
        where="more.yaml",
        id="included-file-checked",
    ),
    case(
        "E120",
        doc("include: [parts/more.yaml]"),
        3,
        "refuje",
        "names no scene",
        files=(
            ("parts/more.yaml", "scenes:\n  more:\n    {stage: road, choices: [{text: Go, goto: refuje}]}\n"),
        ),
        where="parts/more.yaml",
        id="names-across-files",
    ),
]

TEXT = [
    case(
        "W200",
        doc(title='title: "The Trip\\e[31m"'),
        3,
        '"The',
        "removed 1 control",
        "never shown",
        id="escape-in-quotes",
    ),
    case(
        "W200",
        doc(title="title: The \x1b[31mTrip\x07"),
        3,
        "\x1b",
        "removed 2 control",
        id="raw-escape-in-file",
    ),
    case("W200", doc(title="title: The \u202eTrip"), 3, "\u202e", "control character", id="bidi-override"),
    case(
        "W201", doc(choice='{text: "a } b", goto: refuge}'), 11, "} b", "lone `}`", "`}}`", id="stray-brace"
    ),
]


def reach(
    *scenes: str,
    variables: str = BASE["variables"],
    endings: str = BASE["endings"],
    choice: str | None = None,
) -> str:
    return doc(*scenes, variables=variables, endings=endings, choice=choice)


REACHABILITY = [
    case(
        "W210",
        reach("  lonely: {stage: road, ending: home}"),
        13,
        "lonely",
        "no path from the start reaches the scene `lonely`",
        id="unreachable-scene",
    ),
    case(
        "W211",
        reach(endings="endings: {home: {title: Home, kind: safe}, lost: {title: Lost, kind: hard}}"),
        7,
        "lost",
        "no path reaches the ending `lost`",
        id="unreachable-ending",
    ),
    case(
        "W211",
        reach(
            "  lonely: {stage: road, ending: lost}",
            endings="endings: {home: {title: Home, kind: safe}, lost: {title: Lost, kind: hard}}",
        ),
        7,
        "lost",
        "`lost`",
        id="ending-only-on-unreachable-scene",
    ),
    case(
        "W212",
        reach(
            "  loop: {stage: road, choices: [{text: Again, goto: loop}]}",
            choice="{text: Go, goto: loop}, {text: Stop, goto: refuge}",
        ),
        13,
        "loop",
        "from the scene `loop` no ending can be reached",
        id="loop",
    ),
    case(
        "W212",
        reach(
            "  gate: {stage: road, choices: [{text: Pay, if: money >= 5, "
            "add: {money: -5}, goto: refuge}, {text: Wait, goto: gate}]}",
            choice="{text: Spend, add: {money: -1}, goto: gate}, {text: Go, goto: gate}",
        ),
        13,
        "gate",
        "can be reached in a state from which no ending can be reached",
        "Spend",
        id="state-dependent",
    ),
    case(
        "W213",
        reach(choice="{text: Rich, if: money > 10, goto: refuge}, {text: Go, goto: refuge}"),
        11,
        "{text: Rich",
        "choice 1 of `square` can never be taken",
        id="never-true",
    ),
    case(
        "W213",
        reach(choice="{text: Once, if: not ok, set: {ok: false}, goto: refuge}, {text: Go, goto: refuge}"),
        11,
        "{text: Once",
        "can never be taken",
        id="bool-never-false",
    ),
    case(
        "W215",
        reach(choice="{text: Go, roll: [{weight: 1, goto: refuge}, {weight: money - 100, goto: square}]}"),
        11,
        "{weight: money",
        "roll outcome 2",
        "never drawn",
        id="weight-never-positive",
    ),
    case(
        "W216",
        reach(
            "  gate: {stage: road, choices: [{text: Pay, if: money > 5, goto: refuge}]}",
            choice="{text: Go, goto: gate}, {text: Save, add: {money: 1}, goto: gate}",
        ),
        13,
        "gate",
        "every choice of the scene `gate` can be hidden at once",
        'after: as `ana`: "Go"',
        id="all-hidden",
    ),
    case(
        "N300",
        reach(),
        1,
        1,
        "tried 1 game situation and could not settle",
        "--max-states",
        max_states=1,
        id="search-bounded",
    ),
]

LINKS = [
    case(
        "W230",
        doc(sources='sources: {book: {title: A Book, url: "javascript:alert(1)"}}'),
        8,
        '"javascript',
        "`javascript:alert(1)` is not an http(s) or mailto address",
        "https://",
        id="source-url",
    ),
    case(
        "W230",
        doc(
            square='  square: {stage: road, text: "[a](javascript\\\\:x)", '
            "choices: [{text: Go, goto: refuge}]}"
        ),
        11,
        '"[a]',
        "the link to `javascript:x` is shown as text",
        id="escaped-link-in-text",
    ),
]


def doc11(*more: str, choice: str | None = None, **lines: str) -> str:
    """The base scenario, as format 1.1."""
    return doc(*more, choice=choice, **{"format": "format: 1.1", **lines})


FORMAT_1_1 = [
    case(
        "E117",
        doc(refuge="  refuge: {stage: road, ending: home, enter: {add: {money: 1}}}"),
        12,
        "enter",
        "`enter` is part of format 1.1",
        "format: 1.1",
        id="enter-under-format-1",
    ),
    case(
        "E117",
        doc(choice="{text: Go, goto: [{goto: refuge}]}"),
        11,
        "[{goto",
        "a list of branches",
        "format: 1.1",
        id="goto-list-under-format-1",
    ),
    case(
        "E143",
        doc11(choice="{text: Go, goto: [{if: ok, goto: refuge}]}"),
        11,
        "ok, goto",
        "the last branch",
        "without `if`",
        id="last-branch-has-if",
    ),
    case(
        "E143",
        doc11(choice="{text: Go, goto: [{goto: square}, {goto: refuge}]}"),
        11,
        "{goto: square}",
        "branch 1",
        "no `if`",
        id="branch-without-if",
    ),
    case("E143", doc11(choice="{text: Go, goto: []}"), 11, "[]", "empty list", id="empty-goto-list"),
    case(
        "E124",
        doc11(
            refuge="  refuge: {stage: road, ending: home, "
            "facts: [{title: T, text: 'Has {mony}', source: book}]}"
        ),
        12,
        "{mony}",
        "`{mony}` in text names no variable",
        "`money`",
        id="placeholder-in-fact-1.1",
    ),
    case(
        "E116",
        doc11(
            variables="variables: {money: {start: 5, min: 0, max: 10, words: {1: low, 5: high}}, "
            "ok: {start: true}}"
        ),
        4,
        "{1: low",
        "words of `money` start at 1",
        "`0:`",
        id="words-not-at-min",
    ),
    case(
        "E112",
        doc11(variables="variables: {money: {start: 5, min: 0}, ok: {start: true, words: {0: no}}}"),
        4,
        "{0: no}",
        "true/false, so it cannot have `words`",
        id="words-on-bool",
    ),
    case(
        "E116",
        doc11(
            variables="variables: {money: {start: 5, min: 0, shown: true, hidden: true}, ok: {start: true}}"
        ),
        4,
        "true}, ok",
        "both `hidden` and `shown`",
        id="hidden-and-shown",
    ),
    case(
        "E117",
        doc(variables="variables: {money: {start: 5, min: 0, words: {0: low}}, ok: {start: true}}"),
        4,
        "words",
        "`words` is part of format 1.1",
        id="words-under-format-1",
    ),
    case(
        "W203",
        doc(variables="variables: {money: {start: 50, min: 0, max: 10}, ok: {start: true}}"),
        4,
        "50",
        "start of `money` is 50",
        "0..10",
        id="start-above-max",
    ),
    case(
        "W203",
        doc(personas="personas: [{id: ana, name: Ana, set: {money: -3}}]"),
        5,
        "-3",
        "persona `ana` sets `money`",
        "clamped",
        id="persona-set-below-min",
    ),
]

TRAPS = [
    case(
        "E132",
        doc(choice="{text: Go, set: {money: 1,400}, goto: refuge}"),
        11,
        "1,400",
        "`1,400` is not a number",
        "without separators or units",
        "`1400`",
        id="thousands-separator-in-flow",
    ),
    case(
        "E132",
        doc(choice='{text: Go, add: {money: "-100 USD"}, goto: refuge}'),
        11,
        '"-100 USD"',
        "not a number",
        "`-100`",
        id="unit-after-number",
    ),
    case(
        "E112",
        doc(variables='variables: {money: {start: "1,400", min: 0}, ok: {start: true}}'),
        4,
        '"1,400"',
        "whole number",
        "without separators",
        "`1400`",
        id="separator-in-start",
    ),
    case(
        "E124",
        doc(choice="{text: Go, if: persona == ana, goto: refuge}"),
        11,
        "ana, goto",
        "`ana` is not a declared variable",
        'quote them, as in `persona == "ana"`',
        id="unquoted-persona",
    ),
]

QUIET_TRAPS = [
    case(
        "W204",
        doc(title="title: The Trip #2 in winter"),
        3,
        "#2",
        "rest of this line is a comment",
        "quote the whole text",
        id="hash-in-title",
    ),
    case(
        "W204",
        doc("  extra:", "    stage: road", "    text: You rest # for now", "    ending: home"),
        15,
        "# for",
        "comment",
        "not part of `text`",
        id="hash-in-scene-text",
    ),
    case(
        "W205",
        doc(variables="variables: {money: {start: 5, min: 0, max: 10}, ok: {start: yes}}"),
        4,
        "yes}",
        "`yes` is read as true",
        "write `true`",
        id="yes-for-true",
    ),
    case(
        "W205",
        doc(choice="{text: Go, once: on, goto: refuge}"),
        11,
        "on, goto",
        "`on`",
        "`true`",
        id="on-for-true",
    ),
]

USAGE = [
    case(
        "W220",
        doc(title="title: The Trip\nglossary: {broker: Someone paid to arrange a crossing.}"),
        4,
        "broker",
        "`broker` is in no text",
        "aliases",
        id="glossary-unused",
    ),
    case(
        "W221",
        doc(sources="sources: {book: {title: A Book}, atlas: {title: An Atlas}}"),
        8,
        "atlas",
        "no fact cites the source `atlas`",
        id="source-uncited",
    ),
    case(
        "W222",
        doc(personas="personas: [{id: ana, name: Ana}, {id: bo, name: Bo}]"),
        5,
        "{id: bo",
        "`ana` and `bo` play exactly alike",
        'persona == "bo"',
        id="personas-alike",
    ),
]

PARTS = [
    case(
        "E153",
        "scenes:\n  more: {stage: road, ending: home}\n",
        1,
        1,
        "meant to be included",
        "journey validate main.yaml",
        files=(("main.yaml", doc("include: [scenario.yaml]")),),
        id="part-file-given",
    ),
]

ALL = (
    USAGE
    + QUIET_TRAPS
    + PARTS
    + TRAPS
    + SYNTAX
    + KEYS_AND_TYPES
    + NAMES
    + EXPRESSIONS
    + SCENES
    + INCLUDES
    + TEXT
    + REACHABILITY
    + LINKS
    + FORMAT_1_1
)


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """PyYAML's C parser when it was built with libyaml, else its pure one: both
    must give the same diagnostics."""
    if request.param == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("PyYAML was built without libyaml")
        monkeypatch.setattr(yamlnodes, "_Loader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yamlnodes, "_Loader", yaml.SafeLoader)
    return str(request.param)


@pytest.mark.parametrize("c", ALL)
def test_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parser: str, c: Case) -> None:
    monkeypatch.chdir(tmp_path)  # paths are shown relative to the working folder
    found = diagnose(tmp_path, c)
    col = expected_col(c)
    shown = "\n".join(d.format() for d in found)
    same_code = [d for d in found if d.code == c.code]
    assert same_code, f"no {c.code} among:\n{shown}"
    at = [d for d in same_code if (d.mark.path, d.mark.line, d.mark.col) == (c.where, c.line, col)]
    assert at, f"no {c.code} at {c.where}:{c.line}:{col} among:\n{shown}"
    d = at[0]
    said = f"{d.message} {d.hint}".lower()
    for word in c.words:
        assert word.lower() in said, f"{word!r} not in {d.format()!r}"
    assert d.severity is CODES[c.code].severity
    assert d.hint, "every diagnostic says how to fix it"
    assert d.format().startswith(f"{c.where}:{c.line}:{col}: {d.severity.value}[{c.code}]")


@pytest.mark.parametrize("c", [p for p in REACHABILITY if p.values[0].code != "N300"])
def test_reachability_proved_without_the_exact_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, c: Case
) -> None:
    """The same warnings when the witness search may not see every state first:
    the abstract interpretation proves the "never"s and a witness shows the rest."""
    monkeypatch.setattr(reach_module, "BREADTH_SHARE", 10**9)  # one state breadth-first, then aimed
    monkeypatch.chdir(tmp_path)
    every = diagnose(tmp_path, c)
    found = [d for d in every if d.code == c.code]
    assert found, "\n".join(d.format() for d in every)
    said = " ".join(f"{d.message} {d.hint}".lower() for d in found)
    for word in c.words:
        assert word.lower() in said
    assert not [d for d in every if d.code == "N300"]


def test_base_scenario_is_clean(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(doc(), encoding="utf-8")
    assert check_file(tmp_path / "s.yaml") == []


def test_every_code_has_a_case() -> None:
    tested = {p.values[0].code for p in ALL}
    assert set(CODES) - tested == set(), "codes no test produces"
    assert tested <= set(CODES)


def test_warnings_do_not_block_loading(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(doc(title='title: "The \\e[1mTrip"'), encoding="utf-8")
    loaded = load(path)
    assert loaded.ok and loaded.scenario is not None
    assert loaded.scenario.title == "The [1mTrip"
    assert [d.code for d in loaded.diagnostics.items] == ["W200"]


def test_all_errors_are_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        doc(title="titel: T", start="start: nowhere", choice="{text: Go, goto: refuje, if: mony > 1}"),
        encoding="utf-8",
    )
    codes = sorted(d.code for d in load(path).diagnostics.errors)
    assert codes == ["E110", "E111", "E120", "E120", "E124"]


def test_unreadable_paths(tmp_path: Path) -> None:
    for path, words in ((tmp_path, "folder"), (tmp_path / "missing.yaml", "cannot read")):
        loaded = load(path)
        assert not loaded.ok
        [d] = loaded.diagnostics.items
        assert d.code == "E100" and words in d.message and d.hint


def test_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(doc() + "# " + "x" * 4_000_000 + "\n", encoding="utf-8")
    [d] = load(path).diagnostics.items
    assert d.code == "E104" and "larger than 4 MB" in d.message


def test_too_many_includes(tmp_path: Path) -> None:
    names = [f"p{i}.yaml" for i in range(205)]
    for name in names:
        (tmp_path / name).write_text("scenes: {}\n", encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(doc("include: [" + ", ".join(names) + "]"), encoding="utf-8")
    codes = [d.code for d in load(path).diagnostics.items]
    # 200 files in all, the main one included: the last 6 of 205 are refused
    assert codes == ["E104"] * 6, codes


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_include_symlink_leaving_the_folder(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("scenes: {}\n", encoding="utf-8")
    folder = tmp_path / "scenario"
    folder.mkdir()
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    (folder / "s.yaml").write_text(doc("include: [link.yaml]"), encoding="utf-8")
    assert "E150" in [d.code for d in load(folder / "s.yaml").diagnostics.items]


def test_lone_surrogates_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure-Python parser turns a "\\ud800" escape into a lone surrogate, which
    no output or save could encode: it goes, like a control character."""
    monkeypatch.setattr(yamlnodes, "_Loader", yaml.SafeLoader)
    path = tmp_path / "s.yaml"
    path.write_text(doc(title='title: "The \\ud800Trip"'), encoding="utf-8")
    loaded = load(path)
    assert loaded.scenario is not None and loaded.scenario.title == "The Trip"
    assert [d.code for d in loaded.diagnostics.items] == ["W200"]


def test_an_included_file_given_alone_gives_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    part = tmp_path / "part.yaml"
    part.write_text(
        "scenes:\n  a: {stage: road, choices: [{text: Go, goto: b, if: money > 2}]}\n  b: {stage: x}\n",
        encoding="utf-8",
    )
    (tmp_path / "main.yaml").write_text(doc("include: [part.yaml]"), encoding="utf-8")
    [d] = check_file(part)
    assert d.code == "E153" and "`journey validate main.yaml`" in d.hint


def test_a_broken_declaration_is_reported_once_not_at_every_use(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        doc(
            variables="variables: {money: {start: lots, min: 0}, ok: {start: true}}",
            square="  square: {stage: road, text: 'You have {money}.', "
            "choices: [{text: Go, if: money > 1, add: {money: -1}, goto: refuge}]}",
            personas="personas: [{id: ana, name: Ana, set: {money: 3}}]",
        ),
        encoding="utf-8",
    )
    codes = [d.code for d in load(path).diagnostics.errors]
    assert codes == ["E112"], codes


def test_a_broken_scene_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(doc(refuge="  refuge: [stage, road]"), encoding="utf-8")
    codes = [d.code for d in load(path).diagnostics.errors]
    assert codes == ["E112"], codes


def test_the_main_file_comes_before_its_includes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-part.yaml").write_text(
        "scenes:\n  more: {stage: nowhere, ending: home}\n", encoding="utf-8"
    )
    path = tmp_path / "z-main.yaml"
    path.write_text(doc("include: [a-part.yaml]", title="titel: T"), encoding="utf-8")
    paths = [d.mark.path for d in check_file(path)]
    assert paths[0] == "z-main.yaml" and "a-part.yaml" in paths
    assert paths == sorted(paths, key=lambda p: p != "z-main.yaml")


def test_personas_told_apart_by_a_condition_or_start_values_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    for personas, choice in (
        (
            "personas: [{id: ana, name: Ana}, {id: bo, name: Bo}]",
            '{text: Go, if: persona != "bo", goto: refuge}',
        ),
        ("personas: [{id: ana, name: Ana}, {id: bo, name: Bo, set: {money: 1}}]", "{text: Go, goto: refuge}"),
    ):
        path.write_text(doc(personas=personas, choice=choice), encoding="utf-8")
        assert "W222" not in [d.code for d in check_file(path)]


def test_a_broken_included_file_is_the_one_error_not_every_goto_into_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "part.yaml").write_text("scenes:\n  more: {stage: road, ending: home\n", encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(doc("include: [part.yaml]", choice="{text: Go, goto: more}"), encoding="utf-8")
    errors = load(path).diagnostics.errors
    assert [(d.code, d.mark.path) for d in errors] == [("E101", "part.yaml")], [d.format() for d in errors]
