"""Random input never makes `validate` raise or hang: random bytes, random YAML
documents built from the format's own words, and random edits of the example
scenario (which reach the deeper checks: expressions, names, reachability)."""

from __future__ import annotations

import random
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journey.tools.validate import run

WINTER_TEXT = (Path(__file__).parent / "fixtures" / "winter-pass.yaml").read_text("utf-8")
WINTER_LINES = WINTER_TEXT.splitlines()
WORDS = sorted({w for w in WINTER_TEXT.replace(":", " ").split() if w.isidentifier()})
FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LIMIT_SECONDS = 5


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail instead of hanging (POSIX; elsewhere the suite's own timeout applies)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TimeoutError(f"validate took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def validate(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    with time_limit(LIMIT_SECONDS):
        code = run([str(path)], max_states=2000)
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert err == ""
    assert out.splitlines()[-1].startswith("1 file checked: ")
    return out


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(raw)
    validate(path, capsys)


KEYS = [
    "format",
    "id",
    "title",
    "route",
    "endings",
    "start",
    "scenes",
    "variables",
    "personas",
    "sources",
    "include",
    "stage",
    "text",
    "choices",
    "goto",
    "roll",
    "weight",
    "if",
    "set",
    "add",
    "once",
    "show_locked",
    "locked_text",
    "ending",
    "kind",
    "facts",
    "source",
    "min",
    "max",
    "shown",
    "label",
    "name",
    "discussion",
    "glossary",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 12),
    st.sampled_from(WORDS),
    st.sampled_from(
        [
            "money >= 15",
            "not has_map",
            'visits("bulletin") > 0',
            "1 +",
            "warmth and 3",
            "{name}",
            "safe",
            "hard",
            "1",
            "a: b",
            "../x.yaml",
            "winter-pass.yaml",
            "\x1b[31m",
        ]
    ),
    st.text(max_size=8),
)
documents = st.recursive(
    scalars,
    lambda c: st.one_of(
        st.lists(c, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.sampled_from(WORDS)), c, max_size=5),
    ),
    max_leaves=25,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), documents, max_size=8))
def test_random_yaml_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: dict[str, Any]
) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump({"format": 1, **document}, allow_unicode=True), encoding="utf-8")
    validate(path, capsys)


def mutate(rng: random.Random, lines: list[str], edits: int) -> str:
    lines = list(lines)
    for _ in range(edits):
        i = rng.randrange(len(lines))
        kind = rng.randrange(5)
        if kind == 0 and len(lines) > 1:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif kind == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3:
            words = lines[i].split(" ")
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            lines[i] = " ".join(words)
        else:
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = (
                lines[i][:at]
                + rng.choice(["-", ":", "{", "}", "[", "]", "'", '"', "&a", "*a", "!t", "  ", "\t", "#"])
                + lines[i][at:]
            )
    return "\n".join(lines) + "\n"


@FUZZ
@given(st.randoms(use_true_random=False), st.integers(1, 4))
def test_random_edits_of_the_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rng: random.Random, edits: int
) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(mutate(rng, WINTER_LINES, edits), encoding="utf-8")
    validate(path, capsys)


def test_fuzzed_files_through_the_command(tmp_path: Path, run_exe: Callable[..., Any]) -> None:
    rng = random.Random(20240601)
    paths = []
    for i in range(30):
        path = tmp_path / f"f{i:02}.yaml"
        if i % 3 == 0:
            path.write_bytes(rng.randbytes(rng.randrange(1, 300)))
        else:
            path.write_text(mutate(rng, WINTER_LINES, 1 + i % 4), encoding="utf-8")
        paths.append(str(path))
    done = run_exe("validate", "--max-states", "2000", *paths)
    assert done.returncode in (0, 1)
    assert done.stderr == b""
    assert done.stdout.decode().splitlines()[-1].startswith("30 files checked: ")


def test_the_time_limit_works() -> None:
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers here")
    with pytest.raises(TimeoutError), time_limit(0.05):
        while True:
            sys.getrecursionlimit()
