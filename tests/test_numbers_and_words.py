"""How values read: sums with thousands separators everywhere a player sees
them (plain mode's status and changes, placeholders, the app's status panel,
transcripts), and feelings in words, never as a number or a bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from journey.app.widgets.status import meter_content
from journey.engine import Engine, format_value
from journey.resources import DEFAULT, builtin_scenarios
from journey.scenario import Scenario, load
from journey.transcript import transcript

SUMS = """\
format: 1.1
id: sums
title: Sums
variables:
  money: {start: 12500, min: 0, max: 100000, label: Money, shown: true}
  hope:
    start: 2
    min: 0
    max: 4
    label: Hope
    shown: true
    words: {0: low, 2: steady, 3: high}
route:
  - {id: one, title: One}
endings:
  done: {title: Done, kind: safe}
start: start
scenes:
  start:
    stage: one
    text: You have {money} dollars.
    choices:
      - text: Earn a thousand more
        add: {money: 1000, hope: 1}
        goto: done
  done:
    stage: one
    ending: done
    text: Now {money}.
"""


def loaded(write: Callable[..., Path]) -> Scenario:
    sc = load(write(SUMS)).scenario
    assert sc is not None
    return sc


def test_format_value() -> None:
    assert format_value(12500) == "12,500"
    assert format_value(-1000) == "-1,000"
    assert format_value(999) == "999"
    assert format_value(True) == "yes"


def test_plain_mode(cli: Callable[..., Any], write: Callable[..., Path]) -> None:
    got = cli("play", str(write(SUMS)), "--plain", "--seed", "1", stdin="\n1\n")
    assert "You have 12,500 dollars." in got.out
    assert "Money: 12,500 of 100,000" in got.out
    assert "Money: from 12,500 to 13,500" in got.out
    assert "Now 13,500." in got.out
    assert "Hope: steady" in got.out and "Hope: steady, now high" in got.out
    assert "Hope: 2" not in got.out and "Hope: 3" not in got.out


def test_app_status_and_transcript(write: Callable[..., Path]) -> None:
    engine = Engine(loaded(write))
    state = engine.start(None, 1)
    money, hope = engine.view(state).meters
    assert meter_content(money, 1000).plain.startswith("Money: 12,500 of 100,000 (+1,000)")
    assert meter_content(hope).plain == "Hope: steady"  # no number, no bar
    ended = engine.choose(state, 0).state
    text = transcript(engine, ended)
    assert "Money: 12,500 → 13,500" in text
    assert "Hope: steady, now high" in text


def test_the_built_in_scenario_shows_feelings_in_words_and_sums_as_numbers() -> None:
    sc = load(builtin_scenarios()[DEFAULT]).scenario
    assert sc is not None
    shown = {n: v for n, v in sc.variables.items() if v.shown}
    assert {n for n, v in shown.items() if not v.words} == {"money", "debt"}
    engine = Engine(sc)
    state = engine.start("eunha", 1)
    meters = {m.name: m for m in engine.view(state).meters}
    assert meters["hope"].shown_value == "holding on"
    assert meters["risk"].shown_value == "low"  # never "none": danger has a floor
