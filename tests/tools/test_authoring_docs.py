"""docs/authoring.md and docs/tools.md: the generated reference never drifts
from the model, every example scenario in them loads cleanly, and what they
show of the tools' output is what the tools print."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from journey.scenario import CODES, load
from journey.scenario.schema import RECORDS
from journey.tools import docgen
from journey.tools.graph import render_text
from journey.tools.validate import check_file

ROOT = Path(__file__).resolve().parents[2]
AUTHORING = ROOT / "docs" / "authoring.md"
TOOLS = ROOT / "docs" / "tools.md"
WINTER = ROOT / "tests" / "fixtures" / "winter-pass.yaml"
FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```$", re.M | re.S)


def blocks(path: Path, lang: str) -> list[str]:
    """The fenced blocks of one language, dedented."""
    out = []
    for m in FENCE.finditer(path.read_text(encoding="utf-8")):
        if m.group(2) == lang:
            indent = len(m.group(1))
            out.append("".join(line[indent:] for line in m.group(3).splitlines(True)))
    return out


def complete_scenarios() -> list[str]:
    """The YAML blocks that are whole scenarios (they start with `format:`)."""
    found = []
    for block in blocks(AUTHORING, "yaml"):
        lines = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
        if lines and lines[0].startswith("format:"):
            found.append(block)
    return found


def test_generated_parts_are_up_to_date() -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    assert docgen.update(text) == text, (
        "docs/authoring.md has drifted: run `python -m journey.tools.docgen --write`"
    )


def test_every_diagnostic_code_is_explained_one_by_one() -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    for code in CODES.values():
        section = re.search(
            rf"^### {code.code} `{code.name}` \((\w+)\)\n\n(.+?)\n\n"
            r"\*\*How to fix it:\*\* (.+?)$",
            text,
            re.M | re.S,
        )
        assert section, code.code
        assert section.groups() == (code.severity.value, code.summary, code.fix)


def test_every_diagnostic_has_a_real_example() -> None:
    """Each example is made by checking a broken scenario, so it cannot lie."""
    assert set(docgen.EXAMPLES) == set(CODES)
    for code in CODES:
        _line, d = docgen.example(code)
        assert d.code == code and d.mark.path in ("scenario.yaml", "more.yaml")
        assert tempfile.gettempdir() not in d.format()


def test_examples_do_not_depend_on_the_working_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = docgen.diagnostics_markdown()
    monkeypatch.chdir(tempfile.gettempdir())  # the examples' files are then below it
    assert docgen.diagnostics_markdown() == expected


def test_every_key_of_every_record_is_in_the_reference() -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    for record in RECORDS.values():
        table = text[text.index(f'<a id="record-{record.name}"></a>') :]
        table = table[: table.index("\n\n", table.index("| key |"))]
        for f in record.fields:
            assert f"| `{f.key}` |" in table, (record.name, f.key)


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file: explicit ones, and GitHub's for headings."""
    text = path.read_text(encoding="utf-8")
    found = set(re.findall(r'<a id="([\w-]+)"></a>', text))
    for heading in re.findall(r"^#+ (.+)$", FENCE.sub("", text), re.M):
        found.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))
    return found


@pytest.mark.parametrize("doc", [AUTHORING, TOOLS], ids=lambda p: p.name)
def test_every_link_within_the_docs_resolves(doc: Path) -> None:
    text = FENCE.sub("", doc.read_text(encoding="utf-8"))
    links = re.findall(r"\]\(([\w.-]*\.md)?(?:#([\w-]+))?\)", text)
    assert links
    for name, anchor in links:
        target = doc.parent / name if name else doc
        assert target.exists(), name
        if anchor:
            assert anchor in anchors(target), f"{name}#{anchor}"


def test_guide_covers_every_topic_the_issue_names() -> None:
    headings = re.findall(r"^#+ (.+)$", AUTHORING.read_text(encoding="utf-8"), re.M)
    for topic in [
        "A first scenario",
        "Splitting a scenario into files: `include`",
        "Rolls: chance",
        "Personas",
        "Expressions",
        "Conditions",
        "Locked choices",
        "The glossary",
        "Facts and sources",
        "Text: Markdown and placeholders",
        "Check: `journey validate`",
        "See: `journey graph`",
        "Test: `journey playtest`",
        "Share: `journey guide`",
        "Set up your editor",
        "Every diagnostic, and how to fix it",
    ]:
        assert topic in headings, topic


@pytest.mark.parametrize("index", range(len(complete_scenarios())))
def test_example_scenarios_load_with_no_problem(tmp_path: Path, index: int) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(complete_scenarios()[index], encoding="utf-8")
    assert [d.format() for d in check_file(path)] == []


def test_there_are_example_scenarios() -> None:
    assert len(complete_scenarios()) >= 2  # the first scenario, and the starter


def test_every_yaml_and_json_snippet_parses() -> None:
    for path in (AUTHORING, TOOLS):
        for block in blocks(path, "yaml"):
            yaml.safe_load(block)
        for block in blocks(path, "json"):
            json.loads(block)


def test_starter_in_the_appendix_is_what_journey_new_writes(tmp_path: Path, cli: Callable) -> None:
    path = tmp_path / "my-route.yaml"
    assert cli("new", "--title", "My route", str(path)).code == 0
    assert path.read_text(encoding="utf-8") in complete_scenarios()


@pytest.mark.parametrize("doc", [AUTHORING, TOOLS], ids=lambda p: p.name)
def test_graph_samples_are_real_output(doc: Path) -> None:
    scenario = load(WINTER).scenario
    assert scenario is not None
    real = render_text(scenario).splitlines()
    samples = [b for b in blocks(doc, "text") if "->" in b]
    assert samples
    for sample in samples:
        lines = sample.splitlines()
        start = real.index(lines[0])
        assert real[start : start + len(lines)] == lines


def test_tools_doc_has_a_section_for_every_tool() -> None:
    text = TOOLS.read_text(encoding="utf-8")
    for tool in ("new", "schema", "validate", "graph", "playtest", "guide", "transcript"):
        assert f"\n## `journey {tool}`\n" in text, tool


def test_docgen_check_and_write(tmp_path: Path) -> None:
    copy = tmp_path / "authoring.md"
    copy.write_text(
        AUTHORING.read_text(encoding="utf-8").replace("| `format` | 1 or 1.1 |", "| `format` | a number |"),
        encoding="utf-8",
    )
    assert docgen.main(["--check", str(copy)]) == 1
    assert docgen.main(["--write", str(copy)]) == 0
    assert docgen.main(["--check", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == AUTHORING.read_text(encoding="utf-8")


def test_docgen_reports_bad_markers(tmp_path: Path) -> None:
    unknown = tmp_path / "a.md"
    unknown.write_text("<!-- generated: nope -->\n<!-- end generated -->\n", encoding="utf-8")
    assert docgen.main(["--check", str(unknown)]) == 2
    assert docgen.main(["--check", str(tmp_path / "missing.md")]) == 2
    with pytest.raises(docgen.DocError, match="no marked place"):
        docgen.update("no markers here")
