"""The scenarios the start screen offers: built-ins, the file given, `--dir`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import resources, saves
from ..launch import Session
from ..scenario.cache import Cached, load_cached, read

if TYPE_CHECKING:
    from ..engine.estimate import PlayingTime
    from ..scenario import Scenario


@dataclass(frozen=True)
class Entry:
    path: Path
    source: Scenario | Cached | None  # None: it cannot be played
    problem: str = ""  # why it cannot be played

    @property
    def scenario(self) -> Scenario | None:
        return None if self.source is None else read(self.source)

    @property
    def playable(self) -> bool:
        return self.source is not None

    @property
    def title(self) -> str:
        return self.source.cover.title if self.source else self.path.name

    @property
    def length(self) -> str:
        if self.scenario is None:
            return ""
        stages, scenes = len(self.scenario.route), len(self.scenario.scenes)
        size = f"{stages} stage{'s' * (stages != 1)}, {scenes} scene{'s' * (scenes != 1)}"
        time = _playing_time(self.scenario)
        return size if time is None else f"{size}. {time.sentence()}"

    def session(self) -> Session:
        assert self.source is not None
        return Session(self.source, resources.reference(self.path))


_TIMES: dict[str, PlayingTime | None] = {}


def _playing_time(scenario: Scenario) -> PlayingTime | None:
    """Measured once per version of a scenario (a few dozen journeys, tens of ms)."""
    key = scenario.fingerprint or scenario.id
    if key not in _TIMES:
        from ..engine.estimate import playing_time  # only when the start screen shows it

        _TIMES[key] = playing_time(scenario)
    return _TIMES[key]


def load_entry(path: Path) -> Entry:
    try:
        loaded = load_cached(path, saves.cache_dir())
    except OSError as exc:  # the loader reports most problems; this is a last guard
        return Entry(path, None, f"cannot be read: {exc.strerror or exc}")
    if loaded.scenario is None:
        count = len(loaded.diagnostics.errors)
        return Entry(
            path, None, f"has {count} error{'s' * (count != 1)}; run `journey validate {path}` to see them"
        )
    return Entry(path, loaded.scenario)


def folder_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
    except OSError:
        return []


def entries(first: Session | None, folder: str | None) -> list[Entry]:
    """The session already open first, then built-ins, then the folder's files."""
    found: list[Entry] = []
    seen: set[Path] = set()
    if first is not None and first.cover.path:
        path = Path(first.cover.path)
        found.append(Entry(path, first.source))
        seen.add(path.resolve())
    paths = list(resources.builtin_scenarios().values())
    paths += folder_files(Path(folder)) if folder else []
    for path in paths:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            found.append(load_entry(path))
    return found


def saved_journey() -> str | None:
    """What the latest save is for (a title or a file), if there is one."""
    latest = saves.latest()
    if latest is None:
        return None
    try:
        save = saves.read(latest)
    except saves.SaveError:
        return latest.stem
    ref = save.scenario_ref
    return (
        ref[len(resources.BUILTIN_PREFIX) :] if ref.startswith(resources.BUILTIN_PREFIX) else Path(ref).name
    )
