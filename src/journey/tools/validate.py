"""`journey validate`: check scenario files the way a compiler checks code."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from ..exit_codes import EXIT_ERRORS, EXIT_OK, EXIT_USAGE
from ..resources import resolve
from ..scenario import load
from ..scenario.diagnostics import Diagnostic, Mark, Severity
from ..scenario.loader import display_path
from ..scenario.text import printable


def scenario_files(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    """The files to check: the paths given, and every scenario file in folders
    (a .yaml/.yml file with a top-level `format:`; included files are checked
    through the file that includes them). Also the paths that do not exist.
    `builtin:NAME` names a built-in scenario, as saves do."""
    files, missing = [], []
    for raw in paths:
        path = resolve(raw) or Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.suffix in (".yaml", ".yml") and found.is_file() and _is_main(found):
                    files.append(found)
        elif path.exists():
            files.append(path)
        else:
            missing.append(raw)
    return files, missing


def _is_main(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return True  # let the loader explain
    return any(line.startswith("format:") for line in head.splitlines())


def check_file(path: Path, max_states: int | None = None) -> list[Diagnostic]:
    """Every diagnostic for one scenario file, reachability warnings included."""
    loaded = load(path)
    items = loaded.diagnostics.sorted()
    if loaded.scenario is not None:
        from ..engine.explore import DEFAULT_MAX_STATES
        from .reachability import check
        from .usage import check_usage

        warnings, _ = check(loaded.scenario, max_states or DEFAULT_MAX_STATES)
        warnings = [*warnings, *check_usage(loaded.scenario)]
        items = sorted({*items, *warnings}, key=loaded.diagnostics.key)
    return items


def run(paths: list[str], strict: bool = False, fmt: str = "text", max_states: int | None = None) -> int:
    files, missing = scenario_files(paths)
    if missing:
        for raw in missing:
            print(printable(f"journey validate: no such file or folder: {raw}"), file=sys.stderr)
        return EXIT_USAGE
    if not files:
        print(
            "journey validate: no scenario files found (a scenario file is a .yaml file "
            "that starts with `format:`)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if max_states is not None and max_states < 1:
        print("journey validate: --max-states must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    report: list[Diagnostic] = []
    for path in files:
        items = check_file(path, max_states)
        if strict:
            items = [_as_error(d) for d in items]
        report.extend(items)
    errors = sum(d.severity is Severity.ERROR for d in report)
    warnings = sum(d.severity is Severity.WARNING for d in report)
    if fmt == "json":
        print(
            json.dumps(
                {
                    "files": [printable(display_path(os.fspath(f))) for f in files],
                    "errors": errors,
                    "warnings": warnings,
                    "diagnostics": [d.to_json() for d in report],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for d in report:
            print(d.format())
        print(_summary(len(files), errors, warnings))
    return EXIT_ERRORS if errors else EXIT_OK


def _as_error(d: Diagnostic) -> Diagnostic:
    if d.severity is not Severity.WARNING:
        return d
    return Diagnostic(d.mark, d.code, d.message + " (an error under --strict)", d.hint, Severity.ERROR)


def _summary(files: int, errors: int, warnings: int) -> str:
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    verdict = "ok" if not errors else "not playable until the errors are fixed"
    return f"{n(files, 'file')} checked: {n(errors, 'error')}, {n(warnings, 'warning')} ({verdict})"


__all__ = ["Mark", "check_file", "run", "scenario_files"]
