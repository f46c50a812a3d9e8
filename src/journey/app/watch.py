"""`--watch`: reload the scenario when one of its files changes (for authors).

The journey so far is replayed on the new version. When it no longer replays
(a choice on the way was removed, say) but the current scene still exists, the
player stays in that scene with the variables kept as far as they still fit;
when the scene itself is gone, a new journey begins. A file with errors never
stops the app: the errors are shown, the old version stays in play, and the
next save that fixes them reloads. A file that has errors from the very start
is watched the same way: the app opens, shows them, and loads the file as soon
as a save fixes it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .. import resources
from ..engine import Engine, EngineError, Fit, State, adapt
from ..launch import Session
from ..scenario import Loaded, load

if TYPE_CHECKING:
    from .app import JourneyApp

INTERVAL = 1.0  # seconds: quick enough for an author saving a file
SHOWN_ERRORS = 5
ERROR_TIMEOUT = 24 * 3600.0  # an error stays on screen until the file is fixed


def stamps(files: tuple[str, ...]) -> tuple[tuple[int, int, int], ...]:
    """What says a file changed: its time, size and inode (an editor that saves
    by renaming a new file over the old one changes the inode)."""
    out = []
    for name in files:
        try:
            st = os.stat(name)
            out.append((st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            out.append((-1, -1, -1))
    return tuple(out)


class Watcher:
    def __init__(self, app: JourneyApp, pending: Path | None = None) -> None:
        self.app = app
        self.pending = pending  # a scenario that could not be loaded yet
        self.pending_files: tuple[str, ...] = (str(pending),) if pending else ()
        self.seen: tuple[tuple[int, int, int], ...] = ()
        self.files: tuple[str, ...] = ()
        self.broken = False  # the last change had errors; their message is up
        self.reloads = 0  # versions loaded since the start (tests wait on these)
        self.failures = 0  # changes that could not be loaded

    def start(self) -> None:
        self.files = self._files()
        self.seen = stamps(self.files)
        self.app.set_interval(INTERVAL, self.check)
        if self.pending is not None and self.app.session is None:
            self.load_pending()

    def _files(self) -> tuple[str, ...]:
        session = self.app.session
        if session is not None:
            return session.scenario.files
        return self.pending_files if self.pending is not None else ()

    def check(self) -> None:
        files = self._files()
        if files != self.files:  # another scenario is being played now: watch its files
            self.files, self.seen = files, stamps(files)
            return
        now = stamps(self.files)
        if now == self.seen:
            return
        self.seen = now
        if self.app.session is not None:
            self.reload(self.app.session)
        elif self.pending is not None:
            self.load_pending()

    def load_pending(self) -> None:
        """Load the scenario that had errors when the app started; open it once
        it loads, or show its errors."""
        assert self.pending is not None
        session = self._load(self.pending, resources.reference(self.pending), waiting=True)
        if session is None:
            return
        self.pending = None
        self.app.notify("The scenario loaded.", markup=False)
        self.app.open(session)

    def reload(self, old: Session) -> None:
        session = self._load(Path(old.scenario.path), old.ref)
        if session is None:
            return
        state = self.app.state
        if state is None:
            self.app.notify("The scenario was reloaded.", markup=False)
            self.app.reloaded(session, None)
            return
        new_state, message = relocate(session.engine, state)
        self.app.notify(message, markup=False, severity="information" if new_state else "warning", timeout=8)
        self.app.reloaded(session, new_state, restart=new_state is None)

    def _load(self, path: Path, ref: str, waiting: bool = False) -> Session | None:
        """A new version of the scenario, or None with its errors shown."""
        try:
            loaded = load(path)
        except Exception as exc:  # a loader bug must not end an author's session
            self._failed([f"{path}: the file could not be loaded ({exc})"], waiting)
            return None
        if loaded.scenario is None:
            if waiting and loaded.raw is not None:  # watch its includes too, where known
                self.pending_files = loaded.raw.files
                self.files, self.seen = self.pending_files, stamps(self.pending_files)
            self._failed(_errors(loaded), waiting)
            return None
        self.files = loaded.scenario.files  # an include may have been added or removed
        self.seen = stamps(self.files)
        if self.broken:
            self.app.clear_notifications()
            self.broken = False
        self.reloads += 1
        return Session(loaded.scenario, ref)

    def _failed(self, lines: list[str], waiting: bool = False) -> None:
        self.failures += 1
        self.broken = True
        self.app.clear_notifications()
        then = (
            "Nothing to play yet. Fix the file and save it: the game loads it by itself."
            if waiting
            else "Still playing the version before. Fix the file and save it: the game reloads by itself."
        )
        self.app.notify(
            "\n".join([*lines, then]),
            title="The scenario file has errors",
            severity="error",
            markup=False,
            timeout=ERROR_TIMEOUT,
        )


def _errors(loaded: Loaded) -> list[str]:
    errors = loaded.diagnostics.errors
    lines = [d.format() for d in errors[:SHOWN_ERRORS]]
    if len(errors) > SHOWN_ERRORS:
        lines.append(f"... and {len(errors) - SHOWN_ERRORS} more (journey validate lists them all)")
    return lines


MESSAGES = {
    Fit.SAME: "The scenario was reloaded.",
    Fit.REPLAYED: "The scenario was reloaded.",
    Fit.LOST: "The scenario was reloaded. Your persona no longer exists, so a new journey begins.",
    Fit.RESTARTED: (
        "The scenario was reloaded. The scene `{scene}` no longer exists, "
        "so the journey starts again from the beginning."
    ),
    Fit.KEPT: (
        "The scenario was reloaded. Your choices no longer replay "
        "on it, so you stay in this scene with your status kept "
        "where it still fits (going back starts from here)."
    ),
}


def relocate(engine: Engine, state: State) -> tuple[State | None, str]:
    """The player's position in the new version (the engine's rule), and what
    to tell them about it."""
    try:
        adapted = adapt(engine, state)
    except EngineError:  # cannot happen for a state the engine made; start afresh
        return None, MESSAGES[Fit.LOST]
    return adapted.state, MESSAGES[adapted.fit].format(scene=state.scene)
