"""`journey validate`: exit codes, --strict, --format json, folders, built-ins."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from journey import resources
from journey.scenario import CODES
from journey.tools.validate import check_file

OK = """\
    format: 1
    id: trip
    title: The Trip
    route: [{id: road, title: Road}]
    endings: {home: {title: Home, kind: safe}}
    start: square
    scenes:
      square: {stage: road, choices: [{text: Go, goto: refuge}]}
      refuge: {stage: road, ending: home}
"""
WARNS = OK + "      lonely: {stage: road, ending: home}\n"  # W210 on line 10
BROKEN = OK.replace("goto: refuge", "goto: refuje")  # E120 on line 8

JSON_KEYS = {"path", "line", "col", "severity", "code", "name", "message", "hint"}


def test_clean_file_exits_0(cli: Callable, write: Callable) -> None:
    r = cli("validate", str(write(OK)))
    assert r.code == 0
    assert r.out == "1 file checked: 0 errors, 0 warnings (ok)\n"
    assert r.err == ""


def test_errors_exit_1_with_position_and_hint(
    cli: Callable, write: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(BROKEN)
    r = cli("validate", "scenario.yaml")
    assert r.code == 1
    assert r.out.splitlines() == [
        "scenario.yaml:8:52: error[E120]: `goto: refuje` names no scene",
        "    hint: did you mean `refuge`?",
        "1 file checked: 1 error, 0 warnings (not playable until the errors are fixed)",
    ]  # reachability is only checked once there are no errors


def test_warnings_pass_unless_strict(
    cli: Callable, write: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(WARNS)
    r = cli("validate", "scenario.yaml")
    assert r.code == 0
    assert "scenario.yaml:10:3: warning[W210]: no path from the start reaches the scene `lonely`" in r.out
    assert r.out.endswith("1 file checked: 0 errors, 1 warning (ok)\n")
    strict = cli("validate", "--strict", "scenario.yaml")
    assert strict.code == 1
    assert "scenario.yaml:10:3: error[W210]:" in strict.out
    assert "(an error under --strict)" in strict.out
    assert strict.out.endswith(
        "1 file checked: 1 error, 0 warnings (not playable until the errors are fixed)\n"
    )


def test_strict_does_not_fail_on_a_bounded_search(cli: Callable, write: Callable) -> None:
    r = cli("validate", "--strict", "--max-states", "1", str(write(OK)))
    assert r.code == 0
    assert "note[N300]" in r.out


@pytest.mark.parametrize(
    "args, words",
    [
        (["validate"], "the following arguments are required: PATH"),
        (["validate", "no-such-file.yaml"], "no such file or folder: no-such-file.yaml"),
        (["validate", "--format", "xml", "x.yaml"], "invalid choice: 'xml'"),
        (["validate", "--max-states", "0", "{ok}"], "--max-states must be at least 1"),
        (["validate", "--max-states", "many", "{ok}"], "invalid int value: 'many'"),
        (["validate", "--bogus", "{ok}"], "unrecognized arguments: --bogus"),
        (["validate", "{empty}"], "no scenario files found"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["play", "--seed", "x"], "invalid int value: 'x'"),
        (["play", "no-such-file.yaml"], "No such scenario file: no-such-file.yaml"),
        (["play", "--plain", "{empty}"], "is a folder; give a scenario file in it"),
        (["play", "--plain", "builtin:north-kore"], "did you mean `north-korea`?"),
    ],
)
def test_misuse_exits_2(cli: Callable, write: Callable, tmp_path: Path, args: list[str], words: str) -> None:
    ok = write(OK)
    (tmp_path / "empty").mkdir()
    args = [a.format(ok=ok, empty=tmp_path / "empty") for a in args]
    r = cli(*args)
    assert r.code == 2
    assert words in r.err
    assert "Traceback" not in r.err + r.out


def test_json_output_shape(
    cli: Callable, write: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(BROKEN, "broken.yaml")
    write(WARNS, "warns.yaml")
    r = cli("validate", "--format", "json", "broken.yaml", "warns.yaml")
    assert r.code == 1
    report = json.loads(r.out)
    assert set(report) == {"files", "errors", "warnings", "diagnostics"}
    assert report["files"] == ["broken.yaml", "warns.yaml"]
    assert (report["errors"], report["warnings"]) == (1, 1)
    for d in report["diagnostics"]:
        assert set(d) == JSON_KEYS
        assert isinstance(d["line"], int) and isinstance(d["col"], int)
        assert d["name"] == CODES[d["code"]].name
        assert d["severity"] == CODES[d["code"]].severity.value
    assert report["diagnostics"][0] == {
        "path": "broken.yaml",
        "line": 8,
        "col": 52,
        "severity": "error",
        "code": "E120",
        "name": "unknown-scene",
        "message": "`goto: refuje` names no scene",
        "hint": "did you mean `refuge`?",
    }
    assert [(d["path"], d["code"]) for d in report["diagnostics"]] == [
        ("broken.yaml", "E120"),
        ("warns.yaml", "W210"),
    ]


def test_json_strict_counts_warnings_as_errors(cli: Callable, write: Callable) -> None:
    r = cli("validate", "--format", "json", "--strict", str(write(WARNS)))
    assert r.code == 1
    report = json.loads(r.out)
    assert (report["errors"], report["warnings"]) == (1, 0)
    assert report["diagnostics"][0]["severity"] == "error"


def test_folder_checks_main_files_not_includes(cli: Callable, write: Callable, tmp_path: Path) -> None:
    write(OK.replace("scenes:\n", "include: [parts/more.yaml]\n    scenes:\n"), "a/main.yaml")
    write("scenes:\n  extra: {stage: road, ending: home}\n", "a/parts/more.yaml")
    write(BROKEN, "a/deeper/other.yml")
    write("not: a scenario\n", "a/notes.yaml")
    write("format: 1\n", "a/readme.txt")
    r = cli("validate", "--format", "json", str(tmp_path / "a"))
    report = json.loads(r.out)
    assert [Path(f).name for f in report["files"]] == ["other.yml", "main.yaml"]
    assert r.code == 1
    codes = {(Path(d["path"]).name, d["code"]) for d in report["diagnostics"]}
    # the included scene is checked through main.yaml: unreachable, not unknown
    assert codes == {("other.yml", "E120"), ("more.yaml", "W210")}


def test_version_and_help(cli: Callable) -> None:
    from journey import __version__

    assert cli("--version").out == f"journey {__version__}\n"
    for args in (["--help"], ["validate", "--help"], ["play", "--help"]):
        r = cli(*args)
        assert r.code == 0 and "usage: journey" in r.out


def test_builtin_scenarios_validate_without_errors(cli: Callable) -> None:
    found = resources.builtin_scenarios()
    assert resources.DEFAULT in found
    for name, path in found.items():
        if name != resources.DEFAULT:  # checked by name, through the command, below
            items = check_file(path, max_states=2000)
            assert [d.format() for d in items if d.severity.value == "error"] == [], name
    r = cli("validate", "--max-states", "2000", f"builtin:{resources.DEFAULT}")
    assert r.code == 0 and "checked: 0 errors" in r.out, r.out
    assert cli("validate", "builtin:no-such-scenario").code == 2


def test_winter_pass_validates(cli: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The contract's example: no error; its one warning is real (warmth is at most 1
    when `lost` is shown, so `Keep walking downhill` needs warmth >= 3 in vain)."""
    winter = Path(__file__).parent / "fixtures" / "winter-pass.yaml"
    r = cli("validate", "--format", "json", str(winter))
    report = json.loads(r.out)
    assert r.code == 0 and report["errors"] == 0
    assert [(d["code"], d["line"]) for d in report["diagnostics"]] == [("W213", 147)]


def test_play_accepts_a_built_in_scenario_by_name(cli: Callable) -> None:
    r = cli("play", "--plain", "--persona", "eunha", "--seed", "1", "builtin:north-korea", stdin="\nq\n")
    assert r.code == 0, r.err
    assert "The Long Way Round" in r.out
