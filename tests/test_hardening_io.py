"""Hostile input and output paths (issue 13): nothing a scenario, a save, a file
name or a typed answer holds reaches a terminal as a control sequence, blocks,
crashes, or makes an output overwrite what it came from.

The cases are kept as files under tests/regressions/ where they fit in a file."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from journey import saves
from journey.scenario.text import printable

REGRESSIONS = Path(__file__).parent / "regressions"
WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"
# what a terminal would act on: C0 but tab and newline, DEL, C1, bidi overrides
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
fifo_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


def test_printable_makes_every_control_visible() -> None:
    assert printable("a\x1b[2Jb\x9b\u202e\ud800\x7f\tc\nd") == "a\\x1b[2Jb\\u009b\\u202e\\ud800\\u007f\tc\nd"
    assert json.loads('"' + printable("\x9b\u202e\x7f") + '"') == "\x9b\u202e\x7f"  # still valid JSON
    assert printable("plain text, é and 한국") == "plain text, é and 한국"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_tags_percent_escapes_never_reach_the_terminal(cli: Callable, fmt: str) -> None:
    result = cli("validate", "--format", fmt, str(REGRESSIONS / "tag-escapes.yaml"))
    assert result.code == 1
    assert not CONTROL.search(result.out) and not CONTROL.search(result.err)
    text = json.loads(result.out)["diagnostics"][0]["message"] if fmt == "json" else result.out
    assert "\\x1b]52" in text  # shown, made visible


def test_play_shows_the_tag_error_made_visible(cli: Callable) -> None:
    result = cli("play", "--plain", str(REGRESSIONS / "tag-escapes.yaml"))
    assert result.code == 1 and "\\x1b]52" in result.err
    assert not CONTROL.search(result.err + result.out)


def test_file_names_from_a_folder_are_made_visible(cli: Callable, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "evil\x1b]52;c;eA==\x07.yaml").write_text("format: 1\nid: x\n", encoding="utf-8")
    for fmt in ("text", "json"):
        result = cli("validate", "--format", fmt, str(folder))
        assert result.code == 1
        assert "\\x1b]52" in result.out and not CONTROL.search(result.out + result.err)


def test_json_output_escapes_c1_and_bidi(cli: Callable, write: Callable[..., Path]) -> None:
    path = write('format: 1\nid: x\ntitle: "\\x9b2J \\u202e"\n')
    result = cli("validate", "--format", "json", str(path))
    assert not CONTROL.search(result.out)


# -- pipes and other files that are not regular files ------------------------------------
@fifo_only
def test_a_fifo_as_scenario_include_or_output_is_refused_at_once(
    cli: Callable, tmp_path: Path, write: Callable[..., Path]
) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = cli("validate", str(fifo))
    assert result.code == 1 and "not a regular file" in result.out
    main = write(WINTER.read_text("utf-8").replace("scenes:\n", "include: [pipe.yaml]\nscenes:\n", 1))
    result = cli("validate", str(main))
    assert result.code == 1 and "E151" in result.out and "not a regular file" in result.out
    assert cli("play", "--plain", str(fifo)).code == 1
    out = tmp_path / "out.md"
    os.mkfifo(out)
    result = cli("guide", str(WINTER), "-o", str(out))
    assert result.code == 2 and "not a regular file" in result.err


# -- outputs never overwrite what they were made from --------------------------------------
def _saved_journey(cli: Callable, scenario: Path) -> Path:
    assert cli("play", "--plain", str(scenario), stdin="\n1\n1\nq\n").code == 0
    (found,) = saves.saves_dir().glob("*.json")
    return found


def test_transcript_never_writes_over_its_save_or_scenario(cli: Callable, tmp_path: Path) -> None:
    scenario = tmp_path / "w.yaml"
    scenario.write_text(WINTER.read_text("utf-8"), encoding="utf-8")
    save = _saved_journey(cli, scenario)
    before = save.read_bytes(), scenario.read_bytes()
    for target, why in ((save, "is the save"), (scenario, "is the scenario itself")):
        result = cli("transcript", str(save), "-o", str(target))
        assert result.code == 2 and why in result.err
    copy = tmp_path / "copy.json"
    copy.write_bytes(save.read_bytes())
    result = cli("transcript", str(save), "-o", str(copy))
    assert result.code == 2 and "a saved journey" in result.err
    assert (save.read_bytes(), scenario.read_bytes()) == before


def test_outputs_never_write_through_a_hard_link(cli: Callable, tmp_path: Path) -> None:
    scenario = tmp_path / "w.yaml"
    scenario.write_text(WINTER.read_text("utf-8"), encoding="utf-8")
    link = tmp_path / "guide.md"
    os.link(scenario, link)
    before = scenario.read_bytes()
    result = cli("guide", str(scenario), "-o", str(link))
    assert result.code == 2 and "is the scenario itself" in result.err
    assert scenario.read_bytes() == before
    # a hard link to any other file is replaced, never written through
    other = tmp_path / "notes.txt"
    other.write_text("mine", encoding="utf-8")
    shared = tmp_path / "shared.md"
    os.link(other, shared)
    assert cli("guide", str(scenario), "-o", str(shared)).code == 0
    assert other.read_text("utf-8") == "mine" and shared.read_text("utf-8").startswith("# ")


def test_outputs_never_replace_another_scenario(cli: Callable, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(WINTER.read_text("utf-8"), encoding="utf-8")
    result = cli("graph", str(WINTER), "-o", str(other))
    assert result.code == 2 and "a scenario file" in result.err


def test_an_output_keeps_its_mode_and_leaves_no_temporary_file(cli: Callable, tmp_path: Path) -> None:
    out = tmp_path / "guide.md"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    assert cli("guide", str(WINTER), "-o", str(out)).code == 0
    assert oct(out.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir() if p.name != "journey-home"] == ["guide.md"]


# -- plain mode and the tools never crash on odd input ---------------------------------------
@pytest.mark.parametrize("answer", ["²", "٣", "9" * 5000, "1" * 7, "-1", " 1 x"])
def test_plain_mode_odd_numbers_are_asked_again(cli: Callable, answer: str) -> None:
    result = cli("play", "--plain", str(WINTER), stdin=f"\n{answer}\n{answer}\nq\n")
    assert result.code == 0, result.err
    assert "Please type a number" in result.out


def test_journey_new_with_an_empty_name(cli: Callable) -> None:
    for name in ("", ".", "/"):
        result = cli("new", name)
        assert result.code == 2 and "give the name of the file" in result.err


@pytest.mark.parametrize("ref", ["/tmp/\ud800x.yaml", "a\x00b.yaml"])
def test_transcript_of_a_save_naming_an_impossible_path(cli: Callable, tmp_path: Path, ref: str) -> None:
    save = _saved_journey(cli, WINTER)
    data = json.loads(save.read_text("utf-8"))
    data["scenario"] = ref
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = cli("transcript", str(bad))
    assert result.code == 1 and "does not say which scenario" in result.err
    assert cli("play", "--plain", "--continue", stdin="q\n").code == 0


# -- messages that must be true ------------------------------------------------------------
@pytest.mark.parametrize("stdin", ["\n1\nq\n", "\n1\n"])  # q, then the end of input
def test_plain_mode_never_says_saved_when_the_save_failed(
    cli: Callable, journey_home: Path, stdin: str
) -> None:
    journey_home.mkdir()
    (journey_home / "saves").write_text("a file where the folder should be", encoding="utf-8")
    result = cli("play", "--plain", str(WINTER), stdin=stdin)
    assert result.code == 1
    assert "is saved" not in result.out
    assert "NOT saved" in result.out and "is a file, not a folder" in result.out


def test_plain_mode_says_saved_when_it_is(cli: Callable) -> None:
    result = cli("play", "--plain", str(WINTER), stdin="\n1\nq\n")
    assert result.code == 0 and "Your journey is saved" in result.out


def test_json_output_of_a_path_with_controls_stays_valid_json(cli: Callable, tmp_path: Path) -> None:
    folder = tmp_path / "class\x9b\x7f\u202e\x1b]2;x\x07"
    folder.mkdir()
    path = folder / "w.yaml"
    path.write_text(WINTER.read_text("utf-8"), encoding="utf-8")
    for args in (["playtest", "--random", "3", "--format", "json"], ["validate", "--format", "json"]):
        result = cli(*args, str(path))
        assert not CONTROL.search(result.out + result.err)
        json.loads(result.out)
