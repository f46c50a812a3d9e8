"""Saves: written atomically in JOURNEY_HOME, damaged ones explained and kept,
changed scenarios detected and explained, and `--continue` resumes."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journey import saves
from journey.engine import State

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"
CLIMB = "\n1\n3\n"  # begin, Ana, start the climb: then input ends at the pass


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    """A copy of the example that a test may change."""
    path = tmp_path / "scenarios" / "winter-pass.yaml"
    path.parent.mkdir()
    shutil.copy(WINTER, path)
    return path


def save_file(home: Path) -> Path:
    return home / "saves" / "winter-pass.json"


def state_of(home: Path) -> State:
    return saves.read(save_file(home)).state


def a_state(scene: str = "village-square") -> State:
    return State("winter-pass", "f" * 16, scene, {"warmth": 6}, {scene: 1})


def test_saves_go_to_journey_home(cli: Callable, journey_home: Path, scenario: Path) -> None:
    r = cli("play", "--plain", "--seed", "5", str(scenario), stdin=CLIMB)
    assert r.code == 0
    assert r.out.endswith("Input ended. Your journey is saved; resume it with: journey play --continue\n")
    assert saves.home() == journey_home
    assert [p.name for p in (journey_home / "saves").iterdir()] == ["winter-pass.json"]
    save = saves.read(save_file(journey_home))
    assert save.scenario_ref == str(scenario.resolve())
    assert save.state.scene == "the-climb" and save.state.seed == 5
    assert save.state.persona == "student"


def test_without_journey_home_the_user_data_folder_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOURNEY_HOME")
    from platformdirs import user_data_dir

    assert saves.home() == Path(user_data_dir("journey", appauthor=False))
    assert saves.saves_dir() == saves.home() / "saves"


def test_write_is_atomic(journey_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = saves.write(a_state(), "ref")
    before = old.read_bytes()
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    saves.write(a_state("bulletin"), "ref")
    assert calls[:2] == ["fsync", "replace"]  # flushed to disk before it replaces the old
    assert saves.read(old).state.scene == "bulletin"

    def crash(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(saves.SaveError, match="No space left on device"):
        saves.write(a_state("the-climb"), "ref")
    assert saves.read(old).state.scene == "bulletin"
    assert [p.name for p in old.parent.iterdir()] == ["winter-pass.json"]  # no temp left

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        saves.write(a_state("lost"), "ref")
    assert saves.read(old).state.scene == "bulletin"
    assert [p.name for p in old.parent.iterdir()] == ["winter-pass.json"]
    assert before != old.read_bytes()


def test_an_unwritable_home_is_a_message_not_a_crash(
    cli: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("JOURNEY_HOME", str(blocker))
    r = cli("play", "--plain", "--seed", "1", str(WINTER), stdin="\n1\n3\n2\n")
    assert r.code == 0
    assert "Could not save your journey: cannot write" in r.out
    assert "Back in the village" in r.out  # play goes on


@pytest.mark.parametrize(
    "content, words",
    [
        (b"{not json", "is damaged (not valid JSON); it was left as it is"),
        (b"", "is damaged (not valid JSON)"),
        (b'{"hello": 1}', "is not a journey save this version can read"),
        (b'{"journey_save": 1, "scenario": 3}', "does not say which scenario"),
        (b'{"journey_save": 1, "scenario": "x", "state": {"version": 1}}', "is damaged"),
        (b'{"journey_save": 1, "scenario": "x", "state": []}', "does not hold a journey"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
    ],
)
def test_a_damaged_save_is_explained_and_kept(
    cli: Callable, journey_home: Path, content: bytes, words: str
) -> None:
    path = save_file(journey_home)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    r = cli("play", "--plain", "--continue", stdin="")
    assert r.code == 1
    assert words in r.err
    assert str(path) in r.err
    assert "Start a new journey with: journey play" in r.err
    assert "Traceback" not in r.err
    assert path.read_bytes() == content  # nothing lost
    assert [p.name for p in path.parent.iterdir()] == ["winter-pass.json"]


def test_a_save_that_no_longer_fits_is_explained_and_kept(
    cli: Callable, journey_home: Path, scenario: Path
) -> None:
    cli("play", "--plain", "--seed", "1", str(scenario), stdin=CLIMB)
    path = save_file(journey_home)
    data = json.loads(path.read_text())
    data["state"]["scene"] = "nowhere"  # the fingerprint still matches
    path.write_text(json.dumps(data))
    content = path.read_bytes()
    r = cli("play", "--plain", "--continue", stdin="")
    assert r.code == 1
    assert "does not fit its scenario" in r.err and "'nowhere'" in r.err
    assert path.read_bytes() == content


def test_continue_resumes_where_input_ended(cli: Callable, journey_home: Path, scenario: Path) -> None:
    cli("play", "--plain", "--seed", "1", str(scenario), stdin=CLIMB)
    saved = state_of(journey_home)
    r = cli("play", "--plain", "--continue", stdin="2\n")  # turn back
    assert r.code == 0
    assert r.out.startswith("Continuing your journey in The Winter Pass.\n")
    assert "Press Enter" not in r.out and "Who will you be?" not in r.out
    assert "The end: Back in the village (an open ending)" in r.out
    done = state_of(journey_home)
    assert done.path[:-1] == saved.path and done.scene == "back-home"
    assert done.seed == saved.seed and done.persona == "student"


def test_continue_with_a_scenario_picks_its_save(cli: Callable, journey_home: Path, scenario: Path) -> None:
    cli("play", "--plain", "--seed", "1", str(scenario), stdin=CLIMB)
    r = cli("play", "--plain", "--continue", str(scenario), stdin="")
    assert r.out.startswith("Continuing your journey in The Winter Pass.\n")
    assert "The pass (Saddle, 2,400 m)" in r.out


def test_continue_without_a_save(cli: Callable) -> None:
    r = cli("play", "--plain", "--continue", stdin="")
    assert r.code == 1
    assert r.err == "There is no saved journey to continue. Start one with: journey play\n"


def test_continue_when_the_scenario_file_is_gone(cli: Callable, scenario: Path) -> None:
    cli("play", "--plain", "--seed", "1", str(scenario), stdin=CLIMB)
    scenario.unlink()
    r = cli("play", "--plain", "--continue", stdin="")
    assert r.code == 1
    assert "cannot be found any more" in r.err and str(scenario.resolve()) in r.err


def test_changed_scenario_replays_the_choices(cli: Callable, journey_home: Path, scenario: Path) -> None:
    cli("play", "--plain", "--seed", "1", str(scenario), stdin=CLIMB)
    before = state_of(journey_home)
    scenario.write_text(
        scenario.read_text().replace("The path climbs through pines", "The path winds through pines")
    )
    r = cli("play", "--plain", "--continue", stdin="")
    assert r.out.startswith(
        "The scenario has changed since this journey was saved; your "
        "choices were replayed on the new version.\n"
        "Continuing your journey in The Winter Pass.\n"
    )
    assert "The path winds through pines" in r.out
    after = state_of(journey_home)
    assert after.fingerprint != before.fingerprint
    assert (after.scene, after.path, after.vars) == (before.scene, before.path, before.vars)


def test_changed_scenario_without_the_place_keeps_the_old_save(
    cli: Callable, journey_home: Path, scenario: Path
) -> None:
    cli("play", "--plain", "--seed", "1", str(scenario), stdin=CLIMB)
    old = save_file(journey_home).read_bytes()
    text = scenario.read_text().replace("the-climb", "the-ascent")
    scenario.write_text(text)
    r = cli("play", "--plain", "--continue", stdin="")
    kept = journey_home / "saves" / "winter-pass.changed.json"
    assert (
        "The scenario has changed since this journey was saved, and your place in it "
        f"no longer exists, so a new journey begins. The old save is kept as {kept}."
    ) in r.out
    assert kept.read_bytes() == old
    assert "Press Enter or y to begin" in r.out  # a new journey


def test_latest_is_the_most_recent_save(journey_home: Path) -> None:
    first = saves.write(State("one", "", "a", {}, {}), "ref-one")
    second = saves.write(State("two", "", "a", {}, {}), "ref-two")
    os.utime(first, ns=(1, 1))
    assert saves.latest() == second
    os.utime(second, ns=(0, 0))
    assert saves.latest() == first
    assert saves.for_scenario("two") == second and saves.for_scenario("three") is None


def test_latest_never_returns_a_save_kept_aside(journey_home: Path) -> None:
    path = saves.write(State("one", "", "a", {}, {}), "ref-one")
    kept = saves.keep_aside(path)
    assert kept.name == "one.changed.json" and not path.exists()
    assert saves.latest() is None  # the kept file is not a journey in play
    (journey_home / "saves" / ".one.json.tmp123").write_text("{}")  # a temporary file of a write
    assert saves.latest() is None


def test_keeping_aside_twice_never_stacks_names(journey_home: Path) -> None:
    names = []
    for _ in range(3):
        path = saves.write(State("one", "", "a", {}, {}), "ref-one")
        names.append(saves.keep_aside(path).name)
    assert names == ["one.changed.json", "one.changed-2.json", "one.changed-3.json"]
    assert saves.keep_aside(journey_home / "saves" / "one.changed.json").name == "one.changed-4.json"
