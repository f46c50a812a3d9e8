"""`--watch`: reload the scenario when one of its files changes (for authors).

The journey so far is replayed on the new version; if it no longer fits, the
player stays where they are and is told why."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine import Engine, EngineError
from ..play import Session
from ..scenario import load

if TYPE_CHECKING:
    from .app import JourneyApp

INTERVAL = 1.0  # seconds: quick enough for an author saving a file


def stamps(files: tuple[str, ...]) -> tuple[int, ...]:
    out = []
    for name in files:
        try:
            out.append(os.stat(name).st_mtime_ns)
        except OSError:
            out.append(-1)
    return tuple(out)


class Watcher:
    def __init__(self, app: JourneyApp) -> None:
        self.app = app
        self.seen: tuple[int, ...] = ()

    def start(self) -> None:
        self.seen = self._current()
        self.app.set_interval(INTERVAL, self.check)

    def _current(self) -> tuple[int, ...]:
        session = self.app.session
        return stamps(session.scenario.files) if session else ()

    def check(self) -> None:
        now = self._current()
        if now == self.seen or self.app.session is None:
            return
        self.seen = now
        self.reload(self.app.session)

    def reload(self, old: Session) -> None:
        loaded = load(Path(old.scenario.path))
        if loaded.scenario is None:
            first = loaded.diagnostics.errors[0].format() if loaded.diagnostics.errors else ""
            self.app.notify(f"The scenario file changed but has errors; still playing the "
                            f"old version.\n{first}", severity="error", markup=False, timeout=10)
            return
        session = Session(loaded.scenario, Engine(loaded.scenario), old.ref)
        state = self.app.state
        if state is not None:
            try:
                session.engine.check(state)
                state = session.engine.replay(state.persona or None, state.seed,
                                              [s.choice for s in state.path])
            except (EngineError, KeyError, IndexError):
                self.app.notify("The scenario was reloaded, but your place in it no longer "
                                "exists; go back to the start to play the new version.",
                                severity="warning", markup=False, timeout=10)
                return
        self.app.notify("The scenario was reloaded.", markup=False)
        self.app.reloaded(session, state)
