"""The class record: one SQLite database in the data folder (stdlib sqlite3).

WAL mode and one transaction per choice, so a killed server loses nothing that
was recorded; many student processes write to it at once (a busy timeout makes
them take turns). The schema is versioned with `PRAGMA user_version` and
migrated forward step by step when an older database is opened.
"""

from __future__ import annotations

import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..engine.state import State, StateError

SCHEMA_VERSION = 2
FILE_NAME = "classes.sqlite3"
MAX_NAME = 40


class RecordError(Exception):
    """The class record cannot be read or written; the message is for the teacher."""


def default_path() -> Path:
    from ..saves import home

    return home() / FILE_NAME


def _v1(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE classes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created REAL NOT NULL
        );
        CREATE TABLE students (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            joined REAL NOT NULL,
            UNIQUE (class_id, key)
        );
        CREATE TABLE journeys (
            id INTEGER PRIMARY KEY,
            student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
            scenario_ref TEXT NOT NULL,
            scenario_id TEXT NOT NULL,
            persona TEXT NOT NULL,
            seed INTEGER NOT NULL,
            started REAL NOT NULL,
            updated REAL NOT NULL,
            ended REAL,
            ending TEXT,
            state TEXT NOT NULL
        );
        CREATE TABLE choices (
            id INTEGER PRIMARY KEY,
            journey_id INTEGER NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
            step INTEGER NOT NULL,
            scene TEXT NOT NULL,
            choice INTEGER NOT NULL,
            outcome INTEGER NOT NULL,
            leads_to TEXT NOT NULL,
            at REAL NOT NULL,
            seconds REAL NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0
        );
        """,
    )


def _v2(db: sqlite3.Connection) -> None:
    # the choice's words as the student saw them, so a report still reads when
    # the scenario file has changed or gone; and lookups by journey
    _script(
        db,
        """
        ALTER TABLE choices ADD COLUMN label TEXT NOT NULL DEFAULT '';
        CREATE INDEX choices_by_journey ON choices (journey_id, step);
        CREATE INDEX journeys_by_student ON journeys (student_id);
        """,
    )


def _script(db: sqlite3.Connection, sql: str) -> None:
    # not executescript(): it commits first, and a migration runs in one transaction
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2)  # [n] makes version n+1


def connect(path: Path | None = None) -> sqlite3.Connection:
    """Open (creating or migrating) the class record."""
    path = path or default_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA synchronous=NORMAL")
        _migrate(db, path)
    except sqlite3.Error as exc:
        raise RecordError(f"cannot open the class record {path}: {exc}") from None
    except OSError as exc:
        raise RecordError(f"cannot open the class record {path}: {exc.strerror or exc}") from None
    return db


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    with _transaction(db, immediate=True):
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise RecordError(
                f"the class record {path} was written by a newer version of journey "
                f"(schema {version}; this one reads up to {SCHEMA_VERSION}); update journey"
            )
        for step in MIGRATIONS[version:]:
            step(db)
        if version != SCHEMA_VERSION:
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextmanager
def _transaction(db: sqlite3.Connection, immediate: bool = False) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def name_key(name: str) -> str:
    """Names that differ only in case, spacing or Unicode form are one student."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def clean_name(raw: str) -> str:
    """A student's or class's name as typed, tidied; "" when it cannot be used."""
    text = "".join(c for c in unicodedata.normalize("NFC", raw) if unicodedata.category(c)[0] != "C")
    text = " ".join(text.split())
    return text if 0 < len(text) <= MAX_NAME else ""


# -- classes and students ----------------------------------------------------------
@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    created: float
    students: int
    journeys: int
    finished: int
    last: float | None


def class_id(db: sqlite3.Connection, name: str, create: bool = False) -> int | None:
    row = db.execute("SELECT id FROM classes WHERE name = ?", (name,)).fetchone()
    if row is not None:
        return int(row[0])
    if not create:
        return None
    with _transaction(db, immediate=True):
        db.execute("INSERT OR IGNORE INTO classes (name, created) VALUES (?, ?)", (name, time.time()))
    row = db.execute("SELECT id FROM classes WHERE name = ?", (name,)).fetchone()
    return int(row[0])


def student_id(db: sqlite3.Connection, class_id: int, name: str) -> int:
    """The student of this name in the class, added if new."""
    key = name_key(name)
    with _transaction(db, immediate=True):
        db.execute(
            "INSERT OR IGNORE INTO students (class_id, name, key, joined) VALUES (?, ?, ?, ?)",
            (class_id, name, key, time.time()),
        )
    row = db.execute("SELECT id FROM students WHERE class_id = ? AND key = ?", (class_id, key)).fetchone()
    return int(row[0])


def classes(db: sqlite3.Connection) -> list[ClassInfo]:
    rows = db.execute(
        """
        SELECT c.id, c.name, c.created,
               (SELECT COUNT(*) FROM students s WHERE s.class_id = c.id),
               (SELECT COUNT(*) FROM journeys j JOIN students s ON j.student_id = s.id
                 WHERE s.class_id = c.id),
               (SELECT COUNT(*) FROM journeys j JOIN students s ON j.student_id = s.id
                 WHERE s.class_id = c.id AND j.ending IS NOT NULL),
               (SELECT MAX(j.updated) FROM journeys j JOIN students s ON j.student_id = s.id
                 WHERE s.class_id = c.id)
        FROM classes c ORDER BY c.created
        """
    ).fetchall()
    return [ClassInfo(*row) for row in rows]


def delete_class(db: sqlite3.Connection, name: str) -> bool:
    with _transaction(db, immediate=True):
        cur = db.execute("DELETE FROM classes WHERE name = ?", (name,))
    return cur.rowcount > 0


# -- what the report reads ------------------------------------------------------------
@dataclass(frozen=True)
class ChoiceRow:
    step: int
    scene: str
    choice: int
    label: str
    seconds: float


@dataclass(frozen=True)
class JourneyRow:
    id: int
    student: str
    scenario_ref: str
    scenario_id: str
    persona: str
    started: float
    updated: float
    ended: float | None
    ending: str | None
    state: State | None
    choices: tuple[ChoiceRow, ...]


def journeys(db: sqlite3.Connection, class_id: int) -> list[JourneyRow]:
    rows = db.execute(
        """
        SELECT j.id, s.name, j.scenario_ref, j.scenario_id, j.persona, j.started, j.updated,
               j.ended, j.ending, j.state
        FROM journeys j JOIN students s ON j.student_id = s.id
        WHERE s.class_id = ? ORDER BY s.key, j.started
        """,
        (class_id,),
    ).fetchall()
    out = []
    for row in rows:
        picks = db.execute(
            "SELECT step, scene, choice, label, seconds FROM choices "
            "WHERE journey_id = ? AND undone = 0 ORDER BY step",
            (row[0],),
        ).fetchall()
        jid, student, ref, sid, persona, started, updated, ended, ending, state = row
        out.append(
            JourneyRow(
                jid,
                student,
                ref,
                sid,
                persona,
                started,
                updated,
                ended,
                ending,
                _state(state),
                tuple(ChoiceRow(*p) for p in picks),
            )
        )
    return out


def _state(text: str) -> State | None:
    try:
        return State.from_json(text)
    except StateError:
        return None


# -- what a student's game writes ------------------------------------------------------
class Recorder:
    """Records one student's journeys as they play: called after every save."""

    def __init__(self, db: sqlite3.Connection, student: int, clock: Callable[[], float] = time.time) -> None:
        self.db, self.student, self.clock = db, student, clock
        self.journey: int | None = None
        self.path: tuple[tuple[str, int, int, str], ...] = ()
        self.last = 0.0

    def record(self, ref: str, state: State, ending: str | None, label: Callable[[int], str]) -> None:
        """`label(step)` gives the words of the choice taken at that step."""
        now = self.clock()
        path = tuple((s.scene, s.choice, s.outcome, s.to) for s in state.path)
        with _transaction(self.db, immediate=True):
            if self.journey is None or not self._same_journey(state, path):
                self._find_or_start(ref, state, path, now)
            assert self.journey is not None
            common = _common_prefix(self.path, path)
            if common < len(self.path):  # went back: those choices are undone
                self.db.execute(
                    "UPDATE choices SET undone = 1 WHERE journey_id = ? AND step >= ? AND undone = 0",
                    (self.journey, common),
                )
            for step in range(common, len(path)):
                scene, choice, outcome, to = path[step]
                self.db.execute(
                    "INSERT INTO choices (journey_id, step, scene, choice, outcome, leads_to, at, "
                    "seconds, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        self.journey,
                        step,
                        scene,
                        choice,
                        outcome,
                        to,
                        now,
                        max(0.0, now - self.last),
                        label(step),
                    ),
                )
            self.db.execute(
                "UPDATE journeys SET updated = ?, ended = ?, ending = ?, state = ? WHERE id = ?",
                (now, now if ending else None, ending, state.to_json(), self.journey),
            )
        self.path, self.last = path, now

    def _same_journey(self, state: State, path: tuple[tuple[str, int, int, str], ...]) -> bool:
        row = self.db.execute("SELECT seed, persona FROM journeys WHERE id = ?", (self.journey,)).fetchone()
        return row is not None and (row[0], row[1]) == (state.seed, state.persona)

    def _find_or_start(
        self, ref: str, state: State, path: tuple[tuple[str, int, int, str], ...], now: float
    ) -> None:
        """A resumed journey continues its row; anything else starts a new one."""
        row = self.db.execute(
            "SELECT id, seed, persona, state, updated FROM journeys WHERE student_id = ? "
            "AND scenario_id = ? ORDER BY id DESC LIMIT 1",
            (self.student, state.scenario),
        ).fetchone()
        if row is not None and (row[1], row[2]) == (state.seed, state.persona):
            old = _state(row[3])
            self.journey, self.last = int(row[0]), float(row[4])
            self.path = tuple((s.scene, s.choice, s.outcome, s.to) for s in old.path) if old else ()
            return
        cur = self.db.execute(
            "INSERT INTO journeys (student_id, scenario_ref, scenario_id, persona, seed, started, "
            "updated, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self.student, ref, state.scenario, state.persona, state.seed, now, now, state.to_json()),
        )
        self.journey, self.path, self.last = cur.lastrowid, (), now


def _common_prefix(a: tuple[object, ...], b: tuple[object, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
