"""Hostile input: every case of the YAML test suite (tests/corpus/yaml-test-suite,
copied from the suite's data branch: `in.yaml` per case, `error` marks input a
YAML 1.2 parser must reject) gives clean diagnostics, never a traceback or a hang.

The cases run in a child process with a time limit, so a hang fails the tests
(naming the case) instead of stalling the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from journey.scenario import CODES

CORPUS = Path(__file__).parent / "corpus" / "yaml-test-suite"
CASES = sorted(p.parent.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("in.yaml"))
TIME_LIMIT = 60
# one xdist worker runs them all, so each parser's child process runs once
pytestmark = pytest.mark.xdist_group("yaml-corpus")

# Loads each case, printing one JSON line per case as it goes.
CHILD = r"""
import json, sys, traceback
from pathlib import Path
import yaml
from journey.scenario import yamlnodes
from journey.tools.validate import check_file
if sys.argv[1] == "pure-python":
    yamlnodes._Loader = yaml.SafeLoader
corpus = Path(sys.argv[2])
for case in sys.argv[3:]:
    try:
        items = [d.to_json() for d in check_file(corpus / case / "in.yaml", 1000)]
        out = {"case": case, "diagnostics": items}
    except BaseException:
        out = {"case": case, "traceback": traceback.format_exc()}
    print(json.dumps(out), flush=True)
"""


@pytest.fixture(scope="module", params=["libyaml", "pure-python"])
def results(request: pytest.FixtureRequest) -> dict[str, dict[str, Any]]:
    """Each case's diagnostics, from PyYAML's C parser and from its pure one."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, request.param, str(CORPUS), *CASES],
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT,
            check=False,
        )
        stdout = done.stdout
    except subprocess.TimeoutExpired as exc:
        partial = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        count = len(partial.splitlines())
        pytest.fail(f"loading hung on the case {CASES[count]} (no answer in {TIME_LIMIT} s)")
    lines = [json.loads(line) for line in stdout.splitlines()]
    assert len(lines) == len(CASES), done.stderr
    return {r["case"]: r for r in lines}


def test_corpus_is_complete() -> None:
    assert len(CASES) == 402
    invalid = [c for c in CASES if (CORPUS / c / "error").exists()]
    assert len(invalid) == 94


@pytest.mark.parametrize("case", CASES)
def test_case_gives_clean_diagnostics(results: dict[str, dict[str, Any]], case: str) -> None:
    result = results[case]
    assert "traceback" not in result, result.get("traceback")
    diagnostics = result["diagnostics"]
    # None of them is a scenario, so each must say why not; a case that YAML
    # itself rejects must not pass as playable either.
    assert any(d["severity"] == "error" for d in diagnostics), diagnostics
    for d in diagnostics:
        assert d["code"] in CODES
        assert d["line"] >= 1 and d["col"] >= 1, d
        assert d["message"] and d["hint"], d
        assert d["path"].endswith("in.yaml")


def test_invalid_yaml_is_mostly_reported_as_yaml(results: dict[str, dict[str, Any]]) -> None:
    """PyYAML reads YAML 1.1 and accepts some of what 1.2 rejects, but most
    invalid cases must be reported as YAML problems, not as schema problems."""
    invalid = [c for c in CASES if (CORPUS / c / "error").exists()]
    as_yaml = [
        c for c in invalid if any(d["code"] in ("E101", "E102", "E103") for d in results[c]["diagnostics"])
    ]
    assert len(as_yaml) >= 0.8 * len(invalid), sorted(set(invalid) - set(as_yaml))


def test_whole_corpus_through_the_command(run_exe: Any) -> None:
    paths = [str(CORPUS / c / "in.yaml") for c in CASES]
    done = run_exe("validate", "--format", "json", *paths)
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert len(report["files"]) == len(CASES)
    assert report["errors"] >= len(CASES)
    assert {Path(d["path"]).parent.name for d in report["diagnostics"]} >= {Path(c).name for c in CASES}
