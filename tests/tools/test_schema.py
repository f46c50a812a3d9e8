"""`journey schema`: the JSON Schema accepts every valid scenario in the repo,
rejects broken ones where the loader does too, and reads the same under the
draft editors use (7) and the draft it declares (2020-12)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from journey.scenario import load
from journey.scenario.schema import RECORDS, json_schema
from journey.tools.schema import schema

ROOT = Path(__file__).resolve().parents[2]
WINTER = ROOT / "tests" / "fixtures" / "winter-pass.yaml"
DRAFTS = [jsonschema.Draft202012Validator, jsonschema.Draft7Validator]


def validator(part: str = "scenario", draft: Any = jsonschema.Draft202012Validator) -> Any:
    return draft(schema(part))


def is_main(data: Any) -> bool:
    return isinstance(data, dict) and "format" in data


def repo_yaml_files() -> list[Path]:
    return [*sorted((ROOT / "scenarios").rglob("*.yaml")), WINTER]


def test_cli_prints_the_schema_generated_from_the_model(cli: Callable) -> None:
    result = cli("schema")
    assert result.code == 0
    assert json.loads(result.out) == json_schema()


def test_every_record_and_key_of_the_model_is_in_the_schema() -> None:
    defs = json_schema()["$defs"]
    for name, record in RECORDS.items():
        assert set(defs[name]["properties"]) == {f.key for f in record.fields}
        assert set(defs[name]["required"]) == {f.key for f in record.fields if f.required}


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d.__name__)
@pytest.mark.parametrize("part", ["scenario", "include-file"])
def test_schema_is_a_valid_json_schema(draft: Any, part: str) -> None:
    draft.check_schema(schema(part))


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d.__name__)
@pytest.mark.parametrize("path", repo_yaml_files(), ids=lambda p: p.name)
def test_accepts_every_valid_file_in_the_repo(path: Path, draft: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if is_main(data):
        loaded = load(path)
        if not loaded.ok:
            pytest.skip(f"{path.name} does not load now; test_builtin_scenario reports it")
        validator("scenario", draft).validate(data)
    else:
        validator("include-file", draft).validate(data)


def test_accepts_what_journey_new_writes(tmp_path: Path, cli: Callable) -> None:
    path = tmp_path / "starter.yaml"
    assert cli("new", "--title", "A: title", str(path)).code == 0
    validator().validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _winter() -> dict[str, Any]:
    return yaml.safe_load(WINTER.read_text(encoding="utf-8"))


def _break(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = _winter()
    change(data)
    return data


BROKEN: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "unknown top key": (lambda d: d.update(titel="x"), "E110"),
    "unknown scene key": (lambda d: d["scenes"]["bulletin"].update(goto="saddle"), "E110"),
    "unknown choice key": (lambda d: d["scenes"]["bulletin"]["choices"][0].update(got="x"), "E110"),
    "route is text": (lambda d: d.update(route="village"), "E112"),
    "year is text": (lambda d: d["sources"]["weather-service"].update(year="2023"), "E112"),
    "shown is a number": (lambda d: d["variables"]["risk"].update(shown=3), "E112"),
    "choices is a mapping": (lambda d: d["scenes"]["bulletin"].update(choices={"text": "x"}), "E112"),
    "no title": (lambda d: d.pop("title"), "E111"),
    "scene without stage": (lambda d: d["scenes"]["bulletin"].pop("stage"), "E111"),
    "fact without source": (lambda d: d["scenes"]["bulletin"]["facts"][0].pop("source"), "E111"),
    "roll outcome without weight": (
        lambda d: d["scenes"]["the-climb"]["choices"][0]["roll"][0].pop("weight"),
        "E111",
    ),
    "unknown ending kind": (lambda d: d["endings"]["safe"].update(kind="happy"), "E116"),
    "format 2": (lambda d: d.update(format=2), "E113"),
}


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d.__name__)
@pytest.mark.parametrize("case", list(BROKEN))
def test_rejects_broken_scenarios_as_the_loader_does(tmp_path: Path, case: str, draft: Any) -> None:
    change, code = BROKEN[case]
    data = _break(change)
    assert not validator("scenario", draft).is_valid(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    codes = {d.code for d in load(path).diagnostics.errors}
    assert code in codes


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d.__name__)
def test_accepts_text_that_yaml_reads_as_a_number_or_true(tmp_path: Path, draft: Any) -> None:
    """`title: 1984` loads (as the text "1984"), so an editor must not flag it."""
    data = _break(lambda d: d.update(title=1984, summary=True, audience=12.5))
    path = tmp_path / "numbers.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert not load(path).diagnostics.errors
    assert validator("scenario", draft).is_valid(data)


def test_include_file_part_rejects_what_an_included_file_cannot_hold(tmp_path: Path) -> None:
    included = {"scenes": {"x": {"stage": "village", "ending": "safe"}}, "format": 1}
    assert not validator("include-file").is_valid(included)
    del included["format"]
    assert validator("include-file").is_valid(included)
    assert not validator("scenario").is_valid(included)


def test_output_file_and_include_file_option(tmp_path: Path, cli: Callable) -> None:
    out = tmp_path / "s.json"
    result = cli("schema", "--include-file", "-o", str(out))
    assert result.code == 0 and result.out == ""
    assert json.loads(out.read_text(encoding="utf-8"))["$ref"] == "#/$defs/include-file"


@pytest.mark.parametrize("where", ["missing/s.json", "."])
def test_unwritable_output_is_explained(tmp_path: Path, cli: Callable, where: str) -> None:
    result = cli("schema", "-o", str(tmp_path / where))
    assert result.code == 2
    assert "journey schema:" in result.err and "Traceback" not in result.err


def test_never_writes_json_to_a_yaml_name(tmp_path: Path, cli: Callable) -> None:
    result = cli("schema", "-o", str(tmp_path / "scenario.yaml"))
    assert result.code == 2 and ".json" in result.err
    assert not (tmp_path / "scenario.yaml").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_failing_write_is_explained(cli: Callable) -> None:
    result = cli("schema", "-o", "/dev/full")
    assert result.code == 2 and "cannot write" in result.err


def test_tools_never_import_textual(tmp_path: Path) -> None:
    """The educator tools start fast: none of them loads Textual."""
    code = textwrap.dedent(f"""
        import contextlib, io, sys
        from journey.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            main(["new", {str(tmp_path / "n.yaml")!r}])
            main(["schema"])
            main(["graph", "--format", "mermaid", {str(WINTER)!r}])
            main(["guide", {str(WINTER)!r}])
            import journey.tools.docgen
        print(sorted(m for m in sys.modules if m.split(".")[0] == "textual"))
    """)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "[]"


def test_format_1_1_files_validate_and_its_keys_are_marked() -> None:
    """A format 1.1 scenario passes the schema; format 1.1 keys say so on hover."""
    from tests.test_format_1_1 import CAMP, GLOSSED

    for text in (CAMP, GLOSSED):
        jsonschema.Draft202012Validator(schema("scenario")).validate(yaml.safe_load(text))
    defs = json_schema()["$defs"]
    assert "(format 1.1)" in defs["scene"]["properties"]["enter"]["markdownDescription"]
    assert "(format 1.1)" not in defs["scene"]["properties"]["stage"]["markdownDescription"]


def test_every_property_has_a_title_and_formatted_help() -> None:
    for record in json_schema()["$defs"].values():
        for key, prop in record["properties"].items():
            assert prop["title"] == key
            assert prop["markdownDescription"].startswith(f"**`{key}`**")
