"""Transcripts: the Markdown of a journey, `journey transcript SAVE`, and `t` at
the end of a journey in plain mode."""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from journey import saves
from journey import transcript as transcript_module
from journey.engine import Engine, State
from journey.scenario import load
from journey.transcript import TranscriptError, transcript, transcripts_dir

ROOT = Path(__file__).resolve().parents[2]
WINTER = ROOT / "tests" / "fixtures" / "winter-pass.yaml"
WHEN = datetime(2025, 3, 2, 14, 30)


def engine(path: Path = WINTER) -> Engine:
    sc = load(path).scenario
    assert sc is not None
    return Engine(sc)


def played(eng: Engine, persona: str | None, seed: int, choices: list[int]) -> State:
    return eng.replay(persona, seed, choices)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    path = tmp_path / "winter-pass.yaml"
    path.write_text(WINTER.read_text(encoding="utf-8"), encoding="utf-8")
    return path


# -- the Markdown ----------------------------------------------------------------------
def test_a_whole_journey() -> None:
    eng = engine()
    # buy a map, read the bulletin, back, climb, rest in the hut, walk down
    state = played(eng, "student", 3, [0, 1, 0, 2, 1, 0])
    text = transcript(eng, state, WHEN)
    head, _, rest = text.partition("## The village")
    assert head == textwrap.dedent("""\
        # The Winter Pass

        A journey transcript.

        - Persona: Ana (A student on her first winter crossing, travelling light.)
        - Date: 2025-03-02
        - Choices made: 6
        - Ending: Warm at the refuge (a safe ending)

        """)
    # the scenes in order, as they read then: the money before and after the map
    order = [
        "Ana has 30 EUR",
        "**You chose:** Buy a map at the kiosk (15 EUR)",
        "*Money (EUR): 30 → 15; Has a map: no → yes.*",
        "Ana has 15 EUR",
        "**You chose:** Read the [avalanche bulletin] pinned to the door",
        "Danger level 3 of 5",
        "**You chose:** Back to the square",
        "**You chose:** Start the climb",
        "## The pass (Saddle, 2,400 m)",
        "Your map shows a shelter hut",  # text shown only with a map
        "**You chose:** Rest in the shelter hut",
        "*Warmth: 6 → 8.*",
        "You remember the bulletin",
        "## The refuge (Far side, 1,800 m)",
        "Your warmth is 8 out of 10.",
        "## The end: Warm at the refuge",
        "*A safe ending.*",
        "### Debrief",
        "Most winter crossings end like this one",
        "## Facts met",
        "## To think about",
    ]
    places = [rest.index(words) for words in order]
    assert places == sorted(places)
    assert "Without a map you follow old boot prints" not in rest
    assert rest.count("> Learn more: Tell someone your route") == 3  # seen three times
    assert (
        "- **Tell someone your route.** Rescue teams find people fastest when someone "
        "knows the planned route and return time. Source: Winter Mountain Safety "
        "Handbook, Example Mountain Rescue Association, 2021, "
        "<https://example.org/winter-safety>."
    ) in rest
    assert "Source: Avalanche bulletins explained, Example Weather Service, 2023." in rest
    assert "- The village: What would you check before leaving" in rest
    assert text.endswith("turning back is safer?\n")


def test_chance_is_noted() -> None:
    eng = engine()
    state = played(eng, "student", 0, [2, 0, 0])  # climb, push on: the roll goes to lost
    text = transcript(eng, state, WHEN)
    assert "**You chose:** Push on to the saddle before dark" in text
    assert "*Chance played a part in where this led.*" in text
    assert "The boot prints end in fresh snow" in text
    assert "## The end: Carried down by the rescue team" in text


def test_an_unfinished_journey() -> None:
    eng = engine()
    text = transcript(eng, played(eng, "shepherd", 1, [2]), WHEN)
    assert "- Ending: not reached (the journey is not finished)" in text
    assert "You know this lower part of the path" in text  # the shepherd's line
    stops = text.index("\n*The journey stops here: it is not finished yet.*\n")
    assert text.index("You know this lower part") < stops < text.index("## Facts met")
    assert "## The end" not in text


def test_text_that_tries_to_break_the_layout_stays_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(
        textwrap.dedent("""\
        format: 1
        id: odd
        title: "Title\\n# Not a heading"
        route: [{id: r, title: "Stage\\n## Fake"}]
        endings: {out: {title: "Out\\n- fake item", kind: safe}}
        start: a
        scenes:
          a:
            stage: r
            text: Text with <b>tags</b>, &amp; and [brackets].
            choices:
              - text: "Go\\n\\n# Not a heading either"
                goto: b
          b: {stage: r, ending: out, text: Done.}
        """),
        encoding="utf-8",
    )
    eng = engine(path)
    text = transcript(eng, played(eng, None, 1, [0]), WHEN)
    assert "- Persona" not in text  # no personas, no line
    assert text.startswith("# Title # Not a heading\n")
    assert "\n## Stage ## Fake\n" in text
    assert "**You chose:** Go # Not a heading either\n" in text
    assert "- Ending: Out - fake item (a safe ending)" in text
    # shown as the game shows it: tags and entities are text, not HTML
    assert "Text with &lt;b>tags&lt;/b>, &amp;amp; and [brackets]." in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == ["# Title # Not a heading", "## Stage ## Fake", "## The end: Out - fake item"]


def test_a_journey_that_no_longer_replays_is_refused(copy: Path) -> None:
    eng = engine(copy)
    state = played(eng, "student", 1, [2, 2])
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("      - text: Turn back\n        goto: back-home\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(TranscriptError, match="no longer replays"):
        transcript(engine(copy), state, WHEN)


# -- where transcripts go ---------------------------------------------------------------
def test_saved_files_are_never_overwritten(journey_home: Path) -> None:
    eng = engine()
    state = played(eng, "student", 1, [2, 2])
    first = transcript_module.save(eng, state, WHEN)
    second = transcript_module.save(eng, state, WHEN)
    assert first == journey_home / "transcripts" / "winter-pass-2025-03-02-1430.md"
    assert second == journey_home / "transcripts" / "winter-pass-2025-03-02-1430-2.md"
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


def test_without_journey_home_they_go_to_the_documents_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import platformdirs

    monkeypatch.delenv("JOURNEY_HOME")
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(tmp_path / "Docs"))
    assert transcripts_dir() == tmp_path / "Docs" / "journey-transcripts"


def test_a_folder_that_cannot_be_made_is_explained(journey_home: Path) -> None:
    journey_home.mkdir(parents=True)
    (journey_home / "transcripts").write_text("in the way")
    eng = engine()
    with pytest.raises(TranscriptError, match="cannot write the transcript in"):
        transcript_module.save(eng, played(eng, "student", 1, [2, 2]), WHEN)


# -- plain mode ---------------------------------------------------------------------------
def test_plain_mode_offers_a_transcript_at_the_end(cli: Callable[..., Any], journey_home: Path) -> None:
    result = cli("play", str(WINTER), "--plain", "--seed", "1", "--persona", "student", stdin="\n3\n2\nt\n")
    assert result.code == 0
    [saved] = list((journey_home / "transcripts").glob("winter-pass-*.md"))
    assert "t for a transcript" in result.out
    assert f"Transcript saved to {saved}" in result.out
    text = saved.read_text(encoding="utf-8")
    assert "**You chose:** Turn back" in text and "## The end: Back in the village" in text


@pytest.mark.parametrize("answer", ["\n", "", "q\n"])
def test_plain_mode_saves_no_transcript_unless_asked(
    cli: Callable[..., Any], journey_home: Path, answer: str
) -> None:
    result = cli(
        "play", str(WINTER), "--plain", "--seed", "1", "--persona", "student", stdin="\n3\n2\n" + answer
    )
    assert result.code == 0
    assert "Transcript saved" not in result.out
    assert not (journey_home / "transcripts").exists()


# -- journey transcript SAVE --------------------------------------------------------------
def save_journey(path: Path, persona: str, seed: int, choices: list[int]) -> Path:
    eng = engine(path)
    return saves.write(played(eng, persona, seed, choices), str(path.resolve()))


def test_from_a_save_file_to_standard_output(cli: Callable[..., Any], copy: Path) -> None:
    save = save_journey(copy, "student", 1, [2, 2])
    when = datetime(2024, 12, 24, 18, 0).timestamp()
    os.utime(save, (when, when))
    result = cli("transcript", str(save))
    assert result.code == 0, result.err
    assert result.out == transcript(engine(copy), saves.read(save).state, datetime(2024, 12, 24, 18, 0))
    assert "- Date: 2024-12-24" in result.out  # when it was last played


def test_the_student_s_name_goes_on_it(cli: Callable[..., Any], copy: Path) -> None:
    save = save_journey(copy, "student", 1, [2, 2])
    named = cli("transcript", str(save), "--name", "Ana \x1b[31mKim")
    assert named.code == 0, named.err
    lines = named.out.splitlines()
    assert (
        lines[lines.index("A journey transcript.") + 2] == "- Student: Ana [31mKim"
    )  # first, before the date
    assert "Student:" not in cli("transcript", str(save)).out


def test_by_scenario_id_and_to_a_file(cli: Callable[..., Any], copy: Path, tmp_path: Path) -> None:
    save_journey(copy, "shepherd", 1, [2, 1, 0])
    out = tmp_path / "mine.md"
    result = cli("transcript", "winter-pass", "-o", str(out))
    assert result.code == 0, result.err
    assert result.out == ""
    assert f"wrote the transcript to {out}" in result.err
    text = out.read_text(encoding="utf-8")
    assert "- Persona: Tomas" in text and "## The end: Warm at the refuge" in text


def test_a_changed_scenario_that_still_replays_is_noted(cli: Callable[..., Any], copy: Path) -> None:
    save = save_journey(copy, "student", 1, [2, 2])
    copy.write_text(
        copy.read_text(encoding="utf-8").replace(
            "The bus back leaves at five.", "The last bus leaves at five."
        ),
        encoding="utf-8",
    )
    result = cli("transcript", str(save))
    assert result.code == 0
    assert "has changed since this journey was played" in result.err
    assert "The last bus leaves at five." in result.out


@pytest.mark.parametrize(
    "damage, words",
    [
        (None, "no such save: {save}. There are no saved journeys in"),
        ("{bad", "is damaged (not valid JSON); it was left as it is"),
        ('{"journey_save": 1, "scenario": "x", "state": {"version": 1}}', "the save is damaged"),
        ("[]", "is not a journey save this version can read"),
    ],
)
def test_a_missing_or_damaged_save_is_explained(
    cli: Callable[..., Any], tmp_path: Path, damage: str | None, words: str
) -> None:
    save = tmp_path / "save.json"
    if damage is not None:
        save.write_text(damage, encoding="utf-8")
    result = cli("transcript", str(save))
    assert result.code == 1
    assert words.format(save=save) in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_an_unknown_id_lists_the_saves(cli: Callable[..., Any], copy: Path) -> None:
    save_journey(copy, "student", 1, [2])
    result = cli("transcript", "winter-pas")
    assert result.code == 1
    assert "no such save: winter-pas. Saved journeys are in" in result.err
    assert "or a scenario id: winter-pass" in result.err


def test_a_save_whose_scenario_is_gone_or_broken(cli: Callable[..., Any], copy: Path) -> None:
    save = save_journey(copy, "student", 1, [2, 2])
    copy.write_text(copy.read_text(encoding="utf-8").replace("goto: back-home", "goto: back-hom"))
    result = cli("transcript", str(save))
    assert result.code == 1
    assert "winter-pass.yaml:137:15: error[E120]: `goto: back-hom` names no scene" in result.err
    copy.unlink()
    result = cli("transcript", str(save))
    assert result.code == 1
    assert f"is for the scenario {copy.resolve()}, which cannot be found any more" in result.err


def test_a_save_that_no_longer_replays(cli: Callable[..., Any], copy: Path) -> None:
    save = save_journey(copy, "student", 1, [2, 2])
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("      - text: Turn back\n        goto: back-home\n", ""),
        encoding="utf-8",
    )
    result = cli("transcript", str(save))
    assert result.code == 1
    assert "this journey no longer replays on the scenario as it is now" in result.err


def test_a_save_of_another_scenario(cli: Callable[..., Any], copy: Path) -> None:
    save = save_journey(copy, "student", 1, [2])
    data = json.loads(save.read_text(encoding="utf-8"))
    data["state"]["scenario"] = "other"
    save.write_text(json.dumps(data), encoding="utf-8")
    result = cli("transcript", str(save))
    assert result.code == 1
    assert "is for the scenario `other`, but" in result.err
