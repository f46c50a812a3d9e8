"""Format 1.1's additions in play: `enter` effects, conditional `goto` (choices
and roll outcomes), `words:` bands, text variations, conditional facts and
placeholders everywhere; and the search that validate runs stays sound on them."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journey.engine import Engine
from journey.engine.reach import reachability
from journey.scenario import Scenario, load
from journey.tools.reachability import check

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"

CAMP = """\
format: 1.1
id: camp
title: The Camp
variables:
  hope: {start: 2, min: 0, max: 9, label: Hope, shown: true, words: {0: low, 3: steady, 6: rising}}
  money: {start: 50, min: 0, max: 500, label: Money, shown: true}
  nights: {start: 0, min: 0}
personas: [{id: ana, name: Ana}]
sources: {book: {title: A Book}}
route:
  - {id: road, title: Road, exercise: Find the camp on a map., answers: It is near the river.}
endings:
  bus: {title: Bus, kind: safe, debrief: "You rode with {money} left and hope {hope}."}
  walk: {title: Walk, kind: open, debrief: "{name} walked."}
start: camp
scenes:
  camp:
    stage: road
    enter: {add: {nights: 1, hope: 1}}
    text:
      - "Night {nights}. Hope is {hope}."
      - seq: [First night., Second night., Another night.]
      - cycle: [Rain., Wind.]
      - once: You arrive at the camp.
    facts:
      - {title: Camps, text: "Camps fill fast after {nights} nights.", source: book}
      - {title: Hope, if: hope >= 6, text: Hope rises with rest., source: book}
    choices:
      - text: Rest
        add: {hope: 2}
        goto: camp
      - text: Leave
        add: {money: -20}
        goto:
          - {if: money >= 100, goto: bus-stop}
          - {goto: road}
      - text: Gamble
        roll:
          - weight: 1
            add: {money: 100}
            goto: [{if: money >= 100, goto: bus-stop}, {goto: road}]
          - weight: 1
            add: {money: -50}
            goto: camp
  bus-stop:
    stage: road
    ending: bus
  road:
    stage: road
    ending: walk
"""


@pytest.fixture
def camp(tmp_path: Path) -> Scenario:
    path = tmp_path / "camp.yaml"
    path.write_text(CAMP, encoding="utf-8")
    loaded = load(path)
    assert loaded.scenario is not None, [d.format() for d in loaded.diagnostics.items]
    assert [d.code for d in loaded.diagnostics.items] == []
    return loaded.scenario


def test_enter_effects_apply_on_every_entry_including_the_start(camp: Scenario) -> None:
    engine = Engine(camp)
    state = engine.start("ana", seed=1)
    assert state.vars["nights"] == 1 and state.vars["hope"] == 3
    # the choice's own effects first, then the scene's `enter`
    state = engine.choose(state, 0).state
    assert state.vars["nights"] == 2 and state.vars["hope"] == 6


def test_conditional_goto_takes_the_first_branch_that_holds(camp: Scenario) -> None:
    engine = Engine(camp)
    state = engine.start("ana", seed=1)
    assert engine.choose(state, 1).state.scene == "road"  # 50 - 20 < 100
    rich = engine.start("ana", seed=1)
    rich = type(rich)(**{**rich.__dict__, "vars": {**rich.vars, "money": 130}})
    # the branch conditions see the values after the choice's own effects
    assert engine.choose(rich, 1).state.scene == "bus-stop"


@given(st.integers(min_value=0, max_value=2**32))
@settings(max_examples=60, deadline=None)
def test_roll_outcomes_resolve_their_own_branches(seed: int) -> None:
    scenario = _load_text(CAMP)
    engine = Engine(scenario)
    result = engine.choose(engine.start("ana", seed), 2)
    step = result.state.path[-1]
    if step.outcome == 0:  # +100: 150 >= 100
        assert result.state.scene == "bus-stop"
    else:
        assert result.state.scene == "camp"


def test_words_replace_numbers_in_status_changes_and_placeholders(camp: Scenario) -> None:
    engine = Engine(camp)
    state = engine.start("ana", seed=1)
    view = engine.view(state)
    hope = next(m for m in view.meters if m.name == "hope")
    assert hope.shown_value == "steady" and hope.word == "steady"
    assert "Hope is steady." in view.text
    result = engine.choose(state, 0)  # hope 3 -> 5 -> 6 on entering
    [change] = [c for c in result.changes if c.name == "hope"]
    assert change.visible and change.words() == "Hope: steady, now rising"
    assert "3" not in change.words() and "6" not in change.words()


def test_a_change_within_one_band_says_nothing(tmp_path: Path) -> None:
    scenario = _load_text(CAMP.replace("add: {hope: 2}", "add: {hope: 1}").replace("hope: 1}}", "hope: 0}}"))
    engine = Engine(scenario)
    result = engine.choose(engine.start("ana", seed=1), 0)  # 2 -> 3? start 2: low -> steady
    [change] = [c for c in result.changes if c.name == "hope"]
    assert change.words() == "Hope: low, now steady"
    again = engine.choose(result.state, 0)  # 3 -> 4: steady still
    [same] = [c for c in again.changes if c.name == "hope"]
    assert not same.visible


def test_text_variations_follow_the_visits(camp: Scenario) -> None:
    engine = Engine(camp)
    state = engine.start("ana", seed=1)
    texts = []
    for _ in range(4):
        texts.append(engine.view(state).text)
        state = engine.choose(state, 0).state
    assert "First night." in texts[0] and "Second night." in texts[1] and "Another night." in texts[3]
    assert ["Rain." in t for t in texts] == [True, False, True, False]
    assert ["You arrive" in t for t in texts] == [True, False, False, False]


def test_shuffle_draws_from_the_seed_and_replays_alike(tmp_path: Path) -> None:
    text = CAMP.replace("cycle: [Rain., Wind.]", "shuffle: [Rain., Wind., Snow., Fog.]")
    engine = Engine(_load_text(text))
    seen = set()
    for seed in range(12):
        state = engine.start("ana", seed)
        for _ in range(3):
            state = engine.choose(state, 0).state
        replayed = engine.replay("ana", seed, [s.choice for s in state.path])
        assert engine.view(replayed).text == engine.view(state).text
        back = engine.back(state)
        assert back is not None and engine.view(back).text == engine.view(engine.back(replayed) or state).text
        seen.update(w for w in ("Rain.", "Wind.", "Snow.", "Fog.") if w in engine.view(state).text)
    assert len(seen) > 1, "the draw varies with the seed"


def test_facts_with_if_and_placeholders(camp: Scenario) -> None:
    engine = Engine(camp)
    state = engine.start("ana", seed=1)
    facts = engine.view(state).facts
    assert [f.title for f in facts] == ["Camps"]
    assert facts[0].text == "Camps fill fast after 1 nights."
    state = engine.choose(state, 0).state  # hope 6: rising
    assert [f.title for f in engine.view(state).facts] == ["Camps", "Hope"]
    end = engine.choose(state, 1).state
    summary = engine.summary(end)
    assert [f.title for f in summary.facts] == ["Camps", "Hope"]
    assert summary.debrief == "Ana walked."


def test_debrief_placeholders_use_words(camp: Scenario) -> None:
    engine = Engine(camp)
    state = engine.start("ana", seed=1)
    state = type(state)(**{**state.__dict__, "vars": {**state.vars, "money": 200}})
    end = engine.choose(state, 1).state
    assert engine.view(end).debrief == "You rode with 180 left and hope steady."


def test_format_1_keeps_braces_in_facts_and_debriefs_as_written(tmp_path: Path) -> None:
    text = (
        WINTER.read_text(encoding="utf-8")
        .replace("Volunteer rescue teams", "Volunteer teams and {name}")
        .replace("return time.", "return time {money}.")
    )
    scenario = _load_text(text)
    engine = Engine(scenario)
    state = engine.start("student", seed=1)
    assert engine.view(state).facts[0].text.endswith("return time {money}.")
    assert scenario.endings["rescued"].debrief.startswith("Volunteer teams and {name}")


def test_the_search_follows_enter_effects_and_branches(camp: Scenario) -> None:
    found = reachability(camp)
    assert found.complete
    assert set(found.scenes) == {"camp", "bus-stop", "road"}
    assert {("camp", 2, 0), ("camp", 2, 1)} <= set(found.outcomes)


@pytest.mark.parametrize("budget", [2, 5, 50_000])
def test_a_scene_reached_only_through_a_branch_is_never_called_unreachable(
    camp: Scenario, budget: int
) -> None:
    """Small budgets leave the proof to the abstract interpretation: it must take
    every branch whose condition may hold, and apply `enter` effects."""
    diags, _ = check(camp, budget)
    assert not [d for d in diags if d.code in ("W210", "W211", "W213", "W215")], [d.format() for d in diags]


def test_an_unreachable_branch_target_is_reported(tmp_path: Path) -> None:
    text = CAMP.replace("{if: money >= 100, goto: bus-stop}, {goto: road}", "{goto: road}").replace(
        "- {if: money >= 100, goto: bus-stop}", "- {if: money >= 1000, goto: bus-stop}"
    )
    scenario = _load_text(text)
    for budget in (5, 50_000):  # proved by the abstract interpretation, and by the full search
        diags, found = check(scenario, budget)
        assert "bus-stop" not in found.scenes
        assert {d.code for d in diags} >= {"W210", "W211"}, [d.format() for d in diags]


def test_enter_effects_can_open_a_choice(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        format: 1.1
        id: gate
        title: Gate
        variables: {key: {start: false}}
        route: [{id: r, title: R}]
        endings: {out: {title: Out, kind: safe}}
        start: yard
        scenes:
          yard:
            stage: r
            choices: [{text: Shed, goto: shed}, {text: Gate, if: key, goto: out}]
          shed:
            stage: r
            enter: {set: {key: true}}
            choices: [{text: Back, goto: yard}]
          out: {stage: r, ending: out}
        """
    )
    for budget in (2, 50_000):
        diags, _ = check(_load_text(text), budget)
        assert [d.code for d in diags if d.code != "N300"] == [], [d.format() for d in diags]


def test_plain_mode_shows_words_never_numbers(camp: Scenario, tmp_path: Path, run_plain: Callable) -> None:
    path = tmp_path / "camp.yaml"
    path.write_text(CAMP, encoding="utf-8")
    out = run_plain(path, "\n1\ns\nq\n")
    assert "Hope: steady" in out and "Hope: steady, now rising" in out
    assert "Hope: 3" not in out and "of 9" not in out


def _load_text(text: str) -> Scenario:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.yaml"
        path.write_text(text, encoding="utf-8")
        loaded = load(path)
    assert loaded.scenario is not None, [d.format() for d in loaded.diagnostics.items]
    return loaded.scenario


@pytest.fixture
def run_plain() -> Callable[[Path, str], str]:
    from journey.cli import main

    def run(path: Path, keys: str) -> str:
        import sys

        out = io.StringIO()
        old_in, old_out = sys.stdin, sys.stdout
        sys.stdin, sys.stdout = io.StringIO(keys), out
        try:
            main(["play", "--plain", "--seed", "1", "--persona", "ana", str(path)])
        finally:
            sys.stdin, sys.stdout = old_in, old_out
        return out.getvalue()

    return run


GLOSSED = CAMP.replace(
    "sources: {book: {title: A Book}}",
    "sources: {book: {title: A Book}}\nglossary:\n"
    "  camp: {text: A place to sleep., aliases: [camps, Encampment]}",
)


def test_glossary_aliases_match_as_the_term_case_insensitive_whole_words() -> None:
    from journey.engine.glossary import find_terms

    glossary = _load_text(GLOSSED).glossary
    spans = find_terms("Camps and an ENCAMPMENT; campsite is not one. The camp.", glossary)
    assert [s.term for s in spans] == ["camp", "camp", "camp"]
    assert [s.term for s in find_terms("Camps, then a camp.", glossary, first=True)] == ["camp"]


def test_both_front_ends_mark_a_term_at_its_first_use_in_a_scene() -> None:
    from journey.app.text import markdown_with_terms, with_terms

    glossary = _load_text(GLOSSED).glossary
    seen: set[str] = set()
    text = markdown_with_terms("Camps here, camps there.", glossary, seen)
    assert text.count("glossary:") == 1 and seen == {"camp"}
    assert not with_terms("A camp again.", glossary, seen=seen).spans  # already marked in this scene
    engine = Engine(_load_text(GLOSSED))
    assert engine.terms(engine.view(engine.start("ana", seed=1))) == ("camp",)


def test_plain_mode_underlines_each_term_once_per_scene(tmp_path: Path) -> None:
    from journey.launch import Session
    from journey.plain import Plain

    path = tmp_path / "camp.yaml"
    path.write_text(
        GLOSSED.replace("Night {nights}.", "Night {nights} at the camp, the camp."), encoding="utf-8"
    )

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    scenario = _load_text(path.read_text(encoding="utf-8"))
    engine = Engine(scenario)
    out = Tty()
    front = Plain(Session(scenario, str(path)), io.StringIO(""), out)
    front.colour = True
    front.show_scene(engine.view(engine.start("ana", seed=1)))
    assert out.getvalue().count("\033[4m") == 1


def test_a_locked_reason_names_the_word_never_the_number() -> None:
    text = CAMP.replace(
        "      - text: Rest\n",
        "      - text: Hope\n        if: hope >= 6\n        show_locked: true\n"
        "        goto: road\n      - text: Rest\n",
    )
    engine = Engine(_load_text(text))
    view = engine.view(engine.start("ana", seed=1))
    [locked] = [c for c in view.choices if not c.available]
    assert locked.locked_reason == 'needs: Hope is at least "rising"'


def test_the_debrief_asks_the_exercise_of_visited_stages_never_the_answers(camp: Scenario) -> None:
    from journey.transcript import transcript

    engine = Engine(camp)
    end = engine.choose(engine.start("ana", seed=1), 1).state
    summary = engine.summary(end)
    assert [q for _, q in summary.prompts] == ["Exercise: Find the camp on a map."]
    text = transcript(engine, end)
    assert "Exercise: Find the camp on a map." in text and "near the river" not in text


def test_a_conditional_fact_never_shown_is_not_called_read_before(camp: Scenario) -> None:
    engine = Engine(camp)
    state = engine.choose(engine.start("ana", seed=1), 0).state  # hope rises: the Hope fact appears
    seen = {f.title: f.seen for f in engine.view(state).facts}
    assert seen == {"Camps": True, "Hope": False}
    state = engine.choose(state, 0).state
    assert {f.title: f.seen for f in engine.view(state).facts} == {"Camps": True, "Hope": True}


HOPE_TWICE = """\
format: 1.1
id: hope-twice
title: Hope Twice
variables:
  hope: {start: START, min: 0, max: 9}
sources: {book: {title: A Book}}
route: [{id: road, title: Road}]
endings: {end: {title: End, kind: open}}
start: camp
scenes:
  camp:
    stage: road
    text: A camp.
    facts:
      - {title: Hope, if: hope >= 6, text: Hope rises with rest., source: book}
    choices:
      - {text: On, goto: town}
  town:
    stage: road
    text: A town.
    facts:
      - {title: Hope, text: Hope rises with rest., source: book}
    choices:
      - {text: On, goto: end}
  end: {stage: road, ending: end}
"""


@pytest.mark.parametrize(("start", "read_before"), [(2, False), (7, True)])
def test_a_fact_hidden_by_its_if_elsewhere_is_not_called_read_before(start: int, read_before: bool) -> None:
    """A fact whose `if` hid it in an earlier scene was never shown, so where the
    same fact (title and source) comes again unconditionally it is shown in full."""
    engine = Engine(_load_text(HOPE_TWICE.replace("START", str(start))))
    state = engine.start(seed=1)
    assert bool(engine.view(state).facts) == read_before  # hidden at the camp unless hope >= 6
    state = engine.choose(state, 0).state
    assert [f.seen for f in engine.view(state).facts] == [read_before]
