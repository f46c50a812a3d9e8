"""Saves under stress (issue 13): a second player is told the journey is open,
orphan temporary files from killed saves are cleaned at start, a save never
grows past what can be read back, and kept-aside saves are never replaced."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from journey import saves
from journey.engine import Engine
from journey.scenario import load

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"


def test_a_second_player_is_told_the_journey_is_open(cli: Callable) -> None:
    scenario = load(WINTER).scenario
    assert scenario is not None
    with saves.lock(scenario.id):  # the first player's window
        result = cli("play", "--plain", str(WINTER), stdin="\n1\nq\n")
    assert result.code == 1
    assert "already open in another window" in result.err
    assert not saves.saves_dir().joinpath(f"{scenario.id}.json").exists()  # nothing overwritten
    assert cli("play", "--plain", str(WINTER), stdin="\n1\nq\n").code == 0  # free again


def test_a_lock_is_released_when_play_ends(cli: Callable) -> None:
    for _ in range(2):
        assert cli("play", "--plain", str(WINTER), stdin="\n1\nq\n").code == 0


def test_orphan_temporary_files_are_cleaned_at_start(cli: Callable) -> None:
    folder = saves.saves_dir()
    folder.mkdir(parents=True)
    old = [folder / f".winter-pass.json.{n}abc" for n in range(3)]
    for path in old:
        path.write_text("{half", encoding="utf-8")
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    fresh = folder / ".winter-pass.json.fresh1"  # another window may be writing it now
    fresh.write_text("{half", encoding="utf-8")
    keep = folder / "other.json"
    keep.write_text("{}", encoding="utf-8")
    os.utime(keep, (time.time() - 3600, time.time() - 3600))
    assert cli("play", "--plain", str(WINTER), stdin="\n1\nq\n").code == 0
    assert not any(p.exists() for p in old)
    assert fresh.exists() and keep.exists()


def test_a_save_is_never_larger_than_what_can_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load(WINTER).scenario
    assert scenario is not None
    engine = Engine(scenario)
    state = engine.start("student", 1)
    path = saves.write(state, str(WINTER))
    size = path.stat().st_size
    monkeypatch.setattr(saves, "MAX_SAVE_BYTES", size)
    assert saves.read(path).state == state  # exactly at the limit: written and read
    longer = engine.choose(state, engine.view(state).choices[0].index).state
    with pytest.raises(saves.SaveError, match="too long to save"):
        saves.write(longer, str(WINTER))
    assert saves.read(path).state == state  # the last good save is left as it was


def test_the_limit_holds_a_very_long_journey() -> None:
    """About 120,000 choices outgrew the old 5 MB limit: the limit now holds
    more than half a million, measured by what one more choice adds to a save."""
    scenario = load(WINTER).scenario
    assert scenario is not None
    engine = Engine(scenario)
    state = engine.start("student", 1)
    sizes = []
    for _ in range(2):
        state = engine.choose(state, engine.view(state).choices[0].index).state
        sizes.append(saves.write(state, str(WINTER)).stat().st_size)
    assert saves.MAX_SAVE_BYTES // (sizes[1] - sizes[0]) > 500_000


def test_kept_aside_saves_are_numbered_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "trip.json"
    kept = []
    for n in range(3):
        path.write_text(json.dumps({"n": n}), encoding="utf-8")
        kept.append(saves.keep_aside(path))
    assert [p.name for p in kept] == ["trip.changed.json", "trip.changed-2.json", "trip.changed-3.json"]
    assert [json.loads(p.read_text("utf-8"))["n"] for p in kept] == [0, 1, 2]
