"""The `journey` command. Each subcommand imports only what it needs, so the
non-interactive ones start fast and never load Textual."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from . import __version__
from .exit_codes import EXIT_OK, EXIT_USAGE

TOOLS = ("new", "schema", "graph", "playtest", "guide", "transcript")

# What `journey play` reads with every option left out. `journey` alone, the
# usual start, uses it without building the parser of every command (a few ms
# before the first frame); a test holds it equal to what the parser gives.
PLAY_DEFAULTS: dict[str, Any] = {
    "command": "play",
    "scenario": None,
    "plain": False,
    "app": False,
    "persona": None,
    "seed": None,
    "resume": False,
    "new": False,
    "dir": None,
    "watch": False,
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        from .scenario.text import printable

        print(printable(f"{self.prog}: error: {message}"), file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="journey",
        description="A text-based educational journey game. With no command, plays the built-in scenario.",
        epilog="Run `journey COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"journey {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    play = sub.add_parser(
        "play",
        help="play a scenario (the built-in one by default)",
        description="Play a scenario: a YAML file, or the built-in one.",
    )
    play.add_argument("scenario", nargs="?", help="a scenario file (default: built-in)")
    front = play.add_mutually_exclusive_group()
    front.add_argument(
        "--plain",
        action="store_true",
        help="plain linear text mode, for screen readers and scripts (JOURNEY_PLAIN=1 makes it the default)",
    )
    front.add_argument(
        "--app", action="store_true", help="the full-screen app, even when plain mode is the default"
    )
    play.add_argument("--persona", metavar="ID", help="play as this persona, skipping the pick")
    play.add_argument("--seed", type=int, metavar="N", help="make the draws reproducible")
    play.add_argument(
        "--continue", dest="resume", action="store_true", help="resume the latest saved journey"
    )
    play.add_argument(
        "--new",
        action="store_true",
        help="start a new journey without asking, even if it replaces an unfinished one",
    )
    play.add_argument("--dir", metavar="FOLDER", help="also offer the scenarios in FOLDER")
    play.add_argument(
        "--watch", action="store_true", help="reload the scenario when its file changes (for authors)"
    )

    validate = sub.add_parser(
        "validate",
        help="check scenario files and explain problems",
        description="Check scenario files (or every .yaml file in "
        "folders). Exit 0 with no errors, 1 with errors, 2 on misuse.",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (json for tools)"
    )
    validate.add_argument(
        "--max-states",
        type=int,
        default=None,
        metavar="N",
        help="game states the reachability check may try for its witnesses (default 50,000)",
    )
    _add_tools(sub)
    _add_class(sub)
    return parser


def _add_class(sub: argparse._SubParsersAction[Any]) -> None:
    """`journey serve` and `journey class`: a class plays in the browser."""
    serve = sub.add_parser(
        "serve",
        help="let a class play in the browser, and record its journeys",
        description="Serve the game to browsers (one game per tab), with a join code, "
        "and record every student's choices in the class record.",
    )
    serve.add_argument("scenario", nargs="?", help="a scenario file, or builtin:NAME (default: built-in)")
    serve.add_argument("--dir", metavar="FOLDER", help="let students pick among FOLDER's scenarios")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: the network)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--class", dest="class_name", metavar="NAME", help="the class's name (default: class-DATE)"
    )
    serve.add_argument(
        "--max-players", type=int, default=40, metavar="N", help="most games at once (default 40)"
    )
    serve.add_argument(
        "--idle-minutes",
        type=float,
        default=20,
        metavar="M",
        help="end a game with no key pressed for M minutes, saved (default 20)",
    )
    serve.add_argument("--open", action="store_true", help="ask no join code (only with --host 127.0.0.1)")

    klass = sub.add_parser(
        "class",
        help="list, report on or delete the classes recorded by journey serve",
        description="The class record: what each class chose, for the debrief.",
    )
    klass_sub = klass.add_subparsers(
        dest="class_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    klass_sub.add_parser("list", help="the classes recorded, with their students and journeys")
    report = klass_sub.add_parser(
        "report",
        help="a class's debrief: endings, choices, times, transcripts",
        description="A class's journeys for the debrief: text in a terminal, or a file "
        "(.html with charts, .md, or .csv) with -o.",
    )
    report.add_argument("name", metavar="NAME", help="the class's name (see journey class list)")
    report.add_argument("-o", "--output", metavar="FILE", help="write FILE: .html, .md or .csv")
    delete = klass_sub.add_parser("delete", help="remove a class and all its records")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--yes", action="store_true", help="do not ask first")


def _add_tools(sub: argparse._SubParsersAction[Any]) -> None:
    """The educator tools: each runs `journey.tools.<command>.run(args)`."""
    new = sub.add_parser(
        "new",
        help="write a small, commented starter scenario",
        description="Write a starter scenario that validates and plays as it is, ready to edit.",
    )
    new.add_argument("path", metavar="PATH", help="the file to write (e.g. my-route.yaml)")
    new.add_argument("--title", help="the scenario's title")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of scenario format 1",
        description="Print the JSON Schema of format 1, for editors.",
    )
    schema.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")
    schema.add_argument(
        "--include-file", action="store_true", help="the schema of a file named by `include` instead"
    )

    graph = sub.add_parser(
        "graph",
        help="draw a scenario's scenes as a graph",
        description="The scenes as a graph, grouped by stage.",
    )
    graph.add_argument("scenario", metavar="SCENARIO")
    graph.add_argument("--format", choices=("text", "mermaid", "dot"), default="text")
    graph.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")

    playtest = sub.add_parser(
        "playtest",
        help="play a scenario automatically and report",
        description="Random journeys with coverage, or an exhaustive check that "
        "shows or rules out every scene, ending, choice and roll outcome.",
    )
    playtest.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or builtin:NAME")
    mode = playtest.add_mutually_exclusive_group()
    mode.add_argument(
        "--random", type=int, metavar="N", help="play N random journeys (the default, with N = 1,000)"
    )
    mode.add_argument(
        "--exhaustive",
        action="store_true",
        help="settle every scene, ending, choice and roll outcome: a journey that shows it, or a proof",
    )
    playtest.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="the same seed gives the same journeys and report (default 0)",
    )
    playtest.add_argument(
        "--max-states",
        type=int,
        default=None,
        metavar="N",
        help="game states --exhaustive may try for its witnesses (default 50,000)",
    )
    playtest.add_argument(
        "--max-steps",
        type=int,
        default=None,
        metavar="N",
        help="a random journey longer than N choices is reported as a loop (default 1,000)",
    )
    playtest.add_argument(
        "--strategy",
        choices=("cautious", "bold", "random"),
        help="play every journey as a cautious, bold or random player would, and report "
        "endings per persona (N journeys with --random N; default 1,000)",
    )
    playtest.add_argument(
        "--risk",
        metavar="VAR",
        help="the variable a strategy keeps low (cautious) or high (bold); default: "
        "one whose id or label mentions risk",
    )
    playtest.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (json for tools)"
    )

    guide = sub.add_parser(
        "guide",
        help="write a teacher's guide for a scenario",
        description="A teacher's guide in Markdown, or HTML when FILE ends in .html.",
    )
    guide.add_argument("scenario", metavar="SCENARIO")
    guide.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")

    transcript = sub.add_parser(
        "transcript",
        help="write the transcript of a saved journey",
        description="A Markdown transcript of a saved journey, for handing in.",
    )
    transcript.add_argument("save", metavar="SAVE", help="a save file, or a scenario's id for its usual save")
    transcript.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")
    transcript.add_argument("--name", metavar="NAME", help="the student's name (or nickname) to put on it")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list:
        try:
            args = parse(args_list)
        except SystemExit as exc:
            return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    else:
        args = argparse.Namespace(**PLAY_DEFAULTS)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK


def parse(args_list: list[str]) -> argparse.Namespace:
    """The command line read by the parser (options alone mean `play`)."""
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")):
        args_list = ["play", *args_list]
    return build_parser().parse_args(args_list)


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "validate":
        from .tools.validate import run

        return run(args.paths, strict=args.strict, fmt=args.format, max_states=args.max_states)
    if args.command == "serve":
        from .serve.cli import run as run_serve

        return run_serve(args)
    if args.command == "class":
        from .classroom.cli import run as run_class

        return run_class(args)
    if args.command in TOOLS:
        from importlib import import_module

        return int(import_module(f".tools.{args.command}", __package__).run(args))
    from .play import run_play

    return run_play(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
