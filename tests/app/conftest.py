"""Every app test runs with its own data folder and without NO_COLOR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def journey_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "journey-home"
    monkeypatch.setenv("JOURNEY_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield home
