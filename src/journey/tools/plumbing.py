"""What the educator tools share: loading the scenario they were given, and
writing what they make to a file or to standard output, with a clear message
(never a traceback) when a path is wrong."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import resources
from ..exit_codes import EXIT_ERRORS, EXIT_OK, EXIT_USAGE
from ..scenario import Scenario, load
from ..scenario.loader import display_path
from ..scenario.text import printable
from ..scenario.yamlnodes import read_regular


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
    """A message for the user, on standard error, with control characters made
    visible (a path or a scenario's words may hold terminal escapes)."""
    print(printable(safe(text)), file=sys.stderr)


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
    if path.exists() and not path.is_file():
        raise ToolError(f"cannot write {output}: it is not a regular file (a pipe, a device or a socket)")
    if path.exists() and not os.access(path, os.W_OK):
        raise ToolError(f"cannot write {output}: the file is read-only")
    return path


def check_output(output: str, keep: Iterable[str | os.PathLike[str]] = (), save: Path | None = None) -> Path:
    """check_writable, and the protection every generated output gets: never
    over a file it was made from (`keep`: the scenario and its includes, the
    save), even through a symbolic or hard link; never over a journey save or
    a scenario file (outputs are reports, never scenarios or saves)."""
    path = check_writable(output)
    if not path.exists():
        return path
    for kept, what in [*((k, "the scenario itself") for k in keep), *([(save, "the save")] if save else [])]:
        with contextlib.suppress(OSError):
            if os.path.samefile(path, kept):
                raise ToolError(f"{output} is {what}; give another file name")
    kind = _precious(path)
    if kind:
        raise ToolError(f"{output} is {kind}; it is never overwritten, give another file name")
    return path


def _precious(path: Path) -> str:
    """What an existing file is, when it must not be overwritten by an output."""
    try:
        head = read_regular(str(path), 4096).decode("utf-8", "replace")
    except OSError:
        return ""
    if '"journey_save"' in head:
        return "a saved journey"
    if head.startswith("SQLite format 3"):
        return "a database (such as the class record)"
    if path.suffix.lower() in (".yaml", ".yml") and any(
        line.startswith(("format:", "scenes:")) for line in head.splitlines()
    ):
        return "a scenario file"
    return ""


def write_text(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write UTF-8 text with newline endings; with `exclusive`, never over a
    file. No half-written file is ever left behind, and an existing file is
    replaced, not written through (so a hard link to it keeps its text)."""
    if exclusive:
        _write_new(path, text)
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    except OSError as exc:
        raise ToolError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(safe(text))
        os.chmod(tmp, _new_file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ToolError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_new(path: Path, text: str) -> None:
    created = False
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as out:
            created = True
            out.write(safe(text))
    except FileExistsError:
        raise ToolError(f"{path} already exists") from None
    except OSError as exc:
        if created:
            with contextlib.suppress(OSError):
                path.unlink()
        raise ToolError(f"cannot write {path}: {exc.strerror or exc}") from None


def _new_file_mode(path: Path) -> int:
    """The mode the file had, or what the umask gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def emit(
    text: str,
    output: str | None,
    prog: str,
    what: str,
    *,
    keep: Iterable[str | os.PathLike[str]] = (),
    save: Path | None = None,
) -> int:
    """Write `text` to the file `output`, or to standard output when None.
    Never over one of the files in `keep` (what the text was made from), a
    save or a scenario (see check_output)."""
    if output is None:
        _print(text)
        return EXIT_OK
    path = check_output(output, keep, save)
    write_text(path, text)
    say(f"journey {prog}: wrote {what} to {output}")
    return EXIT_OK


def _print(text: str) -> None:
    """Print even where the terminal cannot show every character; never a
    control character (what tools print comes from untrusted scenarios)."""
    text = printable(safe(text))
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "ascii"
        sys.stdout.write(text.encode(encoding, "replace").decode(encoding))
    sys.stdout.flush()
