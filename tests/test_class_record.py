"""The class record (SQLite): created in WAL mode at the current schema, older
schemas migrated with their rows kept, newer ones refused; the recorder keeps
one journey per start, marks undone choices, and continues a resumed journey;
the report counts only what stands and escapes what students typed."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journey.classroom import record, report
from journey.engine import Engine
from journey.scenario import load

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"


@pytest.fixture(scope="module")
def engine() -> Engine:
    loaded = load(WINTER)
    assert loaded.scenario is not None
    return Engine(loaded.scenario)


def labels(engine: Engine):  # type: ignore[no-untyped-def]
    def of(state):  # type: ignore[no-untyped-def]
        return lambda step: (
            engine.scenario.scenes[state.path[step].scene].choices[state.path[step].choice].text.source
        )

    return of


def test_a_new_record_is_current_and_in_wal_mode(tmp_path: Path) -> None:
    db = record.connect(tmp_path / "c.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == record.SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_version_1_record_is_migrated_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    record.MIGRATIONS[0](old)
    old.execute("PRAGMA user_version = 1")
    old.execute("INSERT INTO classes (name, created) VALUES ('7B', 0)")
    old.execute("INSERT INTO students (class_id, name, key, joined) VALUES (1, 'Ana', 'ana', 0)")
    old.execute(
        "INSERT INTO journeys (student_id, scenario_ref, scenario_id, persona, seed, started, "
        "updated, state) VALUES (1, 'x', 'winter-pass', '', 1, 0, 0, '{}')"
    )
    old.execute(
        "INSERT INTO choices (journey_id, step, scene, choice, outcome, leads_to, at, seconds) "
        "VALUES (1, 0, 'village-square', 2, -1, 'pass', 0, 3)"
    )
    old.close()
    db = record.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == record.SCHEMA_VERSION
    assert db.execute("SELECT scene, label FROM choices").fetchall() == [("village-square", "")]
    assert [c.name for c in record.classes(db)] == ["7B"]


def test_a_newer_record_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.close()
    with pytest.raises(record.RecordError, match="newer version of journey"):
        record.connect(path)


@pytest.mark.parametrize(("a", "b"), [("Ana", " ana "), ("Ana  Kim", "ana kim"), ("ＡＮＡ", "Ana")])
def test_names_that_differ_in_case_spacing_or_width_are_one_student(a: str, b: str) -> None:
    assert record.name_key(a) == record.name_key(b)


def test_names_are_tidied_and_bounded() -> None:
    assert record.clean_name("  Ana\x1b[31m \u202e Kim ") == "Ana[31m Kim"
    assert record.clean_name("") == "" and record.clean_name("x" * 41) == ""


def test_the_recorder_keeps_choices_undos_and_a_resumed_journey(tmp_path: Path, engine: Engine) -> None:
    db = record.connect(tmp_path / "c.sqlite3")
    cid = record.class_id(db, "7B", create=True)
    assert cid is not None
    sid = record.student_id(db, cid, "Ana")
    clock = iter(range(0, 1000, 10))
    rec = record.Recorder(db, sid, clock=lambda: float(next(clock)))
    label = labels(engine)
    state = engine.start("student", 5)
    rec.record("x", state, None, label(state))
    state = engine.choose(state, 0).state  # buy a map
    rec.record("x", state, None, label(state))
    back = engine.back(state)
    assert back is not None
    rec.record("x", back, None, label(back))  # undone
    state = engine.choose(back, 2).state  # start the climb
    rec.record("x", state, None, label(state))
    again = record.Recorder(db, sid, clock=lambda: 500.0)  # a reload: a new process
    state = engine.choose(state, 0).state
    again.record("x", state, None, label(state))
    rows = record.journeys(db, cid)
    assert len(rows) == 1
    assert [(c.step, c.choice) for c in rows[0].choices] == [(0, 2), (1, 0)]
    assert rows[0].choices[0].label == "Start the climb" and rows[0].choices[0].seconds == 10
    assert db.execute("SELECT COUNT(*) FROM choices WHERE undone = 1").fetchone()[0] == 1
    fresh = engine.start("shepherd", 6)  # play again: a new journey
    again.record("x", fresh, None, label(fresh))
    assert len(record.journeys(db, cid)) == 2


def test_random_journeys_are_recorded_exactly(tmp_path: Path, engine: Engine) -> None:
    db = record.connect(tmp_path / "c.sqlite3")
    cid = record.class_id(db, "many", create=True)
    assert cid is not None
    rng = random.Random(4)
    finals = []
    for n in range(20):
        rec = record.Recorder(db, record.student_id(db, cid, f"S{n}"))
        state = engine.start(rng.choice(["student", "shepherd"]), n)
        rec.record("x", state, None, labels(engine)(state))
        for _ in range(30):
            view = engine.view(state)
            if view.ending is not None or not view.choices:
                break
            if state.path and rng.random() < 0.2:
                state = engine.back(state) or state
            else:
                state = engine.choose(state, rng.choice([c.index for c in view.choices if c.available])).state
            ending = engine.view(state).ending
            rec.record("x", state, ending.id if ending else None, labels(engine)(state))
        finals.append(state)
    rows = record.journeys(db, cid)
    by_student = {r.student: r for r in rows}
    for n, state in enumerate(finals):
        row = by_student[f"S{n}"]
        assert [(c.scene, c.choice) for c in row.choices] == [(s.scene, s.choice) for s in state.path]
        assert row.state == state


def test_the_report_escapes_names_and_guards_spreadsheets(tmp_path: Path, engine: Engine) -> None:
    db = record.connect(tmp_path / "c.sqlite3")
    cid = record.class_id(db, "9<C>", create=True)
    assert cid is not None
    rec = record.Recorder(db, record.student_id(db, cid, "<script>x</script>"))
    state = engine.start("student", 1)
    rec.record(str(WINTER), state, None, labels(engine)(state))
    rec2 = record.Recorder(db, record.student_id(db, cid, "=HYPERLINK(1)"))
    state = engine.choose(engine.start("student", 2), 2).state
    rec2.record(str(WINTER), state, None, labels(engine)(state))
    made = report.build(db, "9<C>", tmp_path / "c.sqlite3")
    page = report.to_html(made)
    assert "<script>" not in page and "&lt;script&gt;" in page and "9&lt;C&gt;" in page
    assert "'=HYPERLINK(1)" in report.to_csv(made, db)
    assert "&lt;script&gt;" in report.to_markdown(made)
    with pytest.raises(report.ReportError, match="no class called"):
        report.build(db, "nope", tmp_path / "c.sqlite3")


@given(st.text(max_size=80))
def test_a_cleaned_name_is_printable_bounded_and_stable(raw: str) -> None:
    name = record.clean_name(raw)
    assert len(name) <= record.MAX_NAME
    assert all(c.isprintable() for c in name)
    assert name == name.strip() and "  " not in name
    assert record.clean_name(name) == name
    if name:
        assert (
            record.name_key(name) == record.name_key(f"  {name.upper()} ") or name.upper() != name.casefold()
        )
