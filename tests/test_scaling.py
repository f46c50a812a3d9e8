"""Checking grows with the file, never faster: large files without aliases load,
and `journey validate` stays within its budgets (CPU and memory) on files up to
the size cap, settling what it can and saying plainly what it could not."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from generate import generate

from journey.engine.reach import reachability
from journey.scenario import load, yamlnodes
from journey.scenario.diagnostics import Diagnostics
from journey.scenario.yamlnodes import MAX_BYTES

CPU_BUDGET = 60.0  # seconds, for any file under the size cap
MEMORY_BUDGET = 500 * 1024 * 1024  # bytes


def test_a_large_file_without_aliases_loads(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(generate(3_000, rich=True), encoding="utf-8")
    assert path.stat().st_size < MAX_BYTES
    loaded = load(path)
    assert not [d.format() for d in loaded.diagnostics.errors]
    assert loaded.scenario is not None and len(loaded.scenario.scenes) == 3_000


def test_values_are_counted_once_not_once_per_level(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 15,000-scene file was refused as an alias bomb: each finished collection
    was counted again at every level above it. Only what aliases repeat counts,
    so with no alias budget at all a file without aliases still parses (a
    smaller file proves it), and one alias in it is refused."""
    monkeypatch.setattr(yamlnodes, "MAX_NODES", 0)
    text = generate(2_000)
    diags = Diagnostics()
    assert yamlnodes.parse(text, "big.yaml", diags) is not None
    assert not diags.items
    aliased = Diagnostics()
    yamlnodes.parse(text + "\nx: &a [1, 2]\ny: *a\n", "big.yaml", aliased)
    assert [d.code for d in aliased.items] == ["E104"]


def run_measured(args: list[str]) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run a command; its CPU seconds and peak memory (bytes) as the OS counts them."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = after.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return done, cpu, peak


@pytest.mark.parametrize("scenes, chain", [(8_000, True), (1_000, False)])
def test_validate_stays_within_its_budgets(
    tmp_path: Path, journey_exe: str, scenes: int, chain: bool
) -> None:
    """A plain chain of 8,000 scenes once took 2.5 GB (every scene reached kept its
    whole route); now each state keeps only its parent."""
    path = tmp_path / "big.yaml"
    path.write_text(generate(scenes, chain=chain), encoding="utf-8")
    done, cpu, peak = run_measured([journey_exe, "validate", str(path)])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert cpu < CPU_BUDGET, cpu
    assert peak < MEMORY_BUDGET, peak
    assert "1 file checked: 0 errors" in done.stdout


def test_long_conditions_on_a_loop_stay_fast(tmp_path: Path) -> None:
    """20 choices with long conditions around one loop once took 24 s."""
    cond = " and ".join(f"n{i} >= 0" for i in range(60))
    choices = "\n".join(
        f"      - {{text: Step {i}, if: '{cond}', add: {{n{i % 20}: 1}}, goto: hub}}" for i in range(20)
    )
    variables = "\n".join(f"  n{i}: {{start: 0, min: 0, max: 1000}}" for i in range(60))
    text = (
        "format: 1\nid: loop\ntitle: Loop\nvariables:\n"
        + variables
        + "\nroute: [{id: r, title: R}]\nendings: {out: {title: Out, kind: safe}}\nstart: hub\n"
        "scenes:\n  hub:\n    stage: r\n    text: Round.\n    choices:\n"
        + choices
        + "\n      - {text: Leave, goto: out}\n  out: {stage: r, ending: out, text: Out.}\n"
    )
    path = tmp_path / "loop.yaml"
    path.write_text(text, encoding="utf-8")
    sc = load(path).scenario
    assert sc is not None
    start = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    found = reachability(sc)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_utime - start < 10
    assert len(found.choices) == 21 and "out" in found.endings and not found.doomed
