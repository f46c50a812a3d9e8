"""Plain mode has everything the app has, and reads aloud well: the glossary,
look again, the route in words with the journey so far, undo (as far back as
the start, never re-rolling chance), a transcript at any point, play again,
the plain default, and no unfinished journey replaced without asking.
Played through the installed command with piped input where it matters."""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journey import play, saves, settings
from journey.engine import Engine
from journey.resources import DEFAULT, builtin_scenarios
from journey.scenario import load

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"
ANA = ("play", "--plain", "--seed", "5", "--persona", "student", str(WINTER))
# Block characters, box lines and arrows a screen reader reads out as noise.
NOISE = re.compile(r"={3,}|\[x\]|\[ \]|->|→|[\u2500-\u259f]")


def in_order(text: str, *parts: str) -> None:
    """Each part after the one before, whatever the terminal's width wrapped."""
    text, parts = " ".join(text.split()), tuple(" ".join(p.split()) for p in parts)
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not found after position {at} in:\n{text}"
        at = found + len(part)


def lost_seed() -> int:
    """A seed whose first draw sends Ana from the climb to `lost`."""
    loaded = load(WINTER)
    assert loaded.scenario is not None
    engine = Engine(loaded.scenario)
    return next(seed for seed in range(1000) if engine.replay("student", seed, [2, 0]).scene == "lost")


def test_glossary_words_are_named_and_defined(cli: Callable[..., Any]) -> None:
    r = cli(*ANA, stdin="\ng\n2\ng\ng all\nq\n")
    in_order(
        r.out,
        "has 30 EUR and a day's food.",
        "Glossary word here: avalanche bulletin. Type g for the meaning.\n\n1. Buy",
        "> g\n\navalanche bulletin: A daily forecast of avalanche danger on a five-step scale.\n",
        "> 2\n",
        "> g\nNo glossary words in this scene. Type g all for every word.\n",
        "> g all\n\navalanche bulletin: A daily",
        "hypothermia: A fall in body temperature",
    )


def test_glossary_words_are_underlined_on_a_colour_terminal(cli: Callable[..., Any]) -> None:
    r = cli(*ANA, stdin="\nq\n", tty_out=True)
    assert "Read the [\x1b[4mavalanche bulletin\x1b[24m] pinned" not in r.out  # choices stay as written
    assert "Glossary word here: avalanche bulletin." in r.out


def test_look_again_repeats_the_scene_and_its_choices(cli: Callable[..., Any]) -> None:
    r = cli(*ANA, stdin="\nl\nq\n")
    in_order(
        r.out,
        "> l\n\nThe village (Valley floor, 900 m)\n\nThe bus leaves you",
        "1. Buy a map at the kiosk (15 EUR)\n2. Read the",
        "3. Start the climb\n",
        "Learn more: Tell someone your route.",
        "> q\n",
    )


def test_route_in_words_and_the_journey_so_far(cli: Callable[..., Any]) -> None:
    r = cli(*ANA, stdin="\nm\n1\n3\nm\nq\n")
    in_order(
        r.out,
        "> m\n\nThe route\nThe village (Valley floor, 900 m): you are here.\n"
        "The pass (Saddle, 2,400 m): not reached.\nThe refuge (Far side, 1,800 m): not reached.\n\n"
        "Your journey so far\nNo choices made yet.\n",
        "> m\n\nThe route\nThe village (Valley floor, 900 m): passed.\n",
        "The pass (Saddle, 2,400 m): you are here.\n",
        "Your journey so far\n1. The village: you chose Buy a map at the kiosk (15 EUR).",
        "Money (EUR): from 30 to 15; Has a map: from no to yes.\n",
        "2. The village: you chose Start the climb.\n",
    )


def test_undo_as_far_as_the_start_saying_what_was_undone(cli: Callable[..., Any], journey_home: Path) -> None:
    r = cli(*ANA, stdin="\n1\n2\nu\nu\nu\nq\n")
    in_order(
        r.out,
        "> u\nUndone: “Read the [avalanche bulletin] pinned to the door” (The village).\n\n"
        "The village (Valley floor, 900 m)\n\nThe bus leaves you in the square at dawn. The pass is a "
        "white line above the roofs. Ana\nhas 15 EUR",
        "> u\nUndone: “Buy a map at the kiosk (15 EUR)” (The village).\n",
        "has 30 EUR",
        "> u\nThis is the start of the journey: there is nothing to undo.\n",
    )
    state = saves.read(journey_home / "saves" / "winter-pass.json").state
    assert state.path == () and state.vars["money"] == 30  # the save follows the undo


def test_undo_never_re_rolls_chance(cli: Callable[..., Any]) -> None:
    seed = str(lost_seed())
    r = cli(
        "play",
        "--plain",
        "--seed",
        seed,
        "--persona",
        "student",
        str(WINTER),
        stdin="\n3\n1\nu\n1\nu\n1\nq\n",
    )
    assert r.out.count("The boot prints end in fresh snow.") == 3  # every time the same draw
    assert (
        r.out.count(
            "Undone: “Push on to the saddle before dark” (The pass). Chance is not drawn again: the same "
            "choice leads the same way.\n"
        )
        == 2
    )


def test_undo_from_an_ending_and_play_again(cli: Callable[..., Any]) -> None:
    r = cli(*ANA, stdin="\n3\n2\nu\n2\np\n2\n\n")
    in_order(
        r.out,
        "The end: Back in the village (an open ending)",
        "p to play again, t for a transcript, u to undo, Enter to finish: u\n",
        "Undone: “Turn back” (The pass).\n",
        "The end: Back in the village",
        "Enter to finish: p\n\nWho will you be?\n1. Ana",
        "Choose 1-2 (q to quit): 2\n",
        "Tomas has 10 EUR",
        "Status: Warmth: 6 of 10; Money (EUR): 10; Has a map: yes.\n",
    )


def test_a_transcript_at_any_point(cli: Callable[..., Any], journey_home: Path) -> None:
    r = cli(*ANA, stdin="\n3\nt\nq\n")
    [saved] = list((journey_home / "transcripts").glob("winter-pass-*.md"))
    assert f"> t\nTranscript saved to {saved}\n" in r.out
    text = saved.read_text(encoding="utf-8")
    assert "**You chose:** Start the climb" in text and "it is not finished yet" in text


def test_help_lists_every_command(cli: Callable[..., Any]) -> None:
    r = cli(*ANA, stdin="\nh\nq\n")
    for key in ("1, 2, 3 ...", "l ", "f ", "g ", "s ", "m ", "u ", "t ", "d ", "h or ?", "q "):
        assert f"\n  {key}" in r.out, key


def test_d_makes_plain_mode_the_default_and_back(cli: Callable[..., Any]) -> None:
    r = cli(*ANA, stdin="\nd\nd\nd\nq\n")
    in_order(
        r.out,
        "> d\nPlain mode is now the default",
        "> d\nThe full-screen app is the default again",
        "> d\nPlain mode is now the default",
    )
    assert settings.plain_default()


@pytest.mark.parametrize(
    ("env", "remembered", "flag", "plain"),
    [
        ("", False, "", False),
        ("1", False, "", True),
        ("yes", False, "", True),
        ("0", True, "", False),  # the environment wins over the setting
        ("", True, "", True),
        ("", True, "--app", False),
        ("1", False, "--app", False),
        ("", False, "--plain", True),
    ],
)
def test_what_makes_plain_the_default(
    monkeypatch: pytest.MonkeyPatch, env: str, remembered: bool, flag: str, plain: bool
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("JOURNEY_PLAIN", env)
    settings.remember_plain_default(remembered)
    args = argparse.Namespace(plain=flag == "--plain", app=flag == "--app")
    assert play.wants_plain(args) is plain


def test_a_new_journey_never_silently_replaces_an_unfinished_one(
    cli: Callable[..., Any], journey_home: Path
) -> None:
    cli(*ANA, stdin="\n1\n3\n")  # input ends at the pass, saved
    asked = cli(*ANA, stdin="x\nc\nq\n")
    in_order(
        asked.out,
        "You have an unfinished journey in The Winter Pass: as Ana, at The pass (Saddle, 2,400 m), "
        "2 choices made, saved ",
        "Type c to continue it, n to start a new journey (which replaces it), or q to quit: x\n",
        "Please type c, n or q.\n",
        "or q to quit: c\nContinuing your journey in The Winter Pass.\n",
        "Your map shows a shelter hut",
    )
    quitting = cli(*ANA, stdin="q\n")
    assert quitting.out.endswith("or q to quit: q\nGoodbye.\n")
    assert len(saves.read(journey_home / "saves" / "winter-pass.json").state.path) == 2  # kept
    fresh = cli(*ANA, stdin="n\n\nq\n")
    in_order(fresh.out, "or q to quit: n\n", "The Winter Pass\n", "Press Enter or y to begin")
    assert saves.read(journey_home / "saves" / "winter-pass.json").state.path == ()


def test_new_starts_without_asking(cli: Callable[..., Any]) -> None:
    cli(*ANA, stdin="\n1\n")
    r = cli(*ANA, "--new", stdin="\nq\n")
    assert "unfinished" not in r.out and "Press Enter or y to begin" in r.out


def test_an_ended_journey_is_replaced_without_asking(cli: Callable[..., Any]) -> None:
    cli(*ANA, stdin="\n3\n2\n\n")
    assert "unfinished" not in cli(*ANA, stdin="\nq\n").out


def test_the_intro_says_how_long_a_journey_takes(cli: Callable[..., Any]) -> None:
    r = cli(*ANA, stdin="q\n")
    assert re.search(
        r"\nA journey takes about \d+ minutes?( \(\d+ to \d+, depending on your choices\))?\.\n", r.out
    )


# -- read aloud ------------------------------------------------------------------------------
def winter_scripts() -> list[str]:
    return ["\n3\n2\n\n", "\n1\n3\n1\n1\n\n", "\n2\nf\ns\nm\nl\n1\n3\n1\nu\n1\n1\n\n"]


@pytest.mark.parametrize("script", winter_scripts())
def test_plain_output_reads_aloud_well(run_exe: Callable[..., Any], script: str) -> None:
    done = run_exe(*ANA, stdin=script)
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0 and done.stderr == b""
    assert NOISE.search(out) is None, NOISE.search(out)
    assert out.count("Status:") == 1 + script.count("\ns\n")  # then only what changed
    assert "\n\n\n" not in out  # one pause between blocks, never two


def builtin_script(engine: Engine, persona_number: int, persona: str, seed: int) -> str:
    """Enter, the persona's number, then random choices to an ending."""
    rng = random.Random(seed)
    state = engine.start(persona, seed)
    typed = ["", str(persona_number)]
    for _ in range(400):
        view = engine.view(state)
        if view.ending is not None:
            break
        pick = rng.choice([c for c in view.choices if c.available])
        typed.append(str(pick.number))
        state = engine.choose(state, pick.index).state
    return "\n".join(typed) + "\n\n"


def test_the_built_in_journey_reads_aloud_well(cli: Callable[..., Any]) -> None:
    loaded = load(builtin_scenarios()[DEFAULT])
    assert loaded.scenario is not None
    engine = Engine(loaded.scenario)
    personas = list(loaded.scenario.personas)
    for n, persona in enumerate(personas[:3]):
        script = builtin_script(engine, n + 1, persona, seed=n)
        done = cli(  # in this process; the piped command end to end is tested above and below
            "play", "--plain", "--new", "--seed", str(n), str(builtin_scenarios()[DEFAULT]), stdin=script
        )
        out = done.out
        assert done.code == 0, done.err
        assert "The end: " in out and "There is no choice" not in out
        assert NOISE.search(out) is None, NOISE.search(out)
        assert "\n\n\n" not in out
        assert max(len(line) for line in out.splitlines()) <= 88  # changes wrap too
        facts = {f.title for scene in loaded.scenario.scenes.values() for f in scene.facts}
        assert all(out.count(f"Learn more: {title}.") <= 1 for title in facts)  # in full once


def test_piped_undo_end_to_end(run_exe: Callable[..., Any], journey_home: Path) -> None:
    done = run_exe(*ANA, stdin="\n1\n3\nu\nu\n3\n2\n\n")
    out = done.stdout.decode("utf-8")
    in_order(
        out,
        "> u\nUndone: “Start the climb” (The village).\n",
        "> u\nUndone: “Buy a map at the kiosk (15 EUR)” (The village).\n",
        "> 3\n",
        "Without a map you follow old boot prints",
        "The end: Back in the village (an open ending)",
    )
    save = json.loads((journey_home / "saves" / "winter-pass.json").read_text("utf-8"))
    assert [step[1] for step in save["state"]["path"]] == [2, 2]


def test_every_line_is_wrapped_even_long_notes_personas_and_status(cli: Callable[..., Any]) -> None:
    out = cli("play", "--plain", "--new", "--seed", "3", stdin="\n1\n1\ns\nm\n").out
    assert "Content notes:" in out and "Status:" in out
    assert max(len(line) for line in out.splitlines()) <= 88
