"""`journey new`: the starter scenario validates with no warnings, plays to both
endings, and the command never overwrites or crashes on a bad path."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from journey.engine import Engine
from journey.scenario import load
from journey.tools.new import starter
from journey.tools.schema import SCHEMA_FILE
from journey.tools.validate import check_file


def test_starter_validates_with_no_diagnostic_at_all(tmp_path: Path, cli: Callable) -> None:
    path = tmp_path / "my-route.yaml"
    result = cli("new", str(path))
    assert result.code == 0, result.err
    assert check_file(path) == []
    assert cli("validate", "--strict", str(path)).code == 0


def test_starter_has_what_the_issue_asks_for(tmp_path: Path, cli: Callable) -> None:
    path = tmp_path / "river.yaml"
    cli("new", str(path))
    scenario = load(path).scenario
    assert scenario is not None
    assert 2 <= len(scenario.route) <= 3
    assert len(scenario.endings) == 2
    assert scenario.personas
    facts = [f for s in scenario.scenes.values() for f in s.facts]
    assert facts and all(f.source in scenario.sources for f in facts)
    choices = [c for s in scenario.scenes.values() for c in s.choices]
    assert any(c.cond is not None for c in choices)
    assert any(c.roll for c in choices)
    assert scenario.glossary


def test_starter_plays_to_every_ending_as_each_persona(tmp_path: Path, cli: Callable) -> None:
    path = tmp_path / "river.yaml"
    cli("new", str(path))
    scenario = load(path).scenario
    assert scenario is not None
    engine, rng, reached = Engine(scenario), random.Random(1), set()
    for game in range(200):
        persona = list(scenario.personas)[game % len(scenario.personas)]
        state = engine.start(persona, seed=game)
        for _ in range(100):
            view = engine.view(state)
            if view.ending:
                reached.add(view.ending.id)
                break
            open_choices = [c.index for c in view.choices if c.available]
            assert open_choices, f"stuck in {state.scene}"
            state = engine.choose(state, rng.choice(open_choices)).state
        else:
            pytest.fail("a journey did not end within 100 choices")
    assert reached == set(scenario.endings)


def test_plays_in_plain_mode_as_written(tmp_path: Path, cli: Callable) -> None:
    path = tmp_path / "river.yaml"
    cli("new", str(path))
    result = cli(
        "play", "--plain", "--persona", "traveller", "--seed", "1", str(path), stdin="y\n1\n2\n1\n"
    )  # 1 is used once: 2 keeps its number
    assert result.code == 0, result.err
    assert "Safe on the far side" in result.out


def test_first_line_points_editors_at_the_schema_written_beside_it(tmp_path: Path, cli: Callable) -> None:
    path = tmp_path / "river.yaml"
    result = cli("new", str(path))
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_FILE}"
    schema = json.loads((tmp_path / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert schema["$ref"] == "#/$defs/scenario"
    assert SCHEMA_FILE in result.out


def test_existing_schema_is_kept(tmp_path: Path, cli: Callable) -> None:
    (tmp_path / SCHEMA_FILE).write_text("{}", encoding="utf-8")
    result = cli("new", str(tmp_path / "a.yaml"))
    assert result.code == 0
    assert (tmp_path / SCHEMA_FILE).read_text(encoding="utf-8") == "{}"
    assert "Kept" in result.out


def test_refuses_to_overwrite_without_force(tmp_path: Path, cli: Callable) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    result = cli("new", str(path))
    assert result.code == 2
    assert "already exists" in result.err and "--force" in result.err
    assert path.read_text(encoding="utf-8") == "my own work\n"
    assert cli("new", "--force", str(path)).code == 0
    assert load(path).ok


@pytest.mark.parametrize(
    "title", ['Say "hi": a # b', "Ünïcode – 北へ", "- [x] {y} &z *w*", "yes", "12", "'quoted'\\"]
)
def test_any_title_is_written_safely(tmp_path: Path, cli: Callable, title: str) -> None:
    path = tmp_path / "t.yaml"
    assert cli("new", "--title", title, str(path)).code == 0
    loaded = load(path)
    assert loaded.ok, [d.format() for d in loaded.diagnostics.items]
    assert loaded.scenario is not None and loaded.scenario.title == title


def test_title_and_id_come_from_the_file_name_by_default(tmp_path: Path, cli: Callable) -> None:
    path = tmp_path / "salt_road.yaml"
    cli("new", str(path))
    scenario = load(path).scenario
    assert scenario is not None
    assert (scenario.title, scenario.id) == ("Salt road", "salt-road")


def test_starter_is_the_same_for_any_name() -> None:
    text = starter("T", "t", "t.yaml", SCHEMA_FILE)
    assert "<<" not in text and ">>" not in text
    data = yaml.safe_load(text)
    assert data["id"] == "t" and data["format"] == 1.1


@pytest.mark.parametrize(
    "name, message",
    [
        ("notes.txt", "ends in .yaml"),
        ("missing-folder/x.yaml", "does not exist"),
    ],
)
def test_bad_paths_are_explained(tmp_path: Path, cli: Callable, name: str, message: str) -> None:
    result = cli("new", str(tmp_path / name))
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err + result.out


def test_a_folder_is_not_a_file(tmp_path: Path, cli: Callable) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    result = cli("new", str(folder))
    assert result.code == 2 and "is a folder" in result.err


@pytest.mark.skipif(
    os.name == "nt" or os.geteuid() == 0, reason="needs POSIX permissions that apply (not root)"
)
def test_read_only_folder(tmp_path: Path, cli: Callable) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = cli("new", str(folder / "x.yaml"))
    finally:
        folder.chmod(0o700)
    assert result.code == 2
    assert "cannot write" in result.err and "Traceback" not in result.err


def test_arguments_that_are_not_utf8_never_crash(tmp_path: Path, cli: Callable) -> None:
    """On POSIX, argv bytes that are not UTF-8 arrive as lone surrogates."""
    path = tmp_path / "caf\udcff.yaml"
    result = cli("new", "--title", "Caf\udcff", str(path))
    assert result.code == 0, result.err
    scenario = load(path).scenario
    assert scenario is not None and scenario.title == "Caf\ufffd"


def test_a_failed_write_leaves_no_half_file(
    tmp_path: Path, cli: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    import journey.tools.plumbing as common

    def fail(text: str) -> str:
        if len(text) > 1000:  # the starter, not a message
            raise OSError(28, "No space left on device")
        return text

    monkeypatch.setattr(common, "safe", fail)
    result = cli("new", str(tmp_path / "x.yaml"))
    assert result.code == 2 and "No space left on device" in result.err
    assert not (tmp_path / "x.yaml").exists()


def test_empty_title_is_refused(tmp_path: Path, cli: Callable) -> None:
    result = cli("new", "--title", "  ", str(tmp_path / "x.yaml"))
    assert result.code == 2 and "title is empty" in result.err
    assert not (tmp_path / "x.yaml").exists()
