"""The built-in scenario, loaded as the installed package ships it: the
measurable promises of its issue, so that a later edit cannot quietly break
them (size, endings, reachability, sources, glossary, questions, care)."""

from __future__ import annotations

import random
import re
import statistics
from functools import cache
from pathlib import Path

import pytest

from journey.engine import Engine
from journey.engine.explore import structure
from journey.resources import DEFAULT, builtin_scenarios
from journey.scenario import Scenario, load
from journey.tools.autoplay import random_journeys
from journey.tools.validate import run as validate

READING_WPM = 200  # a teenager reading for meaning, not skimming
SECONDS_PER_CHOICE = 10  # reading the choices and deciding


@cache
def scenario() -> Scenario:
    path = builtin_scenarios()[DEFAULT]
    loaded = load(path)
    assert loaded.scenario is not None, [d.format() for d in loaded.diagnostics.sorted()]
    return loaded.scenario


def words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def all_texts(s: Scenario) -> list[str]:
    texts = [s.summary, *s.content_notes, *s.glossary.values()]
    texts += [p.about for p in s.personas.values()]
    texts += [q for stage in s.route.values() for q in stage.discussion]
    texts += [e.debrief for e in s.endings.values()]
    for scene in s.scenes.values():
        texts += [part.text.source for part in scene.text]
        texts += [f"{f.title} {f.text}" for f in scene.facts]
        texts += [c.text.source for c in scene.choices]
    return texts


def test_it_is_the_installed_package_s_own_copy() -> None:
    path = builtin_scenarios()[DEFAULT]
    assert path.is_file()
    assert len(scenario().files) >= 3, "the scenario is split over files with include"


def test_validates_under_strict_with_no_warning(capsys: pytest.CaptureFixture[str]) -> None:
    code = validate([str(builtin_scenarios()[DEFAULT])], strict=True, fmt="text", max_states=None)
    out = capsys.readouterr().out
    assert code == 0, out
    assert " 0 warnings" in out, out


def test_size_and_shape() -> None:
    s = scenario()
    assert len(s.scenes) >= 60
    assert len(s.endings) >= 8
    assert {e.kind for e in s.endings.values()} == {"safe", "hard", "open"}
    assert len(s.personas) >= 3
    assert len(s.glossary) >= 15
    assert s.audience == "ages 14 and up"
    assert len(s.content_notes) >= 3
    total = sum(words(t) for t in all_texts(s))
    assert total >= 12_000, f"{total} words"


def test_the_route_has_every_stage_of_the_real_journey() -> None:
    titles = " ".join(f"{st.title} {st.place}".lower() for st in scenario().route.values())
    for place in ("north korea", "china", "laos", "thailand", "south korea"):
        assert place in titles, place
    assert len(scenario().route) >= 6


def test_every_ending_reachable_and_every_scene_can_end() -> None:
    s = scenario()
    reach, can_end = structure(s)
    assert set(s.scenes) <= reach, sorted(set(s.scenes) - reach)
    assert set(s.scenes) <= can_end, sorted(set(s.scenes) - can_end)
    ended = {sc.ending for sc in s.scenes.values() if sc.ending}
    assert ended == set(s.endings)


def test_random_journeys_take_every_scene_choice_and_ending_and_never_stick() -> None:
    """The state space is too large for the exhaustive search to finish (the
    validator says so with N300), so witnesses: every scene, every choice and
    every roll's target is reached by some journey that plays by the rules,
    and none gets stuck or loops without a way out."""
    s = scenario()
    report = random_journeys(Engine(s), runs=3000, seed=1)
    assert set(report.endings) == set(s.endings)
    assert set(report.scenes) == set(s.scenes)
    every_choice = {(sid, c.index) for sid, sc in s.scenes.items() for c in sc.choices}
    assert every_choice - set(report.choices) == set()
    assert not report.stuck and not report.looped


def test_every_stage_has_facts_and_questions_for_a_class() -> None:
    s = scenario()
    for stage in s.route.values():
        facts = [f for sc in s.scenes.values() if sc.stage == stage.id for f in sc.facts]
        assert len(facts) >= 2, stage.id
        assert len(stage.discussion) >= 2, stage.id


def test_every_fact_names_a_real_publication_with_its_year_or_says_undated() -> None:
    s = scenario()
    cited = {f.source for sc in s.scenes.values() for f in sc.facts}
    for sid in cited:
        source = s.sources[sid]
        assert source.title and source.publisher, sid
        if source.year is None:
            assert "undated" in source.publisher, sid
        else:
            assert 1950 <= source.year <= 2026, sid
    publishers = " ".join(src.publisher for src in s.sources.values()).lower()
    assert "journey project" not in publishers, "sources are publications, not our notes"


def test_player_text_says_nothing_about_how_the_game_was_made() -> None:
    """The article the project grew from is an ordinary source: no "seed
    article", no guessed dates, no notes about inferences."""
    prose = " ".join(all_texts(scenario())).lower()
    for phrase in (
        "seed article",
        "2015-2016",
        "inferences",
        "compiled for this game",
        "this scenario starts from",
        "for this game",
    ):
        assert phrase not in prose, phrase


def test_the_facts_cover_the_article_s_numbers_and_after_2020() -> None:
    s = scenario()
    facts = " ".join(f"{f.title} {f.text}" for sc in s.scenes.values() for f in sc.facts)
    for figure in ("70 percent", "250", "2020"):
        assert figure in facts, figure


def test_every_ending_has_a_debrief() -> None:
    for ending in scenario().endings.values():
        assert words(ending.debrief) >= 60, ending.id


def test_glossary_terms_appear_in_the_text() -> None:
    s = scenario()
    prose = " ".join(all_texts(s)).lower()
    for term in s.glossary:
        assert re.search(rf"\b{re.escape(term.lower())}\b", prose), term


def test_choices_differ_by_persona_and_chance_plays_a_part() -> None:
    s = scenario()
    conditions = [c.cond.source for sc in s.scenes.values() for c in sc.choices if c.cond]
    for persona in s.personas:
        assert any(f'"{persona}"' in cond for cond in conditions), persona
    rolls = [c for sc in s.scenes.values() for c in sc.choices if c.roll]
    assert len(rolls) >= 5


def test_organisations_are_met_in_play() -> None:
    prose = " ".join(all_texts(scenario()))
    for name in ("Helping Hands Korea", "LiNK", "UNHCR", "Hanawon"):
        assert name in prose, name


def random_journey(engine: Engine, persona: str, seed: int) -> tuple[int, int, str]:
    """Words read, choices made and the ending, on one random journey."""
    rng = random.Random(seed)
    state = engine.start(persona, seed)
    read = 0
    for choices in range(500):
        view = engine.view(state)
        read += words(view.text) + sum(words(c.text) for c in view.choices)
        if view.ending is not None:
            return read + words(view.ending.debrief), choices, view.ending.id
        open_choices = [c for c in view.choices if c.available]
        assert open_choices, f"stuck at {view.scene}"
        state = engine.choose(state, rng.choice(open_choices).index).state
    raise AssertionError("a journey of 500 choices: a loop with no way out")


def test_a_playthrough_takes_15_to_30_minutes() -> None:
    """Estimated from random journeys that reach South Korea: reading time plus
    time to decide, per journey."""
    s = scenario()
    engine = Engine(s)
    minutes = []
    for seed in range(300):
        persona = list(s.personas)[seed % len(s.personas)]
        read, choices, ending = random_journey(engine, persona, seed)
        if s.endings[ending].kind == "safe":
            minutes.append(read / READING_WPM + choices * SECONDS_PER_CHOICE / 60)
    assert minutes, "no random journey reached a safe ending"
    median = statistics.median(minutes)
    assert 15 <= median <= 30, f"median {median:.1f} minutes"


def test_no_operational_detail() -> None:
    """Country and province level only: no phone numbers, addresses or links
    in the prose (sources carry the only URLs)."""
    prose = " ".join(all_texts(scenario()))
    assert not re.search(r"https?://|www\.|\+\d[\d ]{6,}|@\w+\.\w+", prose)


SOURCES_DOC = Path(__file__).resolve().parents[1] / "docs" / "north-korea-sources.md"


def doc_table(heading: str) -> list[list[str]]:
    """The rows of the Markdown table under `## heading`, header and rule left out."""
    section = SOURCES_DOC.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[2:]]


def test_the_sources_doc_lists_every_fact_card_with_its_source_and_year() -> None:
    """docs/north-korea-sources.md is the teacher's check-list: one row per card,
    naming the card's scene, title and source, and the year it describes."""
    s = scenario()
    cards = {(sid, f.title, f.source) for sid, sc in s.scenes.items() for f in sc.facts}
    rows = doc_table("Cards")
    listed = [(scene, title, source) for scene, title, _claim, source, _year in rows]
    assert len(listed) == len(set(listed)), "a card is listed twice"
    assert set(listed) - cards == set(), "listed in the doc, not in the scenario"
    assert cards - set(listed) == set(), "in the scenario, not listed in the doc"
    for scene, title, claim, _source, year in rows:
        assert claim, (scene, title)
        assert re.search(r"\b(19|20)\d\d\b|undated", year), (scene, title, year)


def test_the_sources_doc_lists_every_source() -> None:
    assert {row[0] for row in doc_table("Sources")} == set(scenario().sources)


def test_the_year_of_the_journey_is_said_on_the_start_card_and_in_the_summary() -> None:
    s = scenario()
    assert "set in 2019" in s.summary
    start = s.scenes[s.start]
    for persona in s.personas:
        state = Engine(s).start(persona, 1)
        assert "2019" in Engine(s).view(state).text, persona
    assert start.facts, "the start card carries facts for the year"


def test_every_ending_says_what_changed_after_the_journey_s_year() -> None:
    for ending in scenario().endings.values():
        assert "After 2019:" in ending.debrief, ending.id
