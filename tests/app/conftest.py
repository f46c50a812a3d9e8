"""Every app test runs with its own data folder and without NO_COLOR."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
import textual.app
import textual.pilot
from quiet import wait_for_quiet


@pytest.fixture(autouse=True)
def journey_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "journey-home"
    monkeypatch.setenv("JOURNEY_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield home


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (no extra plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(autouse=True)
def quiet_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot's waits (press, pause, click, resize, the snapshots') ask the app
    whether it is done instead of sleeping until the CPU looks idle (quiet.py)."""
    monkeypatch.setattr(textual.pilot, "wait_for_idle", wait_for_quiet)
    monkeypatch.setattr(textual.app, "wait_for_idle", wait_for_quiet)
