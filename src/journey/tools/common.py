"""What the educator tools share: loading the scenario they were given, and
writing what they make to a file or to standard output, with a clear message
(never a traceback) when a path is wrong."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import resources
from ..scenario import Scenario, load
from ..scenario.loader import display_path

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class ToolError(Exception):
    """Why a tool stopped, said for the user; `code` is the exit status. An
    empty message means the reason was already printed."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def safe(text: str) -> str:
    """Text that can be printed and written as UTF-8: a command-line argument
    with bytes that are not UTF-8 comes with lone surrogates, which become �."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def say(text: str) -> None:
    """A message for the user, on standard error."""
    print(safe(text), file=sys.stderr)


def guarded(prog: str, body: Callable[[], int]) -> int:
    """Run a tool's body, turning a ToolError into its message and exit status."""
    try:
        return body()
    except ToolError as err:
        if err.message:
            say(f"journey {prog}: {err.message}")
        return err.code


def scenario_path(arg: str) -> Path:
    """The file a SCENARIO argument names: a path, or `builtin:NAME`."""
    path = resources.resolve(arg)
    if path is None:
        known = ", ".join(f"builtin:{n}" for n in resources.builtin_scenarios()) or "none"
        name = arg.removeprefix(resources.BUILTIN_PREFIX)
        raise ToolError(f"no built-in scenario is called `{name}` (built-in: {known})")
    if path.is_dir():
        mains = sorted(p.name for p in path.glob("*.y*ml") if p.is_file())
        hint = f", such as {display_path(str(path / mains[0]))}" if mains else ""
        raise ToolError(f"{arg} is a folder; give a scenario file{hint}")
    if not path.exists():
        raise ToolError(f"no such file: {arg}")
    return path


def load_scenario(arg: str) -> Scenario:
    """The checked scenario, or a ToolError (exit 1) after printing its errors
    the way `journey validate` does."""
    path = scenario_path(arg)
    loaded = load(path)
    if loaded.scenario is not None:
        return loaded.scenario
    items = loaded.diagnostics.sorted()
    for d in items:
        say(d.format())
    errors = len(loaded.diagnostics.errors)
    shown = display_path(str(path))
    say(
        f"{shown}: {errors} error{'' if errors == 1 else 's'}; fix "
        f"{'it' if errors == 1 else 'them'} and run this again "
        f"(`journey validate {shown}` checks the file)"
    )
    raise ToolError("", EXIT_ERRORS)


def check_writable(output: str) -> Path:
    """The output path, after checking that a file can be written there."""
    path = Path(output)
    if path.is_dir():
        raise ToolError(f"{output} is a folder; give a file name inside it")
    parent = path.parent
    if parent.exists() and not parent.is_dir():
        raise ToolError(f"cannot write {output}: {display_path(str(parent))} is a file, not a folder")
    if not parent.is_dir():
        raise ToolError(
            f"cannot write {output}: the folder {display_path(str(parent))} "
            "does not exist (create it first, or choose another place)"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise ToolError(f"cannot write {output}: the file is read-only")
    return path


def write_text(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write UTF-8 text with newline endings; with `exclusive`, never over a
    file, and no half-written new file is left behind when writing fails."""
    created = False
    try:
        with open(path, "x" if exclusive else "w", encoding="utf-8", newline="\n") as out:
            created = exclusive
            out.write(safe(text))
    except FileExistsError:
        raise ToolError(f"{path} already exists") from None
    except OSError as exc:
        if created:
            with contextlib.suppress(OSError):
                path.unlink()
        raise ToolError(f"cannot write {path}: {exc.strerror or exc}") from None


def emit(text: str, output: str | None, prog: str, what: str, *, keep: Iterable[str] = ()) -> int:
    """Write `text` to the file `output`, or to standard output when None.
    Never over one of the files in `keep` (the scenario the text came from)."""
    if output is None:
        _print(text)
        return EXIT_OK
    path = check_writable(output)
    target = os.path.realpath(path)
    if any(os.path.realpath(k) == target for k in keep):
        raise ToolError(f"{output} is the scenario itself; give another file name")
    write_text(path, text)
    say(f"journey {prog}: wrote {what} to {output}")
    return EXIT_OK


def _print(text: str) -> None:
    """Print even where the terminal cannot show every character."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "ascii"
        sys.stdout.write(text.encode(encoding, "replace").decode(encoding))
    sys.stdout.flush()
