"""The wheel ships the built-in scenarios and the installed package finds them.

A wheel is built from the source tree, unzipped, and run with only the unzipped
wheel (and the folders holding its dependencies) on the path, with `-S` so no
installed copy of journey (editable or not) can answer instead. Skipped only
when the wheel cannot be built for want of a network (CI has one).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import platformdirs
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("wheel")  # one xdist worker: the wheel is built once
OFFLINE_SIGNS = (
    "Could not find a version",
    "No matching distribution",
    "Failed to establish",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ProxyError",
    "Max retries exceeded",
)


def _build(out: Path) -> Path:
    command = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")  # the backend is here: no network needed
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        if any(sign in done.stderr for sign in OFFLINE_SIGNS):
            pytest.skip("cannot build a wheel offline: " + done.stderr.strip()[-300:])
        pytest.fail("building the wheel failed:\n" + done.stderr)
    [wheel] = out.glob("journey-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / "pyproject.toml").is_file():
        pytest.skip("not a source tree")
    return _build(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def unzipped(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(folder)
    return folder


def run_from(unzipped: Path, home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Python with only the unzipped wheel and the dependencies' folders on its path."""
    deps = {str(Path(m.__file__).resolve().parents[1]) for m in (yaml, platformdirs)}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=os.pathsep.join([str(unzipped), *sorted(deps)]), JOURNEY_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-S", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=home.parent,
        timeout=120,
        check=False,
    )


def test_wheel_holds_the_scenarios(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    shipped = {n for n in names if n.startswith("journey/scenarios/north-korea/") and n.endswith(".yaml")}
    assert "journey/scenarios/north-korea/north-korea.yaml" in shipped
    in_tree = {
        "journey/scenarios/" + p.relative_to(ROOT / "scenarios").as_posix()
        for p in (ROOT / "scenarios").rglob("*.yaml")
    }
    assert in_tree <= names, in_tree - names
    assert {
        "journey/cli.py",
        "journey/__main__.py",
        "journey/tools/validate.py",
        "journey/engine/core.py",
        "journey/scenario/loader.py",
    } <= names
    assert "journey = journey.cli:main" in scripts
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_unzipped_wheel_finds_its_own_scenarios(unzipped: Path, tmp_path: Path) -> None:
    done = run_from(
        unzipped,
        tmp_path / "home",
        "-c",
        "import json, journey, sys; from journey import resources as r; "
        "print(json.dumps([journey.__file__, str(r.scenarios_dir()), "
        "{k: str(v) for k, v in r.builtin_scenarios().items()}, "
        "'textual' in sys.modules]))",
    )
    assert done.returncode == 0, done.stderr
    module, folder, found, textual = json.loads(done.stdout)
    package = (unzipped / "journey").resolve()
    assert Path(module).resolve().parent == package
    assert Path(folder).resolve() == package / "scenarios"
    assert Path(found["north-korea"]).resolve() == (
        package / "scenarios" / "north-korea" / "north-korea.yaml"
    )
    assert textual is False


def test_unzipped_wheel_validates_the_builtin(unzipped: Path, tmp_path: Path) -> None:
    done = run_from(
        unzipped,
        tmp_path / "home",
        "-m",
        "journey",
        "validate",
        "--format",
        "json",
        "--max-states",
        "2000",
        "builtin:north-korea",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["errors"] == 0
    [shipped] = report["files"]
    assert Path(shipped).resolve().is_relative_to(unzipped.resolve())


def test_unzipped_wheel_plays_and_resumes(unzipped: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = run_from(unzipped, home, "-m", "journey", "play", "--plain", "--seed", "1", stdin="\n1\n")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "Press Enter or y to begin, q to quit" in done.stdout
    assert "Traceback" not in done.stdout
    [save] = (home / "saves").glob("*.json")
    assert json.loads(save.read_text("utf-8"))["scenario"] == "builtin:north-korea"
    again = run_from(unzipped, home, "-m", "journey", "play", "--plain", "--continue")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Continuing your journey in ")


def _setup_commands() -> list[str]:
    """The shell commands of README's "Set up" section, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Set up\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_readme_setup_works_without_a_system_install() -> None:
    # PEP 668 systems (Debian, Ubuntu) refuse pip installs outside a virtual environment.
    play, tests = _setup_commands()
    for command in (play, tests):
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && python -m pip install ")
    assert play.endswith("&& journey")
    assert "python -m pytest -n auto" in tests  # pytest-xdist, from the test extra


def test_ci_runs_exactly_readmes_test_command_after_the_static_checks() -> None:
    if not (ROOT / ".ci" / "run").is_file():
        pytest.skip("not a source tree")
    _, tests = _setup_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci
    assert tests.index(".ci/lint") < tests.index("pytest")
    lint = (ROOT / ".ci" / "lint").read_text(encoding="utf-8")
    for check in ("ruff check src tests benchmarks", "ruff format --check src tests benchmarks", "mypy"):
        assert check in lint
    assert os.access(ROOT / ".ci" / "lint", os.X_OK)
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "[tool.mypy]" in project
    assert "check_untyped_defs = true" in project
    assert "warn_unused_ignores = true" in project
