"""The installed `journey` command plays the example to each of its endings in
plain mode from scripted input, and replays byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journey.engine import Engine
from journey.scenario import load

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"


def rescue_seed() -> int:
    """A seed whose first draw sends Ana from the climb to `lost`."""
    loaded = load(WINTER)
    assert loaded.scenario is not None
    engine = Engine(loaded.scenario)
    return next(seed for seed in range(1000) if engine.replay("student", seed, [2, 0]).scene == "lost")


SEED = rescue_seed()
SCRIPTS = {
    # ending id: (stdin, the ending's heading)
    "turned-back": ("\n1\n3\n2\n", "The end: Back in the village (an open ending)"),
    "safe": ("\n2\n2\n2\n1\n", "The end: Warm at the refuge (a safe ending)"),  # Tomas has a map
    "rescued": ("\n1\n3\n1\n1\n", "The end: Carried down by the rescue team (a hard ending)"),
}


@pytest.mark.parametrize("ending", sorted(SCRIPTS))
def test_plays_to_each_ending(run_exe: Callable[..., Any], journey_home: Path, ending: str) -> None:
    stdin, heading = SCRIPTS[ending]
    done = run_exe("play", "--plain", "--seed", str(SEED), str(WINTER), stdin=stdin)
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert heading in out
    assert out.count("The end: ") == 1
    assert "Please type" not in out  # every scripted answer was a valid one
    assert "Your route" in out and "Choices made: " in out
    assert "\x1b" not in out
    save = json.loads((journey_home / "saves" / "winter-pass.json").read_text("utf-8"))
    scene = save["state"]["scene"]
    assert load(WINTER).scenario.scenes[scene].ending == ending  # type: ignore[union-attr]


def test_same_seed_and_input_give_identical_bytes(run_exe: Callable[..., Any], tmp_path: Path) -> None:
    stdin = SCRIPTS["rescued"][0]
    runs = [
        run_exe(
            "play",
            "--plain",
            "--seed",
            str(SEED),
            str(WINTER),
            stdin=stdin,
            env={"JOURNEY_HOME": str(tmp_path / f"home{i}")},
        )
        for i in range(2)
    ]
    assert runs[0].returncode == runs[1].returncode == 0
    assert runs[0].stdout == runs[1].stdout
    assert b"Carried down by the rescue team" in runs[0].stdout
    saved = [(tmp_path / f"home{i}" / "saves" / "winter-pass.json").read_bytes() for i in range(2)]
    assert saved[0] == saved[1]


def test_python_dash_m_is_the_same_command(run_exe: Callable[..., Any], tmp_path: Path) -> None:
    stdin = SCRIPTS["safe"][0]
    script = run_exe("play", "--plain", "--seed", "3", str(WINTER), stdin=stdin)
    module = subprocess.run(
        [sys.executable, "-m", "journey", "play", "--plain", "--seed", "3", str(WINTER)],
        input=stdin.encode(),
        capture_output=True,
        env={**os.environ, "JOURNEY_HOME": str(tmp_path / "m")},
        timeout=60,
        check=False,
    )
    assert module.returncode == 0
    assert module.stdout == script.stdout
