"""Checked scenarios kept between runs, so that starting the game does not load
and check an unchanged scenario again (the built-in one takes longer to check
than the app takes to draw its first frame).

An entry is found by the main file's path and bytes and this program's version
and code; it is used only if every file of the scenario (includes too) still has
the bytes it had. Entries are written by this program into the user's own cache
folder; anything wrong with one (missing, damaged, from another version) means
the scenario is simply loaded again. Only scenarios without errors are kept."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .. import __version__
from .diagnostics import Diagnostics
from .model import Loaded, Scenario

_CODE = Path(__file__).resolve().parent


def _code_stamp() -> str:
    """This program's scenario code as it is on disk: a cache made by other code is not used."""
    parts = [__version__]
    for path in sorted(_CODE.glob("*.py")):
        with contextlib.suppress(OSError):
            st = path.stat()
            parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _digest(path: str) -> str:
    """The file's bytes, hashed; never opens what is not a regular file (a FIFO
    would block: the loader refuses those with a diagnostic)."""
    if not os.path.isfile(path):
        raise OSError(f"{path} is not a regular file")
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _entry(folder: Path, main: str) -> Path:
    key = hashlib.sha256(f"{_code_stamp()}\0{main}\0{_digest(main)}".encode()).hexdigest()
    return folder / f"scenario-{key[:40]}.pickle"


def load(path: str | os.PathLike[str]) -> Loaded:
    """The loader's `load`, imported only when there is no entry: reading one
    needs neither YAML nor the checks, and the app starts sooner without them."""
    from .loader import load as load_and_check

    return load_and_check(path)


def load_cached(path: str | os.PathLike[str], folder: Path) -> Loaded:
    """`load(path)`, from `folder` when an entry for these exact files is there."""
    main = os.path.abspath(os.fspath(path))
    try:
        entry = _entry(folder, main)
    except OSError:
        return load(path)  # the loader says what is wrong with the file
    try:
        digests, scenario = _read(entry)
        if all(_digest(name) == digest for name, digest in digests.items()):
            return Loaded(scenario, Diagnostics(), scenario)
    except Exception:  # missing, damaged or stale: load it again
        pass
    loaded = load(path)
    if loaded.scenario is not None:
        with contextlib.suppress(Exception):  # a cache that cannot be written only costs time
            _write(entry, loaded)
    return loaded


def _read(entry: Path) -> tuple[dict[str, str], Scenario]:
    """An entry's digests and scenario. The garbage collector is paused
    meanwhile, as the loader does: the model is many small objects and no
    cycles, and the collections their making set off (a full one among them,
    which walks every object of the app) found nothing and cost the first
    frame more than the reading itself."""
    paused = gc.isenabled()
    gc.disable()
    try:
        with open(entry, "rb") as handle:
            digests, scenario = pickle.load(handle)
    finally:
        if paused:
            gc.enable()
    return digests, scenario


def _write(entry: Path, loaded: Loaded) -> None:
    assert loaded.scenario is not None
    digests = {name: _digest(name) for name in loaded.scenario.files}
    entry.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".scenario-", dir=entry.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((digests, loaded.scenario), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
