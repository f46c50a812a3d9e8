"""The generated parts of docs/authoring.md: the reference tables of format 1
(from journey.scenario.schema), every diagnostic (from diagnostics.CODES), and
the starter file that `journey new` writes.

Each part sits between two marker comments in the Markdown file:

    <!-- generated: records -->
    ...
    <!-- end generated -->

Run `python -m journey.tools.docgen --write` after changing the format or a
diagnostic; `--check` (and a test) fails when the file has drifted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..scenario.diagnostics import CODES, Code, Diagnostic, Mark, Severity
from ..scenario.schema import ENDING_KINDS, RECORDS, RESERVED, Field, Record
from .new import starter
from .schema import SCHEMA_FILE
from .validate import check_file

DEFAULT_DOC = Path("docs/authoring.md")
BLOCK = re.compile(r"(<!-- generated: ([\w-]+) -->\n)(.*?)(<!-- end generated -->)", re.S)
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


def anchor(record: str) -> str:
    return f"record-{record}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def type_doc(f: Field) -> str:
    """A field's type in words, with a link when it is (or holds) a record."""
    name = f.type if isinstance(f.type, str) else f.type.name
    for record in sorted(RECORDS, key=len, reverse=True):
        if name == record or name.endswith(" " + record):
            head = name[: len(name) - len(record)]
            return f"{head}[{record}](#{anchor(record)})"
    part = "{if, text}"  # the parts of a scene's text
    return name.replace(part, f"[{part}](#{anchor('text-part')})", 1)


def _since(f: Field) -> str:
    return f"*Format {f.since}:* " if f.since != "1" else ""


def record_markdown(record: Record) -> str:
    rows = [
        f"| `{f.key}` | {_cell(type_doc(f))} | {'yes' if f.required else 'no'} | {_cell(_since(f) + f.doc)} |"
        for f in record.fields
    ]
    parts = [
        f'<a id="{anchor(record.name)}"></a>',
        f"### `{record.name}`",
        "",
        record.doc,
        "",
        "| key | type | required | meaning |",
        "|---|---|---|---|",
        *rows,
    ]
    if record.extra:
        parts += ["", record.extra]
    return "\n".join(parts)


def records_markdown() -> str:
    notes = [
        "Ending kinds: " + ", ".join(f"`{k}`" for k in ENDING_KINDS) + ".",
        "Words that cannot be variable names: " + ", ".join(f"`{w}`" for w in sorted(RESERVED)) + ".",
    ]
    return "\n\n".join([*(record_markdown(r) for r in RECORDS.values()), *notes])


def _codes() -> list[Code]:
    return sorted(CODES.values(), key=lambda c: (_SEVERITY_ORDER[c.severity], c.code))


def diagnostics_markdown() -> str:
    index = ["| code | name | kind | in short |", "|---|---|---|---|"]
    index += [
        f"| [{c.code}](#{c.code.lower()}) | `{c.name}` | {c.severity.value} | {_cell(c.summary)} |"
        for c in _codes()
    ]
    entries = [
        f'<a id="{c.code.lower()}"></a>\n### {c.code} `{c.name}` ({c.severity.value})'
        f"\n\n{c.summary}\n\n**How to fix it:** {c.fix}{_example_markdown(c.code)}"
        for c in _codes()
    ]
    return "\n\n".join(["\n".join(index), *entries])


# -- examples: each made by checking a broken copy of a small scenario -----------------

BASE = """\
format: 1
id: example
title: Example
sources:
  atlas: {title: An Atlas, year: 2020}
variables:
  money: {start: 10, min: 0, max: 20}
  has_map: {start: false}
personas:
  - {id: ana, name: Ana}
route:
  - {id: town, title: The town}
endings:
  home: {title: Home, kind: safe}
start: square
scenes:
  square:
    stage: town
    text: You have {money} coins.
    facts:
      - {title: Maps, text: Maps help., source: atlas}
    choices:
      - text: Buy a map
        if: money >= 5 and not has_map
        add: {money: -5}
        set: {has_map: true}
        goto: square
      - text: Go home
        goto: home-scene
  home-scene:
    stage: town
    ending: home
    text: Home.
"""
_GATE = (
    "      - text: Go home\n",
    "      - text: Go to the gate\n        goto: gate\n      - text: Go home\n",
)
_GATE_SCENE = (
    "    text: Home.\n",
    "    text: Home.\n  gate:\n    stage: town\n"
    "    choices:\n      - text: Show your map\n        if: has_map\n"
    "        goto: home-scene\n",
)


@dataclass(frozen=True)
class Example:
    """A broken copy of BASE: text replacements, extra files, or raw bytes."""

    edits: tuple[tuple[str, str], ...] = ()
    files: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    max_states: int | None = None
    what: str = ""  # the mistake in words, where the line it points at would not say


EXAMPLES: dict[str, Example] = {
    "E100": Example(
        raw=b"format: 1\ntitle: Caf\xe9\n", what="a file saved in another encoding (here Latin-1)"
    ),
    "E101": Example((("text: Home.", "text: Home: at last."),)),
    "E102": Example((("    text: Home.\n", "    text: Home.\n    text: Home again.\n"),)),
    "E103": Example((("title: Example", "title: !secret Example"),)),
    "E104": Example(
        (("title: Example", "title: Example\nx: " + "[" * 70 + "]" * 70),),
        what="a value of lists nested 70 deep",
    ),
    "E110": Example((("    ending: home", "    endng: home"),)),
    "E111": Example((("title: Example\n", ""),), what="a scenario without `title:`"),
    "E112": Example((("year: 2020", "year: soon"),)),
    "E113": Example((("format: 1", "format: 2"),)),
    "E114": Example((("id: example", "id: My Example"),)),
    "E115": Example((("  - {id: ana, name: Ana}", "  - {id: ana, name: Ana}\n  - {id: ana, name: Anna}"),)),
    "E116": Example((("kind: safe", "kind: happy"),)),
    "E117": Example((("    ending: home\n", "    ending: home\n    enter: {add: {money: 1}}\n"),)),
    "E120": Example((("goto: home-scene", "goto: home-scen"),)),
    "E121": Example((("    stage: town\n    ending", "    stage: twn\n    ending"),)),
    "E122": Example((("ending: home", "ending: hom"),)),
    "E123": Example((("source: atlas", "source: atlass"),)),
    "E124": Example((("{money} coins", "{coins} coins"),)),
    "E125": Example((("if: money >= 5 and not has_map", 'if: persona == "anna"'),)),
    "E130": Example((("if: money >= 5 and", "if: money => 5 and"),)),
    "E131": Example((("if: money >= 5 and", "if: money and"),)),
    "E132": Example((("add: {money: -5}", "add: {money: -5 USD}"),)),
    "E140": Example((("    ending: home\n", ""),)),
    "E141": Example(
        (("    text: Home.\n", "    text: Home.\n    choices:\n      - text: Again\n        goto: square\n"),)
    ),
    "E142": Example((("        goto: home-scene\n", ""),)),
    "E143": Example(
        (("format: 1\n", "format: 1.1\n"), ("goto: home-scene", "goto: [{if: has_map, goto: home-scene}]"))
    ),
    "E150": Example((("start: square", "include: [../outside.yaml]\nstart: square"),)),
    "E151": Example((("start: square", "include: [more.yaml]\nstart: square"),)),
    "E152": Example(
        (("start: square", "include: [more.yaml]\nstart: square"),),
        files={"more.yaml": "include: [more.yaml]\n"},
    ),
    "E153": Example(
        raw=b"scenes:\n  attic: {stage: town, ending: home}\n",
        files={"main.yaml": "format: 1\ninclude: [scenario.yaml]\n"},
        what="`journey validate scenario.yaml` on a file that `main.yaml` includes",
    ),
    "W200": Example((("text: Home.", 'text: "\\e[31mHome."'),)),
    "W201": Example((("text: Home.", "text: Home { at last."),)),
    "W203": Example((("{start: 10, min: 0, max: 20}", "{start: 30, min: 0, max: 20}"),)),
    "W204": Example((("text: Home.", "text: Home at last #1"),)),
    "W205": Example((("has_map: {start: false}", "has_map: {start: no}"),)),
    "W210": Example(
        (("    text: Home.\n", "    text: Home.\n  attic:\n    stage: town\n    ending: home\n"),)
    ),
    "W211": Example(
        (
            (
                "  home: {title: Home, kind: safe}",
                "  home: {title: Home, kind: safe}\n  lost: {title: Lost, kind: hard}",
            ),
        )
    ),
    "W212": Example(
        (
            _GATE,
            (
                "    text: Home.\n",
                "    text: Home.\n  gate:\n    stage: town"
                "\n    choices:\n      - text: Wait\n        goto: gate\n",
            ),
        )
    ),
    "W213": Example((("if: money >= 5 and", "if: money > 100 and"),)),
    "W215": Example(
        (
            (
                "        goto: home-scene\n",
                "        roll:\n          - weight: 1\n"
                "            goto: home-scene\n          - weight: money - 50\n"
                "            goto: square\n",
            ),
        )
    ),
    "W216": Example((_GATE, _GATE_SCENE)),
    "W230": Example((("{title: An Atlas, year: 2020}", "{title: An Atlas, year: 2020, url: atlas.org}"),)),
    "W220": Example((("start: square", "glossary:\n  compass: A tool that points north.\nstart: square"),)),
    "W221": Example(
        (
            (
                "  atlas: {title: An Atlas, year: 2020}",
                "  atlas: {title: An Atlas, year: 2020}\n  diary: {title: A Diary}",
            ),
        )
    ),
    "W222": Example((("  - {id: ana, name: Ana}", "  - {id: ana, name: Ana}\n  - {id: bo, name: Bo}"),)),
    "N300": Example(max_states=1, what="`journey validate --max-states 1`"),
}


def example(code: str) -> tuple[str, Diagnostic]:
    """The line (as written) and the diagnostic that the example for `code` gives."""
    spec = EXAMPLES[code]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "scenarios")
        folder.mkdir()
        path = folder / "scenario.yaml"
        text = BASE
        for old, new in spec.edits:
            if old not in text:
                raise DocError(f"the example for {code} edits `{old.strip()}`, not in BASE")
            text = text.replace(old, new, 1)
        path.write_bytes(spec.raw if spec.raw is not None else text.encode("utf-8"))
        for name, content in spec.files.items():
            (folder / name).write_text(content, encoding="utf-8")
        found = [d for d in check_file(path, spec.max_states) if d.code == code]
        if not found:
            raise DocError(f"the example for {code} does not give {code}")
        d = _relative(found[0], folder)
        line = "" if spec.what else _line(folder / d.mark.path, d.mark.line)
    return line, d


def _relative(d: Diagnostic, folder: Path) -> Diagnostic:
    """The diagnostic with paths shown relative to the example's folder."""
    prefixes = {os.path.join(os.path.realpath(folder), ""), os.path.join(folder, "")}
    # diagnostics show paths relative to the working folder when inside it (and
    # relpath fails across drives on Windows)
    with contextlib.suppress(ValueError):
        prefixes.add(os.path.join(os.path.relpath(folder), ""))

    def strip(text: str) -> str:
        for prefix in sorted(prefixes, key=len, reverse=True):
            text = text.replace(prefix, "")
        return text

    mark = Mark(strip(d.mark.path), d.mark.line, d.mark.col)
    return Diagnostic(mark, d.code, strip(d.message), strip(d.hint), d.severity)


def _line(path: Path, number: int) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


def _example_markdown(code: str) -> str:
    if code not in EXAMPLES:
        return ""
    line, d = example(code)
    what = EXAMPLES[code].what
    said = (
        f"For example, {what} gives:"
        if what
        else f"For example, the line `{line}` gives:"
        if line and "`" not in line
        else "For example:"
    )
    return f"\n\n{said}\n\n```text\n{d.format()}\n```"


def starter_markdown() -> str:
    text = starter("My route", "my-route", "my-route.yaml", SCHEMA_FILE)
    return f"```yaml\n{text}```"


SECTIONS: dict[str, Callable[[], str]] = {
    "records": records_markdown,
    "diagnostics": diagnostics_markdown,
    "starter": starter_markdown,
}


class DocError(Exception):
    pass


def update(text: str) -> str:
    """The document with every generated part replaced by its current text."""
    found = set()

    def replace(m: re.Match[str]) -> str:
        name = m.group(2)
        if name not in SECTIONS:
            raise DocError(f"unknown generated part `{name}` (known: {', '.join(SECTIONS)})")
        found.add(name)
        return f"{m.group(1)}\n{SECTIONS[name]()}\n\n{m.group(4)}"

    out = BLOCK.sub(replace, text)
    missing = set(SECTIONS) - found
    if missing:
        raise DocError(
            "no marked place for: "
            + ", ".join(sorted(missing))
            + " (add `<!-- generated: NAME -->` and `<!-- end generated -->`)"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m journey.tools.docgen",
        description="Regenerate the reference parts of docs/authoring.md.",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite the file in place")
    mode.add_argument("--check", action="store_true", help="exit 1 if the file has drifted")
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_DOC)
    args = parser.parse_args(argv)
    try:
        text = args.path.read_text(encoding="utf-8")
        new = update(text)
    except (OSError, DocError) as exc:
        print(f"docgen: {args.path}: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if new != text:
            print(
                f"docgen: {args.path} is out of date; run `python -m journey.tools.docgen --write`",
                file=sys.stderr,
            )
            return 1
        return 0
    if new != text:
        args.path.write_text(new, encoding="utf-8", newline="\n")
        print(f"docgen: updated {args.path}")
    else:
        print(f"docgen: {args.path} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
