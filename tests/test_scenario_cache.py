"""Checked scenarios kept between runs (scenario/cache.py): used only for the
same files, and playing exactly like a scenario loaded afresh."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from journey.engine import Engine
from journey.scenario import cache, load

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every real load the cache falls back on."""
    calls: list[str] = []

    def counted(path: object) -> object:
        calls.append(str(path))
        return load(path)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "load", counted)
    return calls


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "winter-pass.yaml"
    path.write_text(WINTER.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_an_unchanged_scenario_is_checked_once_and_plays_the_same(
    scenario: Path, tmp_path: Path, loads: list[str]
) -> None:
    first = cache.load_cached(scenario, tmp_path / "cache")
    again = cache.load_cached(scenario, tmp_path / "cache")
    assert len(loads) == 1 and first.scenario is not None and again.scenario is not None
    assert again.scenario is not first.scenario  # it came from the cache
    fresh, cached = Engine(first.scenario), Engine(again.scenario)
    a, b = fresh.start("student", 7), cached.start("student", 7)
    for _ in range(6):  # the compiled conditions and effects behave the same
        assert fresh.view(a) == cached.view(b)
        if fresh.view(a).ending is not None:
            break
        index = next(c.index for c in fresh.view(a).choices if c.available)
        a, b = fresh.choose(a, index).state, cached.choose(b, index).state
    assert a == b


def test_a_changed_file_is_loaded_again(scenario: Path, tmp_path: Path, loads: list[str]) -> None:
    cache.load_cached(scenario, tmp_path / "cache")
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("Winter Pass", "Summer Pass"))
    changed = cache.load_cached(scenario, tmp_path / "cache")
    assert len(loads) == 2 and changed.scenario is not None
    assert changed.scenario.title.startswith("The Summer Pass")


def test_a_damaged_entry_or_a_scenario_with_errors_is_never_used(
    scenario: Path, tmp_path: Path, loads: list[str]
) -> None:
    folder = tmp_path / "cache"
    cache.load_cached(scenario, folder)
    for entry in folder.iterdir():
        entry.write_bytes(b"not a pickle")
    assert cache.load_cached(scenario, folder).scenario is not None and len(loads) == 2
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("goto: back-home", "goto: back-hom"))
    for _ in range(2):
        broken = cache.load_cached(scenario, folder)
        assert broken.scenario is None and broken.diagnostics.errors
    assert len(loads) == 4


def test_a_cached_scenario_shows_its_cover_before_its_rules_are_read(scenario: Path, tmp_path: Path) -> None:
    """The first screen needs the cover only: reading it imports none of the
    model's code, and the scenario read afterwards is the one that was kept."""
    folder = tmp_path / "cache"
    kept = cache.load_cached(scenario, folder).scenario
    assert kept is not None
    code = f"""
import sys
from pathlib import Path
from journey.scenario.cache import Cached, cached_or_loaded
found = cached_or_loaded({str(scenario)!r}, Path({str(folder)!r}))
assert isinstance(found, Cached), found
print(repr(tuple(found.cover)), "journey.scenario.model" in sys.modules)
print(found.scenario.title, len(found.scenario.scenes), "journey.scenario.model" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    cover_line, scenario_line = done.stdout.splitlines()
    assert cover_line == f"{tuple(kept.cover)!r} False"
    assert scenario_line == f"{kept.title} {len(kept.scenes)} True"


def test_an_entry_whose_scenario_part_is_damaged_is_loaded_again(
    scenario: Path, tmp_path: Path, loads: list[str]
) -> None:
    """The cover is whole but the scenario after it is not: the entry is not
    used (the scenario could not be read later, when play needs it)."""
    folder = tmp_path / "cache"
    cache.load_cached(scenario, folder)
    (entry,) = folder.iterdir()
    data = bytearray(entry.read_bytes())
    data[-20] ^= 0xFF
    entry.write_bytes(bytes(data))
    found = cache.cached_or_loaded(scenario, folder)
    assert not isinstance(found, cache.Cached) and found.scenario is not None and len(loads) == 2
    assert isinstance(cache.cached_or_loaded(scenario, folder), cache.Cached)  # and kept again, whole
