"""The `journey` command. Each subcommand imports only what it needs, so the
non-interactive ones start fast and never load Textual."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="journey",
        description="A text-based educational journey game. With no command, plays the "
        "built-in scenario.",
        epilog="Run `journey COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"journey {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    play = sub.add_parser("play", help="play a scenario (the built-in one by default)",
                          description="Play a scenario: a YAML file, or the built-in one.")
    play.add_argument("scenario", nargs="?", help="a scenario file (default: built-in)")
    play.add_argument("--plain", action="store_true",
                      help="plain linear text mode, for screen readers and scripts")
    play.add_argument("--persona", metavar="ID", help="play as this persona, skipping the pick")
    play.add_argument("--seed", type=int, metavar="N", help="make the draws reproducible")
    play.add_argument("--continue", dest="resume", action="store_true",
                      help="resume the latest saved journey")
    play.add_argument("--dir", metavar="FOLDER", help="also offer the scenarios in FOLDER")
    play.add_argument("--watch", action="store_true",
                      help="reload the scenario when its file changes (for authors)")

    validate = sub.add_parser("validate", help="check scenario files and explain problems",
                              description="Check scenario files (or every .yaml file in "
                              "folders). Exit 0 with no errors, 1 with errors, 2 on misuse.")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.add_argument("--format", choices=("text", "json"), default="text",
                          help="output format (json for tools)")
    validate.add_argument("--max-states", type=int, default=None, metavar="N",
                          help="bound of the reachable-state search (default 50,000)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in (
            "-h", "--help", "--version")):
        args_list.insert(0, "play")
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "validate":
        from .tools.validate import run

        return run(args.paths, strict=args.strict, fmt=args.format, max_states=args.max_states)
    from .play import run_play

    return run_play(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
