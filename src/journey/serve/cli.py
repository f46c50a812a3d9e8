"""`journey serve`: check the options and the scenario, then run the server."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from ..classroom import record
from ..exit_codes import EXIT_ERRORS, EXIT_USAGE
from ..launch import PlayError, default_scenario, load_scenario, scenario_path
from .server import ClassServer, Options, is_loopback, new_code


def run(args: argparse.Namespace) -> int:
    try:
        options = options_from(args)
    except PlayError as exc:
        print(f"journey serve: {exc}", file=sys.stderr)
        return exc.code
    try:
        server = ClassServer(options, out=lambda line: print(line, flush=True))
    except record.RecordError as exc:
        print(f"journey serve: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    return asyncio.run(server.run())


def options_from(args: argparse.Namespace) -> Options:
    if args.open and not is_loopback(args.host):
        raise PlayError(
            "--open (no join code) is only for this computer (--host 127.0.0.1); "
            "on a network every student needs the join code",
            EXIT_USAGE,
        )
    if not 0 <= args.port <= 65535:
        raise PlayError("--port must be a number from 0 to 65535 (0: any free port)", EXIT_USAGE)
    if args.max_players < 1:
        raise PlayError("--max-players must be at least 1", EXIT_USAGE)
    if args.idle_minutes <= 0:
        raise PlayError("--idle-minutes must be more than 0", EXIT_USAGE)
    name = record.clean_name(args.class_name or f"class-{date.today().isoformat()}")
    if not name:
        raise PlayError("--class needs a name of 1 to 40 characters", EXIT_USAGE)
    title = "Journey"
    scenario_arg: str | None = args.scenario
    if args.dir:
        if not Path(args.dir).is_dir():
            raise PlayError(f"--dir {args.dir}: no such folder", EXIT_USAGE)
    else:
        path = scenario_path(scenario_arg) if scenario_arg else default_scenario()
        title = load_scenario(path).cover.title  # errors are shown now, not in each browser
        if scenario_arg and not scenario_arg.startswith("builtin:"):
            scenario_arg = str(path.resolve())  # the student processes may run elsewhere
    return Options(
        scenario=scenario_arg,
        folder=str(Path(args.dir).resolve()) if args.dir else None,
        title=title,
        class_name=name,
        host=args.host,
        port=args.port,
        code=None if args.open else new_code(),
        max_players=args.max_players,
        idle_seconds=args.idle_minutes * 60,
    )
