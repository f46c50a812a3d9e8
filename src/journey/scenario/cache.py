"""Checked scenarios kept between runs, so that starting the game does not load
and check an unchanged scenario again (the built-in one takes longer to check
than the app takes to draw its first frame).

An entry is found by the main file's path and bytes and this program's version
and code; it is used only if every file of the scenario (includes too) still has
the bytes it had. Entries are written by this program into the user's own cache
folder; anything wrong with one (missing, damaged, from another version) means
the scenario is simply loaded again. Only scenarios without errors are kept.

An entry holds two pickles: first the files' digests and the scenario's cover
(plain strings: what the first screen shows), then the scenario. A front end
can draw its first frame from the cover and read the rest, which needs the
model's code, afterwards (`Cached`)."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from .cover import Cover

if TYPE_CHECKING:
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


class Cached:
    """A checked scenario read from the cache: its cover at once, the scenario
    itself when first asked for."""

    def __init__(self, cover: Cover, rest: bytes) -> None:
        self.cover = cover
        self._rest = rest
        self._scenario: Scenario | None = None

    @property
    def scenario(self) -> Scenario:
        if self._scenario is None:
            self._scenario = _unpickled(self._rest)
            self._rest = b""
        return self._scenario


def read(source: Scenario | Cached) -> Scenario:
    """The scenario itself, read now if it came from the cache unread."""
    return source.scenario if isinstance(source, Cached) else source


def load_cached(path: str | os.PathLike[str], folder: Path) -> Loaded:
    """`load(path)`, from `folder` when an entry for these exact files is there."""
    found = cached_or_loaded(path, folder)
    if isinstance(found, Cached):
        from .diagnostics import Diagnostics
        from .model import Loaded

        return Loaded(found.scenario, Diagnostics(), found.scenario)
    return found


def cached_or_loaded(path: str | os.PathLike[str], folder: Path) -> Cached | Loaded:
    """The entry in `folder` for these exact files, or else the scenario loaded
    and checked (and kept in `folder` when it has no errors)."""
    main = os.path.abspath(os.fspath(path))
    try:
        entry = _entry(folder, main)
    except OSError:
        return load(path)  # the loader says what is wrong with the file
    try:
        return _read(entry)
    except Exception:  # missing, damaged or stale: load it again
        pass
    loaded = load(path)
    if loaded.scenario is not None:
        with contextlib.suppress(Exception):  # a cache that cannot be written only costs time
            _write(entry, loaded)
    return loaded


def _read(entry: Path) -> Cached:
    """An entry whose files are all unchanged and whose scenario pickle is
    whole (its digest is checked, so reading it later cannot fail)."""
    with open(entry, "rb") as handle:
        data = handle.read()
    digests, cover, rest_digest, start = _first_record(data)  # a damaged one raises
    rest = data[start:]
    if hashlib.sha256(rest).hexdigest() != rest_digest:
        raise ValueError("damaged entry")
    if not all(_digest(name) == digest for name, digest in digests.items()):
        raise ValueError("stale entry")
    return Cached(cover, rest)


def _first_record(data: bytes) -> tuple[dict[str, str], Cover, str, int]:
    """The first pickle's digests, cover and digest of the rest, and where the rest begins."""
    stream = io.BytesIO(data)
    digests, fields, rest_digest = pickle.load(stream)
    return digests, Cover(*fields), rest_digest, stream.tell()


def _unpickled(rest: bytes) -> Scenario:
    """The scenario. The garbage collector is paused meanwhile, as the loader
    does: the model is many small objects and no cycles, and the collections
    their making set off (a full one among them, which walks every object of
    the app) found nothing and cost more than the reading itself."""
    paused = gc.isenabled()
    gc.disable()
    try:
        scenario: Scenario = pickle.loads(rest)
    finally:
        if paused:
            gc.enable()
    return scenario


def _write(entry: Path, loaded: Loaded) -> None:
    assert loaded.scenario is not None
    digests = {name: _digest(name) for name in loaded.scenario.files}
    rest = pickle.dumps(loaded.scenario, protocol=pickle.HIGHEST_PROTOCOL)
    first = (digests, tuple(loaded.scenario.cover), hashlib.sha256(rest).hexdigest())
    entry.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".scenario-", dir=entry.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pickle.dumps(first, protocol=pickle.HIGHEST_PROTOCOL))
            handle.write(rest)
        os.replace(tmp, entry)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
