"""`journey playtest`: random journeys with coverage, the exhaustive search, and
the replay lines both print (each one is played back through plain mode here
to check it leads where the report says)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journey import resources
from journey.engine import Engine
from journey.engine import reach as reach_module
from journey.engine.explore import Search, relevant
from journey.engine.reach import reachability as settle
from journey.scenario import load
from journey.tools.autoplay import exhaustive, random_journeys
from journey.tools.reachability import check as reachability

ROOT = Path(__file__).resolve().parents[2]
WINTER = str(ROOT / "tests" / "fixtures" / "winter-pass.yaml")

# A scenario with every kind of trap: a scene whose only choice can be hidden
# (the cellar, without the key), a loop with a conditional way out that a
# player without the key can never take (the maze), a scene and an ending
# nothing leads to.
TRAP = """\
format: 1
id: trap
title: The Trap
variables:
  key: {start: false}
personas:
  - {id: alex, name: Alex}
  - {id: sam, name: Sam, set: {key: true}}
route:
  - {id: house, title: The house}
endings:
  out: {title: Outside, kind: safe}
  never: {title: Never, kind: hard}
start: hall
scenes:
  hall:
    stage: house
    text: A hall.
    choices:
      - text: Take the key
        once: true
        set: {key: true}
        goto: hall
      - text: Go down to the cellar
        goto: cellar
      - text: Walk into the maze
        goto: maze-a
      - text: Leave
        if: key
        goto: door
  cellar:
    stage: house
    text: A cellar.
    choices:
      - text: Open the cellar door
        if: key
        goto: door
  maze-a:
    stage: house
    text: Walls.
    choices:
      - text: Left
        goto: maze-b
  maze-b:
    stage: house
    text: More walls.
    choices:
      - text: Right
        goto: maze-a
      - text: Unlock the gate
        if: key
        goto: door
  door:
    stage: house
    ending: out
    text: Out.
  attic:
    stage: house
    ending: never
    text: Nobody comes here.
"""


@pytest.fixture
def trap(tmp_path: Path) -> str:
    path = tmp_path / "trap.yaml"
    path.write_text(TRAP, encoding="utf-8")
    return str(path)


def scenario_file(tmp_path: Path, text: str, name: str = "s.yaml") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def as_json(cli: Callable[..., Any], *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("playtest", *args, "--format", "json")
    return result.code, json.loads(result.out)


def replay(cli: Callable[..., Any], shown: dict[str, Any]) -> str:
    """Play a reported journey back in plain mode, as an author would paste it."""
    words = shlex.split(shown["command"])
    assert words[:2] == ["journey", "play"] and "--plain" in words
    result = cli(*words[1:], stdin=shown["input"])
    assert result.code == 0, result.err
    return result.out


# -- random journeys ------------------------------------------------------------------
def test_random_report_on_winter_pass(cli: Callable[..., Any]) -> None:
    result = cli("playtest", WINTER, "--random", "300", "--seed", "7")
    assert result.code == 0, result.err
    out = result.out
    assert "300 random journeys (seed 7), each persona in turn (student, shepherd)" in out
    assert "Endings: 3 of 3 reached" in out
    assert "Scenes: 8 of 8 reached" in out
    assert "Choices: 9 of 10 taken" in out
    # the never-taken choice is listed first in its section, with where it is
    section = out[out.index("Choices:") : out.index("Fact cards:")]
    never = section.index("never taken:")
    assert section.index('choice 2 of `lost` "Keep walking downhill"') > never
    assert section.index("winter-pass.yaml:147:9") < section.index("taken in how many")
    assert "Fact cards: 2 of 2 met" in out
    assert "shortest: 2 choices, to the ending `turned-back`" in out
    assert "No problems" in out


def test_random_is_deterministic_for_a_seed(cli: Callable[..., Any]) -> None:
    first = cli("playtest", WINTER, "--random", "50", "--seed", "3").out
    assert cli("playtest", WINTER, "--random", "50", "--seed", "3").out == first
    assert cli("playtest", WINTER, "--random", "50", "--seed", "4").out != first
    _, one = as_json(cli, WINTER, "--random", "50", "--seed", "3")
    _, two = as_json(cli, WINTER, "--random", "50", "--seed", "3")
    assert one == two


def test_random_json_shape_and_replays(cli: Callable[..., Any]) -> None:
    code, data = as_json(cli, WINTER, "--random", "200")
    assert code == 0
    assert data["mode"] == "random" and data["journeys"] == 200 and data["problems"] == 0
    assert {e["id"]: e["journeys"] > 0 for e in data["endings"]} == {
        "safe": True,
        "turned-back": True,
        "rescued": True,
    }
    assert sum(e["journeys"] for e in data["endings"]) == data["ended"] == 200
    never = [c for c in data["choices"] if c["journeys"] == 0]
    assert [(c["scene"], c["choice"], c["line"]) for c in never] == [("lost", 2, 147)]
    for which in ("shortest", "longest"):
        journey = data[which]
        shown = replay(cli, journey["replay"])
        title = {
            "safe": "Warm at the refuge",
            "turned-back": "Back in the village",
            "rescued": "Carried down by the rescue team",
        }[journey["ending"]]
        assert f"The end: {title}" in shown
        assert f"Choices made: {journey['choices']}" in shown
    assert data["shortest"]["choices"] <= data["mean_choices"] <= data["longest"]["choices"]


def test_a_built_in_scenario_replays_by_name_from_anywhere(cli: Callable[..., Any]) -> None:
    code, data = as_json(cli, "builtin:north-korea", "--random", "20")
    assert code == 0, data["problems"]
    journey = data["shortest"]
    assert journey["replay"]["command"].startswith("journey play builtin:north-korea --plain")
    ending = next(e for e in data["endings"] if e["id"] == journey["ending"])
    assert f"The end: {ending['title']}" in replay(cli, journey["replay"])


def test_every_persona_takes_its_turn(cli: Callable[..., Any]) -> None:
    _, data = as_json(cli, WINTER, "--random", "7")
    assert data["personas"] == {"student": 4, "shepherd": 3}
    sc = load(WINTER).scenario
    assert sc is not None
    report = random_journeys(Engine(sc), 20, seed=1)
    assert report.personas == {"student": 10, "shepherd": 10}
    # the shepherd has a map from the start: the hut's choice shows up in coverage
    assert report.choices[("the-climb", 1)] > 0


def test_random_finds_stuck_and_looping_journeys(cli: Callable[..., Any], trap: str) -> None:
    result = cli("playtest", trap, "--random", "200", "--max-steps", "40")
    assert result.code == 1
    out = result.out
    assert 'never reached:\n    `never` "Never" (hard)' in out
    assert "stuck in `cellar`, where every choice was hidden" in out
    assert "went on past 40 choices without an ending, circling through `maze-a`, `maze-b`" in out
    code, data = as_json(cli, trap, "--random", "200", "--max-steps", "40")
    assert code == 1 and data["problems"] > 0
    stuck = data["stuck"][0]
    assert stuck["scene"] == "cellar"
    assert stuck["shortest"]["replay"]["choices"] == [2]
    assert "There is no way on from here" in replay(cli, stuck["shortest"]["replay"])
    looped = data["looped"][0]
    assert looped["choices"] == 40
    assert "More walls." in replay(cli, looped["replay"])


# -- the exhaustive search ------------------------------------------------------------
def test_exhaustive_on_winter_pass(cli: Callable[..., Any]) -> None:
    result = cli("playtest", WINTER, "--exhaustive")
    assert result.code == 1  # the choice that can never be taken
    out = result.out
    assert "Searched every reachable state" in out and "bound of 50,000" in out
    assert "Scenes: all 8 reachable" in out
    assert "Endings: all 3 reachable" in out
    assert "Dead ends: none" in out
    assert "Choices: 9 of 10 can be taken" in out
    assert ('winter-pass.yaml:147:9: choice 2 of `lost` ("Keep walking downhill") can never be taken') in out
    assert "1 problem:" in out


def test_exhaustive_routes_replay_even_through_rolls(cli: Callable[..., Any]) -> None:
    code, data = as_json(cli, WINTER, "--exhaustive")
    assert code == 1
    titles = {
        "safe": "Warm at the refuge",
        "turned-back": "Back in the village",
        "rescued": "Carried down by the rescue team",
    }
    for ending in data["endings"]:
        shown = ending["shortest"]
        assert ending["reached"] and shown["seed"] is not None
        assert f"The end: {titles[ending['id']]}" in replay(cli, shown)
    rescued = next(e for e in data["endings"] if e["id"] == "rescued")["shortest"]
    assert "lost" in rescued["rolls"]  # the roll that has to go the hard way is noted
    [problem] = data["problems"]
    assert problem["kind"] == "choice-never-taken" and problem["line"] == 147
    assert "The boot prints end in fresh snow" in replay(cli, problem["shortest"])


def test_exhaustive_finds_the_soft_lock_and_the_trap(cli: Callable[..., Any], trap: str) -> None:
    result = cli("playtest", trap, "--exhaustive")
    assert result.code == 1
    out = result.out
    assert "no journey reaches the scene `attic`" in out
    assert "no journey reaches the ending `never`" in out
    stuck = out.index("every choice of the scene `cellar` can be hidden at once")
    assert "--persona alex  # then choose 2\n" in out[stuck:]  # the shortest way there
    assert "the scene `maze-a` can be reached in a state from which no ending" in out
    code, data = as_json(cli, trap, "--exhaustive")
    assert code == 1
    kinds = [p["kind"] for p in data["problems"]]
    assert kinds == ["unreachable-scene", "unreachable-ending", "stuck", "no-ending", "no-ending"]
    by_kind = {p["kind"]: p for p in data["problems"]}
    assert by_kind["stuck"]["shortest"]["choices"] == [2]
    assert "There is no way on from here" in replay(cli, by_kind["stuck"]["shortest"])
    maze = [p for p in data["problems"] if p["kind"] == "no-ending"]
    assert [p["shortest"]["choices"] for p in maze] == [[3], [3, 1]]


def test_exhaustive_agrees_with_the_validator(trap: str) -> None:
    sc = load(trap).scenario
    assert sc is not None
    warnings, _ = reachability(sc)
    report = exhaustive(Engine(sc), 50_000)
    assert {d.code for d in warnings} == {"W210", "W211", "W212", "W216"}
    assert {d.mark for d in warnings if d.code == "W216"} == {
        f.mark for f in report.findings if f.kind == "stuck"
    }


def test_a_bounded_search_says_so_and_claims_only_what_it_proved(cli: Callable[..., Any]) -> None:
    result = cli("playtest", WINTER, "--exhaustive", "--max-states", "5")
    out = result.out
    assert "could not be settled within the budget of 5 states" in out
    assert "not settled" in out
    assert "no journey reaches" not in out  # unsettled is never reported as unreachable
    code, data = as_json(cli, WINTER, "--exhaustive", "--max-states", "5")
    assert code == result.code
    assert data["complete"] is False and data["states"] == 5 and data["max_states"] == 5
    assert data["unsettled"]
    # what is claimed is proved: here at most the choice that can never be open
    assert {p["kind"] for p in data["problems"]} <= {"choice-never-taken"}
    assert all(p["line"] == 147 for p in data["problems"])


def test_exhaustive_and_random_agree(trap: str) -> None:
    for path in (WINTER, trap):
        sc = load(path).scenario
        assert sc is not None
        engine = Engine(sc)
        found = settle(sc)
        assert found.complete and found.exact
        walked = random_journeys(engine, 400, seed=11, max_steps=60)
        assert set(walked.scenes) <= set(found.scenes)
        assert set(walked.endings) <= set(found.endings)
        assert set(walked.choices) <= set(found.choices)
        if path == WINTER:  # small enough for random play to see everything
            assert set(walked.scenes) == set(found.scenes)
            assert set(walked.endings) == set(found.endings)
            assert set(walked.choices) == set(found.choices)


def test_variables_that_only_change_words_do_not_multiply_states(tmp_path: Path) -> None:
    # `steps` grows without bound but only shows in the text, and `noise` is set
    # from `steps`; `gate` is read by a condition, and set from `count`, which is
    # therefore relevant too. The search must end, and must still tell the
    # states apart that conditions can see.
    path = scenario_file(
        tmp_path,
        """\
        format: 1
        id: walk
        title: Walk
        variables:
          steps: {start: 0, shown: true}
          noise: {start: 0}
          count: {start: 0, max: 3}
          gate: {start: false}
        route: [{id: r, title: R}]
        endings: {out: {title: Out, kind: safe}}
        start: road
        scenes:
          road:
            stage: r
            text: You have walked {steps} steps.
            choices:
              - text: Walk on
                add: {steps: 1, count: 1}
                set: {noise: steps * 2, gate: count >= 2}
                goto: road
              - text: Leave through the gate
                if: gate
                goto: out
          out: {stage: r, ending: out, text: Out.}
        """,
    )
    sc = load(path).scenario
    assert sc is not None
    assert relevant(sc) == ({"gate", "count"}, set())
    found = Search(sc, 1000)
    assert found.breadth_first(1000) and len(found.states) <= 10
    assert ("road", 1) in found.first_choice and "out" in found.first_ending
    # the leave choice needs two walks first: the shortest route says so
    assert found.route(found.first_ending["out"]).numbers == (1, 1, 1, 2)


def test_visit_counts_are_capped_where_larger_ones_compare_alike(tmp_path: Path) -> None:
    path = scenario_file(
        tmp_path,
        """\
        format: 1
        id: rounds
        title: Rounds
        route: [{id: r, title: R}]
        endings: {out: {title: Out, kind: safe}}
        start: yard
        scenes:
          yard:
            stage: r
            text: The yard.
            choices:
              - text: Go round again
                goto: yard
              - text: Leave, after three rounds
                if: visits("yard") > 3
                goto: out
          out: {stage: r, ending: out, text: Out.}
        """,
    )
    sc = load(path).scenario
    assert sc is not None
    found = Search(sc, 1000)
    assert found.breadth_first(1000) and len(found.states) == 5  # yard seen 1, 2, 3, 4+ times; the end
    assert found.route(found.first_ending["out"]).numbers == (1, 1, 1, 2)


# -- errors -----------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [[], ["--random", "5"], ["--exhaustive"]])
def test_a_broken_file_prints_its_errors(cli: Callable[..., Any], tmp_path: Path, mode: list[str]) -> None:
    path = scenario_file(
        tmp_path,
        """\
        format: 1
        id: broken
        title: Broken
        route: [{id: r, title: R}]
        endings: {out: {title: Out, kind: safe}}
        start: a
        scenes:
          a:
            stage: r
            text: A.
            choices:
              - {text: On, goto: nowhere}
        """,
    )
    result = cli("playtest", path, *mode)
    assert result.code == 1
    assert "s.yaml:12:26: error[E120]: `goto: nowhere` names no scene" in result.err
    assert "Traceback" not in result.err and result.out == ""


@pytest.mark.parametrize(
    "args, words",
    [
        (["missing.yaml"], "no such file: missing.yaml"),
        ([WINTER, "--random", "0"], "--random needs a number of journeys of at least 1"),
        ([WINTER, "--max-states", "10"], "--max-states goes with --exhaustive"),
        ([WINTER, "--exhaustive", "--max-states", "0"], "--max-states goes with --exhaustive"),
        ([WINTER, "--exhaustive", "--max-steps", "10"], "--max-steps goes with --random"),
        ([WINTER, "--random", "5", "--exhaustive"], "not allowed with argument"),
    ],
)
def test_misuse_exits_2(cli: Callable[..., Any], args: list[str], words: str) -> None:
    result = cli("playtest", *args)
    assert result.code == 2
    assert words in result.err
    assert "Traceback" not in result.err


def test_playtest_and_transcript_never_import_textual(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import os, sys
        os.environ["JOURNEY_HOME"] = {str(tmp_path)!r}
        from journey.cli import main
        from journey import saves
        from journey.engine import Engine
        from journey.scenario import load
        assert main(["playtest", {WINTER!r}, "--random", "20"]) == 0
        assert main(["playtest", {WINTER!r}, "--exhaustive", "--format", "json"]) == 1
        sc = load({WINTER!r}).scenario
        saves.write(Engine(sc).replay("student", 1, [2, 2]), {WINTER!r})
        assert main(["transcript", "winter-pass", "-o", {str(tmp_path / "t.md")!r}]) == 0
        loaded = sorted(m for m in sys.modules if m.split(".")[0] == "textual")
        assert not loaded, loaded
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "t.md").read_text(encoding="utf-8").startswith("# The Winter Pass")


@pytest.mark.parametrize("exact", [True, False])
def test_what_is_proved_impossible_never_happens_in_play(
    trap: str, monkeypatch: pytest.MonkeyPatch, exact: bool
) -> None:
    """Soundness: whatever random play reaches, the check never calls impossible,
    whether its search sees every state or has to prove (the abstract ranges)."""
    if not exact:
        monkeypatch.setattr(reach_module, "BREADTH_SHARE", 10**9)
    builtin = str(resources.builtin_scenarios()[resources.DEFAULT])
    for path in (WINTER, trap, builtin):
        sc = load(path).scenario
        assert sc is not None
        found = settle(sc)
        assert found.exact is (exact and path != builtin)
        walked = random_journeys(Engine(sc), 300, seed=5, max_steps=200)
        possible_scenes = set(found.scenes) | set(found.unknown_scenes)
        possible_choices = set(found.choices) | set(found.unknown_choices)
        assert set(walked.scenes) <= possible_scenes
        assert set(walked.endings) <= set(found.endings) | set(found.unknown_endings)
        assert set(walked.choices) <= possible_choices
        assert not (set(walked.stuck) - set(found.stuck) - set(found.unknown_stuck))
