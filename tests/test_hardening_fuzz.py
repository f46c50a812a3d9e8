"""Keep it found (issue 13): generated scenarios, then mutated with the payloads
that once broke the game (terminal escapes, %-escaped tags, huge and base-60
numbers, long chains, hostile links), go through validate (text and JSON) and,
when they load, the guide, a random journey in plain mode and its transcript.
Nothing may raise, hang, print a control character or make a link that is not
http(s) or mailto.

Bounded for CI (JOURNEY_FUZZ_EXAMPLES, default 30 per test); docs/testing.md
gives the longer run to do before a release."""

from __future__ import annotations

import io
import json
import os
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate_fuzz import time_limit

from journey import saves
from journey.cli import main
from journey.launch import open_session
from journey.scenario import load
from journey.scenario.links import allowed_url, link_targets
from journey.tools.guide import render
from journey.transcript import transcript

EXAMPLES = int(os.environ.get("JOURNEY_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
PAYLOADS = [
    "\x1b]52;c;SGFja2Vk\x07\x1b[2J",
    "!<tag:x,2000:%1B%5D52%3Bc%3BSGFja2Vk%07> x",
    "0x" + "f" * 400,
    "0b" + "1" * 300,
    "1:" + ":".join(["59"] * 300),
    "+".join(["1"] * 400),
    " and ".join(["a"] * 320),
    "[a](javascript\\:alert(1))",
    "[a][x\\]]\n\n[x\\]]: javascript:alert(1)",
    "> [c]: javascript:alert(1)\n\n[c]",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "\u202eevil",
    "²",
    "9" * 5000,
    "{money}{{}}{",
    "*alias",
    "&anchor",
    "&a [*a, *a]",
]
SLUG = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
TEXT = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=30))


@st.composite
def scenarios(draw: Any) -> dict[str, Any]:
    """A scenario of format 1 as data, valid in shape, with hostile text."""
    ids = draw(st.lists(SLUG, min_size=1, max_size=6, unique=True))
    endings = {"end": {"title": draw(TEXT), "kind": "safe", "debrief": draw(TEXT)}}
    scenes: dict[str, Any] = {}
    for sid in ids:
        targets = st.sampled_from([*ids, "fin"])
        choices = [
            {
                "text": draw(TEXT),
                "goto": draw(targets),
                **(
                    {"if": draw(st.sampled_from(["a", "not a", "n > 2", *PAYLOADS[5:7]]))}
                    if draw(st.booleans())
                    else {}
                ),
                **({"add": {"n": draw(st.integers(-3, 3))}} if draw(st.booleans()) else {}),
            }
            for _ in range(draw(st.integers(1, 3)))
        ]
        scenes[sid] = {"stage": "r", "text": draw(TEXT), "choices": choices}
    scenes["fin"] = {"stage": "r", "ending": "end", "text": draw(TEXT)}
    return {
        "format": 1,
        "id": "fuzz",
        "title": draw(TEXT),
        "summary": draw(TEXT),
        "sources": {
            "s": {"title": draw(TEXT), "url": draw(st.sampled_from(["https://example.org", *PAYLOADS]))}
        },
        "variables": {
            "a": {"start": True},
            "n": {"start": 0, "min": 0, "max": 9, "label": "N", "shown": True},
        },
        "route": [{"id": "r", "title": draw(TEXT), "discussion": [draw(TEXT)]}],
        "endings": endings,
        "start": ids[0],
        "scenes": scenes,
    }


def mutate(text: str, rng: random.Random, times: int) -> str:
    """Edit the YAML as a careless or hostile hand would: payloads pasted into
    lines, lines dropped or doubled, characters inserted."""
    lines = text.split("\n")
    for _ in range(times):
        i = rng.randrange(len(lines))
        kind = rng.randrange(4)
        if kind == 0 and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            lines[i] = f"{key}: {rng.choice(PAYLOADS)}"
        elif kind == 1:
            del lines[i]
        elif kind == 2:
            lines.insert(i, lines[i])
        else:
            pos = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:pos] + rng.choice(PAYLOADS)[:40] + lines[i][pos:]
        if not lines:
            lines = [""]
    return "\n".join(lines)


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    import sys

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        code = main(list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def check(path: Path) -> None:
    with time_limit(20):
        for fmt in ("text", "json"):
            code, out, err = run("validate", "--format", fmt, "--max-states", "500", str(path))
            assert code in (0, 1), err
            assert not CONTROL.search(out + err), (out + err)[:500]
            if fmt == "json":
                json.loads(out)
        scenario = load(path).scenario
        if scenario is None:
            return
        guide = render(scenario)
        assert all(allowed_url(t) for t in link_targets(guide))
        code, out, err = run("play", "--plain", "--seed", "3", str(path), stdin="\n" + "1\n" * 12 + "q\n")
        assert code in (0, 1), err
        assert not CONTROL.search(out + err)
        session = open_session(str(path), resume=True) if saves.for_scenario("fuzz") else None
        if session is not None and session.resume is not None:
            md = transcript(session.engine, session.resume)
            assert all(allowed_url(t) for t in link_targets(md))


@FUZZ
@given(data=scenarios())
def test_generated_scenarios(tmp_path: Path, data: dict[str, Any]) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    check(path)


@FUZZ
@given(data=scenarios(), seed=st.integers(0, 2**32), times=st.integers(1, 6))
def test_mutated_scenarios(tmp_path: Path, data: dict[str, Any], seed: int, times: int) -> None:
    path = tmp_path / "fuzz.yaml"
    text = mutate(yaml.safe_dump(data, allow_unicode=True), random.Random(seed), times)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    check(path)


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (Path(__file__).parent / "regressions").glob("*.yaml"))
)
def test_every_regression_file(name: str) -> None:
    """Each case the hardening issue found stays a file that is checked here."""
    check(Path(__file__).parent / "regressions" / name)
