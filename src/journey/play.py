"""`journey play`: open the journey (see launch.py), then start a front end:
plain mode, or the Textual app (imported only here, so plain mode never loads Textual)."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from . import resources, saves
from .exit_codes import EXIT_ERRORS, EXIT_USAGE
from .launch import PlayError, Session, open_session
from .scenario.text import printable


def wants_plain(args: argparse.Namespace) -> bool:
    """Plain mode: asked for (--plain, JOURNEY_PLAIN=1, or the remembered
    setting) unless --app overrides it; and always when not in a terminal,
    except in a browser (textual-serve), which shows the app."""
    if _web_driver():
        return bool(getattr(args, "plain", False))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return True
    if getattr(args, "plain", False):
        return True
    if getattr(args, "app", False):
        return False
    env = os.environ.get("JOURNEY_PLAIN", "").strip().lower()
    if env:
        return env not in ("0", "no", "false", "off")
    from . import settings

    return settings.plain_default()


def run_play(args: argparse.Namespace) -> int:
    plain_mode = wants_plain(args)
    try:
        session = open_session(args.scenario, args.resume)
    except PlayError as exc:
        if _watch_broken_file(args, plain_mode, exc):
            from .app import run_app

            return run_app(None, args, pending=Path(args.scenario))
        print(printable(str(exc)), file=sys.stderr)
        return exc.code
    sc = session.cover  # the rules are read when play needs them, after the first frame
    personas = session.scenario.personas if args.persona else {}
    if personas and args.persona not in personas:
        from .scenario.diagnostics import did_you_mean

        print(
            f"No persona `{args.persona}` in {sc.title}; {did_you_mean(args.persona, personas, 'personas')}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    saves.clean_orphans()
    try:
        with saves.lock(sc.id):
            return _front_end(session, args, plain_mode)
    except saves.SaveError as exc:
        print(printable(str(exc)), file=sys.stderr)
        return EXIT_ERRORS


def _front_end(session: Session, args: argparse.Namespace, plain_mode: bool) -> int:
    if plain_mode:
        from .plain import run_plain

        return run_plain(session, persona=args.persona, seed=args.seed, new=getattr(args, "new", False))
    with _collector_paused():
        from .app import run_app  # Textual loads only here

    return run_app(session, args)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Importing Textual and the app makes a great many objects and no garbage:
    the collections it sets off find nothing and slow the first frame. What it
    made (modules, classes) lives as long as the program, so it is then frozen
    out of the collector's future passes, which would otherwise walk it all."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if paused:
            gc.enable()


def _web_driver() -> bool:
    """Under textual-serve both streams are pipes, yet a browser shows the app."""
    return os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")


def _watch_broken_file(args: argparse.Namespace, plain_mode: bool, error: PlayError) -> bool:
    """An author watching a file that has errors gets the app, which shows them
    and loads the file once a save fixes them, rather than an exit."""
    return (
        bool(getattr(args, "watch", False))
        and not plain_mode
        and not args.resume
        and error.code != EXIT_USAGE
        and bool(args.scenario)
        and not args.scenario.startswith(resources.BUILTIN_PREFIX)
        and Path(args.scenario).is_file()
    )
