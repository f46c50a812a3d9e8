"""One student's game under `journey serve`: the Textual app, run by
textual-serve's web driver in its own process.

The server passes what it knows in one environment variable (JSON): the
scenario, the class record's path and the student's id and name. JOURNEY_HOME
is the student's own folder, so saves, settings and transcripts are theirs and
a reload resumes their journey.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .. import saves
from ..classroom import record
from ..engine import State
from ..launch import PlayError, Session, open_session

ENV = "JOURNEY_SERVE_SESSION"


@dataclass(frozen=True)
class Config:
    scenario: str | None  # a file or builtin:NAME; None for the default
    folder: str | None  # --dir: the student picks among its scenarios
    database: str
    student_id: int
    student: str

    def to_env(self) -> str:
        return json.dumps(self.__dict__)

    @classmethod
    def from_env(cls) -> Config:
        return cls(**json.loads(os.environ[ENV]))


def recorder_hook(config: Config) -> Callable[[Session, State], None]:
    from pathlib import Path

    db = record.connect(Path(config.database))
    recorder = record.Recorder(db, config.student_id)

    def on_save(session: Session, state: State) -> None:
        scenes = session.scenario.scenes
        view = session.engine.view(state)

        def label(step: int) -> str:
            taken = state.path[step]
            choice = scenes[taken.scene].choices[taken.choice]
            return " ".join(choice.text.source.split())

        try:
            recorder.record(session.ref, state, view.ending.id if view.ending else None, label)
        except (record.RecordError, OSError, Exception) as exc:  # never lose the game over the record
            print(f"journey serve: could not record a choice: {exc}", file=sys.stderr)

    return on_save


def open_student_session(config: Config) -> Session | None:
    """The student's saved journey when there is one, else a new one; with a
    folder and no scenario, None (the app shows the picker)."""
    if config.scenario is None and config.folder:
        return None
    session = open_session(config.scenario, resume=False)
    if saves.for_scenario(session.scenario.id) is not None:
        try:
            return open_session(config.scenario, resume=True)
        except PlayError as exc:
            session.notice = str(exc)
    return session


def end_with_the_server(interval: float = 1.0) -> None:
    """Quit (saved: every choice is saved already) if the server goes away
    without ending this game, as when it is killed: the game runs in its own
    process session, so nothing else would stop it."""
    server = os.getppid()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(interval)
        os.kill(os.getpid(), signal.SIGTERM)  # the web driver turns this into a clean exit

    threading.Thread(target=watch, name="end-with-the-server", daemon=True).start()


def main() -> int:
    config = Config.from_env()
    end_with_the_server()
    try:
        session = open_student_session(config)
    except PlayError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    from ..app.app import JourneyApp

    app = JourneyApp(
        session,
        folder=config.folder,
        direct=session is not None,
        player=config.student,
        on_save=recorder_hook(config),
    )
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
