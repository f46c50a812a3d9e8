"""`journey playtest --strategy`: cautious, bold and random players, on small
scenarios built so that each rule of a strategy decides one choice."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journey.engine import Engine
from journey.scenario import Scenario, load
from journey.tools.strategy import default_risk, hopeful_scenes, odds, pick, strategy_journeys

ROOT = Path(__file__).resolve().parents[2]
WINTER = str(ROOT / "tests" / "fixtures" / "winter-pass.yaml")

# At the start: one choice that can only lead to giving up, one roll that may
# land in a scene with no way to a safe ending, and two sure paths that differ
# only in how much they raise the danger. The third stage is `far`.
ODDS = """\
format: 1
id: odds
title: Odds
variables:
  danger: {start: 2, min: 0, max: 10, label: Risk of a fall, shown: true}
  luck: {start: 0, min: 0, max: 10}
personas:
  - {id: ana, name: Ana}
  - {id: tom, name: Tom}
route:
  - {id: one, title: One}
  - {id: two, title: Two}
  - {id: three, title: Three}
endings:
  home: {title: Home, kind: safe}
  quit: {title: Gave up, kind: open}
  fell: {title: Fell, kind: hard}
start: start
scenes:
  start:
    stage: one
    text: Four ways.
    choices:
      - text: Give up
        goto: quit
      - text: Gamble
        roll:
          - {weight: 1, goto: fell}
          - {weight: 1, goto: far}
      - text: The steep path
        add: {danger: 3, luck: -1}
        goto: far
      - text: The gentle path
        add: {danger: -1, luck: 2}
        goto: far
  far:
    stage: three
    text: Nearly there.
    choices:
      - text: Walk home
        goto: home
  home:
    stage: three
    ending: home
    text: Home.
  quit:
    stage: one
    ending: quit
    text: Back.
  fell:
    stage: two
    ending: fell
    text: A fall.
"""


def loaded(text: str, write: Callable[..., Path]) -> Scenario:
    result = load(write(text))
    assert result.scenario is not None, [d.format() for d in result.diagnostics.sorted()]
    return result.scenario


def endings(sc: Scenario, strategy: str, risk: str | None = "danger", runs: int = 200) -> dict[str, int]:
    report = strategy_journeys(Engine(sc), strategy, runs, seed=3, risk=risk)
    total: dict[str, int] = {}
    for tally in report.all.values():
        for eid, n in tally.endings.items():
            total[eid] = total.get(eid, 0) + n
    return total


def test_hopeful_scenes_and_the_default_risk(write: Callable[..., Path]) -> None:
    sc = loaded(ODDS, write)
    assert hopeful_scenes(sc) == {"start", "far", "home"}
    assert default_risk(sc) == "danger"  # by its label, "Risk of a fall"


def test_cautious_never_gives_up_never_gambles_and_keeps_the_risk_low(write: Callable[..., Path]) -> None:
    assert endings(loaded(ODDS, write), "cautious") == {"home": 200}
    report = strategy_journeys(Engine(loaded(ODDS, write)), "cautious", 50, seed=1, risk="danger")
    assert all(t.journeys == t.endings["home"] for t in report.all.values())


def test_bold_takes_the_gamble(write: Callable[..., Path]) -> None:
    got = endings(loaded(ODDS, write), "bold")
    assert set(got) == {"home", "fell"} and got["home"] + got["fell"] == 200
    assert 60 <= got["fell"] <= 140  # a fair coin


def test_random_takes_every_choice(write: Callable[..., Path]) -> None:
    assert set(endings(loaded(ODDS, write), "random")) == {"home", "quit", "fell"}


def test_the_risk_variable_decides_between_sure_paths(write: Callable[..., Path]) -> None:
    sc = loaded(ODDS, write)
    engine = Engine(sc)
    state = engine.start("ana", 0)
    hopeful = hopeful_scenes(sc)

    def first_pick(strategy: str, risk: str) -> int:
        options = [(c.index, odds(engine, state, c, hopeful, risk)) for c in sc.scenes["start"].choices]
        return pick(strategy, options, random.Random(0))

    assert first_pick("cautious", "danger") == 3  # the gentle path
    assert first_pick("cautious", "luck") == 2  # keeping `luck` low: the steep one
    assert first_pick("bold", "danger") == 1  # the gamble


def test_ties_are_broken_at_random_and_the_seed_repeats_them(write: Callable[..., Path]) -> None:
    # without a risk variable the two sure paths tie: both are taken
    sc = loaded(ODDS.replace("label: Risk of a fall, ", ""), write)
    assert default_risk(sc) is None
    engine = Engine(sc)
    first = strategy_journeys(engine, "cautious", 40, seed=5)
    again = strategy_journeys(engine, "cautious", 40, seed=5)
    assert first == again
    assert sum(t.endings["home"] for t in first.all.values()) == 40


def test_when_every_choice_gives_up_one_is_taken(write: Callable[..., Path]) -> None:
    text = ODDS.replace("kind: safe", "kind: open")  # no safe ending at all
    assert endings(loaded(text, write), "cautious") != {}


def test_the_third_stage_table_counts_only_journeys_that_reach_it(write: Callable[..., Path]) -> None:
    sc = loaded(ODDS, write)
    report = strategy_journeys(Engine(sc), "random", 300, seed=2, risk="danger")
    assert report.third_stage == "three"
    for persona, tally in report.all.items():
        later = report.later[persona]
        assert later.journeys == later.endings["home"]  # only `far` leads home
        assert later.journeys == tally.endings["home"] < tally.journeys


def test_the_report_as_text(cli: Callable[..., Any], write: Callable[..., Path]) -> None:
    path = str(write(ODDS))
    got = cli("playtest", path, "--strategy", "bold", "--random", "100", "--seed", "4")
    assert got.code == 0, got.err
    assert "100 bold journeys (seed 4), each persona in turn." in got.out
    assert "the largest expected `danger` (Risk of a fall)" in got.out
    assert 'Journeys that reach the third stage, "Three", or a later one:' in got.out
    assert "journeys   safe   hard   open" in got.out
    assert "Ana (ana)" in got.out and "`fell`" in got.out
    again = cli("playtest", path, "--strategy", "bold", "--random", "100", "--seed", "4")
    assert again.out == got.out


def test_the_report_as_json(cli: Callable[..., Any], write: Callable[..., Path]) -> None:
    got = cli("playtest", str(write(ODDS)), "--strategy", "cautious", "--random", "10", "--format", "json")
    data = json.loads(got.out)
    assert data["mode"] == "strategy" and data["strategy"] == "cautious"
    assert data["risk"] == "danger" and data["third_stage"] == "three"
    assert data["personas"]["ana"]["journeys"] == 5
    assert data["personas"]["ana"]["safe"] == 1.0
    assert data["third_stage_personas"]["tom"]["endings"]["home"] == 5


def test_misuse(cli: Callable[..., Any], write: Callable[..., Path]) -> None:
    path = str(write(ODDS))
    wrong = cli("playtest", path, "--strategy", "cautious", "--risk", "dangr")
    assert wrong.code == 2 and "did you mean `danger`?" in wrong.err
    assert cli("playtest", path, "--risk", "danger").code == 2
    assert cli("playtest", path, "--strategy", "bold", "--exhaustive").code == 2
    assert cli("playtest", path, "--strategy", "sideways").code == 2


def test_winter_pass(cli: Callable[..., Any]) -> None:
    """The shepherd, who has a map, always rests in the hut when cautious."""
    sc = load(WINTER).scenario
    assert sc is not None
    cautious = strategy_journeys(Engine(sc), "cautious", 100, seed=0, risk="risk")
    assert cautious.all["shepherd"].endings == {"safe": 50}
    bold = strategy_journeys(Engine(sc), "bold", 100, seed=0, risk="risk")
    assert bold.all["student"].endings["rescued"] > 0
    got = cli("playtest", WINTER, "--strategy", "random", "--random", "30")
    assert got.code == 0 and "30 random journeys" in got.out


# Format 1.1: a conditional goto sends the careless to the cliff, and a scene's
# `enter` effects raise the danger of the path that looks calm.
BRANCHES = """\
format: 1.1
id: branches
title: Branches
variables:
  risk: {start: 0, min: 0, max: 10}
  careful: {start: false}
route:
  - {id: one, title: One}
endings:
  home: {title: Home, kind: safe}
  fell: {title: Fell, kind: hard}
start: start
scenes:
  start:
    stage: one
    text: Two paths.
    choices:
      - text: The path that needs care
        goto: [{if: careful, goto: home}, {goto: fell}]
      - text: The calm path
        goto: calm
      - text: The windy path
        add: {risk: 2}
        goto: windy
  calm:
    stage: one
    text: Calm, at first.
    enter: {add: {risk: 5}}
    choices:
      - text: Walk home
        goto: home
  windy:
    stage: one
    text: Windy.
    choices:
      - text: Walk home
        goto: home
  home:
    stage: one
    ending: home
    text: Home.
  fell:
    stage: one
    ending: fell
    text: A fall.
"""


def test_conditional_goto_and_enter_effects_count(write: Callable[..., Path]) -> None:
    sc = loaded(BRANCHES, write)
    engine = Engine(sc)
    state = engine.start(None, 0)
    hopeful = hopeful_scenes(sc)
    got = [odds(engine, state, c, hopeful, "risk") for c in sc.scenes["start"].choices]
    assert got[0].gives_up and got[0].danger == 1  # not careful: the branch to the fall
    assert got[1].risk == 5 and got[2].risk == 2  # the calm path's scene adds 5 on entry
    assert pick("cautious", list(enumerate(got)), random.Random(0)) == 2
