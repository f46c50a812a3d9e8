"""`journey class list | report NAME | delete NAME`: the class record, for the
teacher. Everything is read from the database on this computer."""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from .. import saves
from ..exit_codes import EXIT_ERRORS, EXIT_OK, EXIT_USAGE
from ..tools.plumbing import ToolError, emit, guarded
from . import record, report

FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".csv": "csv"}


def run(args: argparse.Namespace) -> int:
    return guarded("class", lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    database = record.default_path()
    if not database.exists():
        print(
            f"No class has been recorded yet (the class record would be {database}). "
            "A class is recorded while it plays with: journey serve --class NAME",
            file=sys.stderr,
        )
        return EXIT_OK if args.class_command == "list" else EXIT_ERRORS
    try:
        db = record.connect(database)
    except record.RecordError as exc:
        raise ToolError(str(exc), EXIT_ERRORS) from None
    try:
        if args.class_command == "list":
            return _list(db, database)
        if args.class_command == "report":
            return _report(db, database, args.name, args.output)
        return _delete(db, args.name, args.yes)
    finally:
        db.close()


def _list(db: sqlite3.Connection, database: Path) -> int:
    found = record.classes(db)
    print(f"Class record: {database}")
    if not found:
        print("No classes yet. Record one with: journey serve --class NAME")
        return EXIT_OK
    width = max(len(c.name) for c in found)
    for c in found:
        last = f"last played {datetime.fromtimestamp(c.last):%Y-%m-%d %H:%M}" if c.last else "not played yet"
        print(
            f"  {c.name.ljust(width)}  {c.students} students, {c.journeys} journeys "
            f"({c.finished} finished), {last}"
        )
    return EXIT_OK


def _report(db: sqlite3.Connection, database: Path, name: str, output: str | None) -> int:
    try:
        made = report.build(db, name, database)
    except report.ReportError as exc:
        raise ToolError(str(exc), EXIT_ERRORS) from None
    if output is None:
        return emit(report.to_text(made), None, "class report", "the report")
    suffix = "." + output.rsplit(".", 1)[-1].lower() if "." in output else ""
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise ToolError(f"write the report as .html, .md or .csv, not {output}", EXIT_USAGE)
    text = {
        "html": lambda: report.to_html(made),
        "markdown": lambda: report.to_markdown(made),
        "csv": lambda: report.to_csv(made, db),
    }[fmt]()
    return emit(text, output, "class report", f"the report on “{made.class_name}”")


def _delete(db: sqlite3.Connection, name: str, yes: bool) -> int:
    class_id = record.class_id(db, name)
    if class_id is None:
        raise ToolError(f"no class called “{name}” (see: journey class list)", EXIT_ERRORS)
    if not yes:
        if not sys.stdin.isatty():
            raise ToolError(
                f"to delete “{name}” and all its records without a question, add --yes", EXIT_USAGE
            )
        answer = input(f"Delete the class “{name}”, its students' journeys and saves? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.")
            return EXIT_OK
    record.delete_class(db, name)
    shutil.rmtree(saves.home() / "classes" / str(class_id), ignore_errors=True)
    print(f"Deleted the class “{name}” and its records.")
    return EXIT_OK
