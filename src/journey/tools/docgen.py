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
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ..scenario.diagnostics import CODES, Code, Severity
from ..scenario.schema import ENDING_KINDS, RECORDS, RESERVED, Field, Record
from .new import starter
from .schema import SCHEMA_FILE

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
            head = name[:len(name) - len(record)]
            return f"{head}[{record}](#{anchor(record)})"
    part = "{if, text}"  # the parts of a scene's text
    return name.replace(part, f"[{part}](#{anchor('text-part')})", 1)


def record_markdown(record: Record) -> str:
    rows = [f"| `{f.key}` | {_cell(type_doc(f))} | {'yes' if f.required else 'no'} | "
            f"{_cell(f.doc)} |" for f in record.fields]
    parts = [f'<a id="{anchor(record.name)}"></a>',
             f"### `{record.name}`", "", record.doc, "",
             "| key | type | required | meaning |", "|---|---|---|---|", *rows]
    if record.extra:
        parts += ["", record.extra]
    return "\n".join(parts)


def records_markdown() -> str:
    notes = [
        "Ending kinds: " + ", ".join(f"`{k}`" for k in ENDING_KINDS) + ".",
        "Words that cannot be variable names: " + ", ".join(
            f"`{w}`" for w in sorted(RESERVED)) + ".",
    ]
    return "\n\n".join([*(record_markdown(r) for r in RECORDS.values()), *notes])


def _codes() -> list[Code]:
    return sorted(CODES.values(), key=lambda c: (_SEVERITY_ORDER[c.severity], c.code))


def diagnostics_markdown() -> str:
    index = ["| code | name | kind | in short |", "|---|---|---|---|"]
    index += [f"| [{c.code}](#{c.code.lower()}) | `{c.name}` | {c.severity.value} | "
              f"{_cell(c.summary)} |" for c in _codes()]
    entries = [f'<a id="{c.code.lower()}"></a>\n### {c.code} `{c.name}` ({c.severity.value})'
               f"\n\n{c.summary}\n\n**How to fix it:** {c.fix}" for c in _codes()]
    return "\n\n".join(["\n".join(index), *entries])


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
        raise DocError("no marked place for: " + ", ".join(sorted(missing)) +
                       " (add `<!-- generated: NAME -->` and `<!-- end generated -->`)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m journey.tools.docgen",
                                     description="Regenerate the reference parts of "
                                     "docs/authoring.md.")
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
            print(f"docgen: {args.path} is out of date; run `python -m journey.tools.docgen "
                  "--write`", file=sys.stderr)
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
