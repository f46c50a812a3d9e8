"""Autosaves: one file per scenario in the user's data folder, written atomically.

A save holds the engine's state and where the scenario came from, so that
`journey play --continue` can find both again. A damaged save is reported and
left where it is; nothing is deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine.state import State

SAVE_VERSION = 1
# What write() will write and read() will read: the same bound, so no save is
# ever written that could not be read back (well over half a million choices).
MAX_SAVE_BYTES = 64_000_000
ORPHAN_AGE = 60.0  # seconds: a temporary file older than this is left from a killed save


class SaveError(Exception):
    """A save that cannot be read or written; the message is for the player."""


@dataclass(frozen=True)
class Save:
    path: Path
    scenario_ref: str  # "builtin:<name>" or an absolute file path
    state: State


def home() -> Path:
    """The folder for saves and settings; JOURNEY_HOME overrides it."""
    override = os.environ.get("JOURNEY_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("journey", appauthor=False))


def cache_dir() -> Path:
    """Checked scenarios kept between runs (scenario/cache.py): under JOURNEY_HOME
    when it is set, else the user's cache folder."""
    override = os.environ.get("JOURNEY_HOME")
    if override:
        return Path(override) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("journey", appauthor=False))


def saves_dir() -> Path:
    return home() / "saves"


# Every name in the saves folder is made here: `<scenario id>.json` for the
# journey in play, and `<scenario id>.changed[-N].json` for one kept aside.
SUFFIX = ".json"
KEPT = ".changed"


def save_path(scenario_id: str) -> Path:
    # the id is a checked slug, so it cannot name a path outside the folder
    return saves_dir() / f"{scenario_id}{SUFFIX}"


def is_journey_save(path: Path) -> bool:
    """A save of a journey in play (not one kept aside, nor a temporary file)."""
    stem = path.name.removesuffix(SUFFIX)
    return path.name.endswith(SUFFIX) and bool(stem) and "." not in stem


def keep_aside(path: Path) -> Path:
    """Rename a save that no longer fits its scenario to a free kept-aside name
    beside it, so a new journey can take its place; returns where it is now
    (the same path if it could not be renamed)."""
    stem = path.name.removesuffix(SUFFIX).split(".")[0]
    for n in range(1, 1000):
        old = path.with_name(f"{stem}{KEPT}{'' if n == 1 else f'-{n}'}{SUFFIX}")
        if not old.exists():
            break
    try:
        path.replace(old)
    except OSError:
        return path
    return old


def write(state: State, scenario_ref: str) -> Path:
    path = save_path(state.scenario)
    data = {"journey_save": SAVE_VERSION, "scenario": scenario_ref, "state": state.to_dict()}
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if len(text.encode("utf-8")) > MAX_SAVE_BYTES:
        raise SaveError(
            f"this journey is too long to save ({len(state.path):,} choices; a save "
            f"holds at most {MAX_SAVE_BYTES // 1_000_000} MB)"
        )
    atomic_write(path, text)
    return path


def clean_orphans(max_age: float = ORPHAN_AGE) -> int:
    """Remove the temporary files that saves killed mid-write (kill -9, a power
    cut) left in the saves folder; returns how many. A fresh one may belong to
    a save in progress in another window, so only old ones go."""
    now = time.time()
    removed = 0
    try:
        found = list(saves_dir().glob(f".*{SUFFIX}.*"))
    except OSError:
        return 0
    for path in found:
        with contextlib.suppress(OSError):
            if path.is_file() and now - path.stat().st_mtime > max_age:
                path.unlink()
                removed += 1
    return removed


LOCK = ".lock"


@contextlib.contextmanager
def lock(scenario_id: str) -> Iterator[None]:
    """Hold the save of `scenario_id` while its journey is open, so that a second
    player (another window, another terminal) is told instead of the last writer
    silently winning. Where locks cannot be taken (no fcntl, no saves folder yet),
    play goes on unlocked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path = home() / "locks" / f"{scenario_id}{LOCK}"  # beside the saves, never among them
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise SaveError(
                "This journey is already open in another window or terminal (perhaps by "
                "another player on this computer). Close it there first, then try again; "
                "or play another scenario."
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def atomic_write(path: Path, text: str) -> None:
    """Write through a temporary file, fsync it, then rename over the target."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
    except OSError as exc:
        raise SaveError(f"cannot write {path}: {_why(path, exc)}") from None


def _why(path: Path, exc: OSError) -> str:
    """The reason a save failed, in words (mkdir over a file says only "File exists")."""
    for folder in (path.parent, *path.parent.parents):
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file, not a folder"
    return str(exc.strerror or exc)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform; the rename is done
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read(path: Path) -> Save:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SAVE_BYTES + 1)
    except OSError as exc:
        raise SaveError(f"cannot read the save {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError(f"the save {path} is too large to be a journey")
    try:
        data: Any = json.loads(raw)
    except (ValueError, RecursionError):
        raise SaveError(f"the save {path} is damaged (not valid JSON); it was left as it is") from None
    if not isinstance(data, dict) or data.get("journey_save") != SAVE_VERSION:
        raise SaveError(f"{path} is not a journey save this version can read")
    ref = data.get("scenario")
    if not isinstance(ref, str) or not _is_path_text(ref):
        raise SaveError(f"the save {path} does not say which scenario it is for")
    from .engine.state import State, StateError  # the engine loads when a save is read, not at start

    try:
        state = State.from_dict(data.get("state"))
    except StateError as exc:
        raise SaveError(f"the save {path}: {exc}") from None
    return Save(path, ref, state)


def _is_path_text(ref: str) -> bool:
    """Whether a save's scenario reference can name a file at all: no lone
    surrogates (a hand-edited "\\ud800" cannot be encoded as a path), no NUL."""
    try:
        os.fsencode(ref)
    except UnicodeEncodeError:
        return False
    return "\0" not in ref


def latest() -> Path | None:
    """The most recently written save of a journey in play, if any (never one kept aside)."""
    folder = saves_dir()
    found: list[tuple[int, Path]] = []
    try:
        for path in folder.glob(f"*{SUFFIX}"):
            if is_journey_save(path) and path.is_file():
                found.append((path.stat().st_mtime_ns, path))
    except OSError:  # the folder, or a file in it, vanished while looking
        return None
    return max(found, default=(0, None))[1]


def for_scenario(scenario_id: str) -> Path | None:
    path = save_path(scenario_id)
    return path if path.is_file() else None
