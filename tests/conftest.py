"""Shared fixtures for the foundation tests (tests/app has its own conftest).

Every test gets its own data folder (JOURNEY_HOME) and runs without NO_COLOR,
so no test reads or writes the real user's saves.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
WINTER = FIXTURES / "winter-pass.yaml"

# `python -m pytest -n auto` (README, .ci/run) keeps xdist's one worker per
# core: measured on 2 cores, 3 workers took 149 s of CPU and 127 s on the clock
# against 131 s and 111 s for 2 (each worker collects the suite and warms up
# Textual again, and the tests' waits are mostly other processes computing).


@pytest.fixture(autouse=True)
def journey_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "journey-home"
    monkeypatch.setenv("JOURNEY_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield home


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a (dedented) text or bytes file under tmp_path; returns its path."""

    def write_file(text: str | bytes, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write_file


@dataclass
class Outcome:
    code: int
    out: str
    err: str


class _Tty(io.StringIO):
    """An output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Outcome]:
    """Run `journey ARGS` in this process with `stdin` as scripted input.

    stdin and stdout are not terminals (so play is plain), unless tty_out.
    """

    def run(*args: str, stdin: str = "", tty_out: bool = False) -> Outcome:
        from journey.cli import main

        out: io.StringIO = _Tty() if tty_out else io.StringIO()
        err = io.StringIO()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        code = main(list(args))
        return Outcome(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture(scope="session")
def journey_exe() -> str:
    """The installed `journey` console script."""
    beside = Path(sys.executable).parent / ("journey.exe" if os.name == "nt" else "journey")
    found = str(beside) if beside.exists() else shutil.which("journey")
    if not found:
        pytest.fail("the `journey` command is not installed beside this Python")
    return found


@pytest.fixture
def run_exe(journey_exe: str, journey_home: Path) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """Run the installed command with scripted input; output as bytes."""

    def run(
        *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        full_env.update({"JOURNEY_HOME": str(journey_home), **(env or {})})
        return subprocess.run(
            [journey_exe, *args],
            input=stdin.encode(),
            capture_output=True,
            env=full_env,
            cwd=cwd,
            timeout=60,
            check=False,
        )

    return run
