"""Non-interactive commands and the engine never import Textual, so they start fast.

Checked in fresh interpreters: `-X importtime` lists every module imported,
and the start is timed against a bare `python -c pass` on the same machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"
UI_PACKAGES = ("textual", "rich", "journey.app")


def imported(code: str, *args: str) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    """The modules a fresh interpreter imports to run `code`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPROFILEIMPORTTIME"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    modules = [
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    assert modules, done.stderr
    return modules, done


def ui_modules(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in UI_PACKAGES or m.startswith(UI_PACKAGES)]


def test_the_check_sees_textual() -> None:
    """The check itself can fail: importing the app is seen."""
    modules, _ = imported("import journey.app")
    assert "textual" in ui_modules(modules) and "journey.app" in modules


def test_validate_never_imports_textual(tmp_path: Path) -> None:
    modules, done = imported(
        "import sys; from journey.cli import main; sys.exit(main(['validate', sys.argv[1]]))", str(WINTER)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "journey.tools.validate" in modules and "journey.engine.explore" in modules
    assert ui_modules(modules) == []


def test_engine_scenario_saves_and_plain_never_import_textual() -> None:
    modules, done = imported(
        "import journey.scenario, journey.engine, journey.saves, "
        "journey.resources, journey.launch, journey.play, journey.plain, journey.cli, "
        "journey.tools.validate"
    )
    assert done.returncode == 0, done.stderr
    assert "journey.engine.core" in modules
    assert ui_modules(modules) == []


def test_plain_play_never_imports_textual(tmp_path: Path) -> None:
    code = (
        "import sys; from journey.cli import main; "
        "sys.exit(main(['play', '--plain', '--seed', '1', '--persona', 'student', "
        "sys.argv[1]]))"
    )
    env = {**os.environ, "JOURNEY_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, str(WINTER)],
        input="\n3\n2\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Back in the village" in done.stdout
    modules = [
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    ]
    assert "journey.plain" in modules
    assert ui_modules(modules) == []


def _best_of(command: list[str], runs: int = 3) -> float:
    """The command's least CPU time (user and system) over `runs` runs: unlike
    the time on the clock, it does not grow while other processes (the other
    test workers) have the cores."""
    best = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, capture_output=True, timeout=60, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best


def test_validate_starts_fast(journey_exe: str, record_property: pytest.RecordProperty) -> None:
    """`journey validate` on the example, best of three, against a bare interpreter
    (about 0.1 s and 0.02 s of CPU on a laptop). The bounds are loose for slow CI
    machines: the import checks above are what keep Textual out."""
    bare = _best_of([sys.executable, "-c", "pass"])
    validate = _best_of([journey_exe, "validate", str(WINTER)])
    record_property("validate_seconds", round(validate, 3))
    record_property("bare_python_seconds", round(bare, 3))
    print(f"journey validate: {validate * 1000:.0f} ms (bare python: {bare * 1000:.0f} ms)")
    assert validate < 1.0
    assert validate - bare < 0.5


def _lint_imports(root: Path, config: Path) -> subprocess.CompletedProcess[str]:
    """import-linter in a fresh interpreter, finding the package under `root`."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True))",
            str(config),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=120,
        check=False,
    )


def test_the_layers_contract_holds() -> None:
    """The static twin of the run-time checks above: pyproject.toml's import-linter
    `layers` contract (scenario -> engine -> saves/transcript -> front ends and
    tools), every import counted, including those inside functions."""
    root = Path(__file__).resolve().parents[1]
    if not (root / "pyproject.toml").is_file():
        pytest.skip("not a source tree")
    done = _lint_imports(root / "src", root / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_the_layers_contract_can_fail(tmp_path: Path) -> None:
    package = tmp_path / "layered"
    for name, body in {"__init__": "", "scenario": "from . import engine\n", "engine": ""}.items():
        package.mkdir(exist_ok=True)
        (package / f"{name}.py").write_text(body)
    config = tmp_path / "contract.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "layered"\n\n'
        '[[tool.importlinter.contracts]]\nname = "down"\ntype = "layers"\n'
        'containers = ["layered"]\nlayers = ["engine", "scenario"]\n'
    )
    done = _lint_imports(tmp_path, config)
    assert done.returncode != 0 and "layered.scenario -> layered.engine" in done.stdout


def test_the_app_starts_without_loader_or_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the first frame needs, and no more (docs/architecture.md, Speed): a
    cached scenario is read without the YAML loader and its checks, and the
    screens that bring Markdown (markdown-it, Pygments) are imported when first
    shown, not with the app."""
    monkeypatch.setenv("JOURNEY_HOME", str(tmp_path))
    code = "import journey.app, journey.launch; journey.launch.open_session(None, resume=False)"
    first, done = imported(code)  # no cache yet: the scenario is loaded and checked
    assert done.returncode == 0, done.stderr
    assert "journey.scenario.loader" in first and "yaml" in first
    modules, done = imported(code)  # read from the cache
    assert done.returncode == 0, done.stderr
    assert "journey.app.app" in modules and "journey.scenario.cache" in modules
    heavy = ("yaml", "journey.scenario.loader", "markdown_it", "pygments", "textual.widgets._markdown")
    assert [m for m in modules if m.split(".")[0] in heavy or m in heavy] == []
    assert "journey.app.screens.scene" not in modules and "journey.app.screens.ending" not in modules
    assert [m for m in modules if m.startswith("journey.engine")] == []  # Session.engine: made at Begin
    rules = ("journey.scenario.model", "journey.scenario.expr", "journey.scenario.diagnostics")
    assert [m for m in modules if m in rules] == []  # the notes are drawn from the cached cover


def test_the_first_frame_needs_no_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app shows the built-in scenario's notes without importing the engine
    or the scenario's model (the notes come from the cached cover); they come a
    second later, with the play screens, and then it plays."""
    monkeypatch.setenv("JOURNEY_HOME", str(tmp_path))
    code = """
import asyncio, sys
from journey.app.app import JourneyApp
from journey.launch import open_session
WATCHED = ("journey.engine.core", "journey.scenario.model")

async def main():
    app = JourneyApp(open_session(None, resume=False))
    async with app.run_test() as pilot:
        await pilot.pause()
        print(type(app.screen).__name__, *(m in sys.modules for m in WATCHED))
        app._import_play_screens()
        print(*(m in sys.modules for m in WATCHED))
        await pilot.press("enter")
        await pilot.pause()
        print(type(app.screen).__name__)

asyncio.run(main())
"""
    warm = "from journey.launch import open_session; open_session(None, resume=False)"
    subprocess.run([sys.executable, "-c", warm], timeout=60, check=True)  # the scenario, checked and kept
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["NotesScreen", "False", "False", "True", "True", "PersonaScreen"]
