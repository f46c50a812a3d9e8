"""Plain mode: the notes prompt, personas, numbered and locked choices, the
commands, bad input, end of input, colour only on a terminal without NO_COLOR,
and no control character from a scenario ever reaching the output."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from journey import saves
from journey.cli import main

WINTER = Path(__file__).parent / "fixtures" / "winter-pass.yaml"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

GATE = """\
    format: 1
    id: gate
    title: The Gate
    summary: A yard, a gate and a maze.
    audience: everyone
    content_notes: [locked doors, walls]
    variables:
      key: {start: false, label: Key, shown: true}
      coins: {start: 2, min: 0, max: 5, label: Coins, shown: true}
    sources: {guide: {title: The Guide, publisher: Guild, year: 1999}}
    route: [{id: r, title: Road, place: Somewhere, discussion: [Why a gate?]}]
    endings: {out: {title: Out, kind: safe, debrief: You left.}}
    start: yard
    scenes:
      yard:
        stage: r
        text: A yard with a gate.
        facts: [{title: Gates, text: Gates keep things in., source: guide}]
        choices:
          - {text: Pay to open, if: coins >= 3, show_locked: true,
             locked_text: You need 3 coins, goto: out}
          - {text: Unlock the gate, if: key, show_locked: true, goto: out}
          - {text: Look around, add: {coins: 1}, goto: yard}
          - {text: Wander off, goto: maze}
      maze:
        stage: r
        text: Walls everywhere.
        choices:
          - {text: Secret door, if: coins > 4, goto: out}
      out: {stage: r, ending: out}
"""


def in_order(text: str, *parts: str) -> None:
    """Each part appears in `text`, after the one before it."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not found after position {at} in:\n{text}"
        at = found + len(part)


@pytest.fixture
def gate(write: Callable[..., Path]) -> Path:
    return write(GATE, "gate.yaml")


@pytest.mark.parametrize("answer", ["", "y", "Y", "yes"])
def test_notes_then_begin(cli: Callable, gate: Path, answer: str) -> None:
    r = cli("play", "--plain", str(gate), stdin=f"{answer}\nq\n")
    assert r.code == 0
    in_order(
        r.out,
        "The Gate\n\n",
        "A yard, a gate and a maze.",
        "Audience: everyone",
        "Content notes: this journey includes locked doors; walls.",
        f"Press Enter or y to begin, q to quit: {answer}\n",
        "Road (Somewhere)",
        "A yard with a gate.",
    )


@pytest.mark.parametrize("answer", ["q", "quit", "n", "no"])
def test_notes_then_quit(cli: Callable, gate: Path, journey_home: Path, answer: str) -> None:
    r = cli("play", "--plain", str(gate), stdin=f"{answer}\n")
    assert r.code == 0
    assert r.out.endswith(f"q to quit: {answer}\nGoodbye.\n")
    assert "A yard with a gate." not in r.out
    assert not (journey_home / "saves").exists()


def test_notes_prompt_repeats_on_other_answers(cli: Callable, gate: Path) -> None:
    r = cli("play", "--plain", str(gate), stdin="maybe\n\nq\n")
    in_order(
        r.out,
        "q to quit: maybe\n",
        "Please press Enter to begin, or type q to quit.\n",
        "Press Enter or y to begin, q to quit: \n",
        "A yard with a gate.",
    )


def test_input_ending_before_the_start(cli: Callable, gate: Path, journey_home: Path) -> None:
    r = cli("play", "--plain", str(gate), stdin="")
    assert r.out.endswith("Input ended before the journey began.\n")
    assert r.code == 0 and not (journey_home / "saves").exists()


def test_persona_list(cli: Callable) -> None:
    r = cli("play", "--plain", "--seed", "1", str(WINTER), stdin="\n3\nx\n2\n")
    in_order(
        r.out,
        "Who will you be?\n",
        "1. Ana: A student on her first winter crossing, travelling light.\n",
        "2. Tomas: A shepherd who knows the lower valley well but has little money.\n",
        "Choose 1-2 (q to quit): 3\n",
        "Please type a number from 1 to 2.\n",
        "Choose 1-2 (q to quit): x\n",
        "Please type a number from 1 to 2.\n",
        "Choose 1-2 (q to quit): 2\n",
        "Tomas has 10 EUR",
    )


def test_persona_pick_can_quit(cli: Callable) -> None:
    r = cli("play", "--plain", str(WINTER), stdin="\nq\n")
    assert r.out.endswith("Choose 1-2 (q to quit): q\nGoodbye.\n")


def test_persona_option_skips_the_list(cli: Callable) -> None:
    r = cli("play", "--plain", "--persona", "shepherd", str(WINTER), stdin="\n")
    assert "Who will you be?" not in r.out
    assert "Tomas has 10 EUR" in r.out


def test_unknown_persona_is_misuse(cli: Callable) -> None:
    r = cli("play", "--plain", "--persona", "shephard", str(WINTER), stdin="\n")
    assert r.code == 2
    assert r.err == "No persona `shephard` in The Winter Pass; did you mean `shepherd`?\n"
    assert r.out == ""


def test_scene_choices_commands_and_ending(cli: Callable, gate: Path) -> None:
    r = cli("play", "--plain", str(gate), stdin="\n1\nh\n?\nf\ns\n9\nabc\n3\n1\n")
    assert r.code == 0
    in_order(
        r.out,
        "A yard with a gate.\n\n",
        "1. (locked) Pay to open: You need 3 coins\n",  # the choices right after the story
        "2. (locked) Unlock the gate: needs: Key: yes\n",
        "3. Look around\n",
        "4. Wander off\n\n",
        "Learn more: Gates. Gates keep things in. (Source: The Guide, Guild, 1999)\n",
        "Status: Key: no; Coins: 2 of 5.\n",
        "> 1\nThat choice is locked: You need 3 coins\n",
        "> h\nCommands:\n  1, 2, 3 ...  take the choice with that number\n",
        "  q            save and quit\n",
        "> ?\nCommands:",
        "> f\n\nLearn more: Gates.",
        "> s\nStatus: Key: no; Coins: 2 of 5.\n",
        "> 9\nThere is no choice 9 here. The choices are 1, 2, 3 and 4.\n",
        "> abc\nType the number of a choice, or h for help.\n",
        "> 3\nCoins: from 2 to 3.\n",
        "A yard with a gate.\n\n1. Pay to open\n",
        "Learn more: 1 fact you have read before; type f to read it again.\n",
        "> 1\n",
        "The end: Out (a safe ending)\n",
        "You left.\n",
        "Your route\nRoad (Somewhere): passed.\nChoices made: 2.\n",
        "What you learned along the way\n",
        "Gates (The Guide, Guild, 1999).\n",
        "To think about\n",
        "Road: Why a gate?\n",
    )
    assert r.out.count("Gates keep things in.") == 2  # once on the first visit, once asked for
    assert r.out.count("Status:") == 2  # once at the start, once asked for; then only changes
    assert "b            go back" not in r.out


def test_stuck_scene_offers_undo(cli: Callable, gate: Path) -> None:
    r = cli("play", "--plain", str(gate), stdin="\n4\n1\nh\nb\nu\n3\n1\n")
    in_order(
        r.out,
        "Walls everywhere.\n",
        "There is no way on from here: every choice is closed. Type u to undo your last "
        "choice, or q to quit.\n",
        "> 1\nThere is no choice to take here. Type u to undo your last choice, or q to quit.\n",
        "> h\nCommands:",
        "  b            go back (only when there is no way on)\n",
        "> b\nUndone: “Wander off” (Road).\n",
        "Road (Somewhere)\n\nA yard with a gate.\n",
        "> u\nThis is the start of the journey: there is nothing to undo.\n",
        "> 3\nCoins: from 2 to 3.\n",
        "The end: Out (a safe ending)",
    )


def test_quit_saves_and_says_how_to_resume(cli: Callable, gate: Path, journey_home: Path) -> None:
    r = cli("play", "--plain", str(gate), stdin="\n3\nq\n")
    assert r.out.endswith("> q\nYour journey is saved. Resume it with: journey play --continue\n")
    state = saves.read(journey_home / "saves" / "gate.json").state
    assert state.vars == {"key": False, "coins": 3} and len(state.path) == 1


def test_end_of_input_saves_and_says_how_to_resume(cli: Callable, gate: Path, journey_home: Path) -> None:
    r = cli("play", "--plain", str(gate), stdin="\n3\n")
    assert r.out.endswith("> \nInput ended. Your journey is saved; resume it with: journey play --continue\n")
    assert saves.read(journey_home / "saves" / "gate.json").state.vars["coins"] == 3


def test_no_escape_codes_unless_a_terminal_without_no_color(
    cli: Callable, gate: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = cli("play", "--plain", str(gate), stdin="\nq\n")
    assert "\x1b" not in piped.out
    coloured = cli("play", "--plain", str(gate), stdin="\nq\n", tty_out=True)
    assert "\x1b[1mThe Gate\x1b[0m" in coloured.out  # the check can see colour
    monkeypatch.setenv("NO_COLOR", "1")
    plain = cli("play", "--plain", str(gate), stdin="\nq\n", tty_out=True)
    assert "\x1b" not in plain.out
    assert plain.out.replace("\n", "") == coloured.out.replace("\x1b[1m", "").replace("\x1b[0m", "").replace(
        "\n", ""
    )


def test_scenario_control_characters_never_reach_the_output(cli: Callable, write: Callable) -> None:
    nasty = "\\e[2J\\e]0;pwned\\a\\x9b31m\\u202e\\x00\\x7f"  # YAML escapes
    raw = "\x1b\u202e\x85\x07\x9b"  # written into the file as they are
    text = (
        GATE.replace("title: The Gate", f'title: "The {nasty}Gate"')
        .replace("A yard, a gate", f"A yard{raw}, a gate")
        .replace("text: A yard with a gate.", f'text: "A yard {nasty}with a gate."')
        .replace("text: Look around", f'text: "Look {nasty}around"')
        .replace("debrief: You left.", f"debrief: You {raw}left.")
        .replace("[locked doors, walls]", f'[locked doors, "walls{nasty}"]')
        .replace("text: Gates keep things in.", f"text: Gates {raw}keep things in.")
    )
    path = write(text, "nasty.yaml")
    for tty in (False, True):
        r = cli("play", "--plain", str(path), stdin="\nf\n3\n1\n", tty_out=tty)
        shown = r.out.replace("\x1b[1m", "").replace("\x1b[0m", "")  # our own headings
        assert CONTROL.search(shown.replace("\n", "")) is None, repr(CONTROL.search(shown))
        in_order(
            shown,
            "The [2J]0;pwned31mGate",
            "A yard, a gate",
            "walls[2J",
            "Gates keep things in.",
            "3. Look [2J]0;pwned31maround",
            "You left.",
        )


def test_text_is_shown_literally_without_markdown_marks(cli: Callable) -> None:
    r = cli("play", "--plain", "--persona", "student", "--seed", "1", str(WINTER), stdin="\n2\n")
    in_order(
        r.out, "2. Read the [avalanche bulletin] pinned to the door", "Danger level 3 of 5: considerable."
    )
    assert "*considerable*" not in r.out


def test_lines_are_wrapped(cli: Callable) -> None:
    r = cli("play", "--plain", "--seed", "1", str(WINTER), stdin="\n1\n")
    assert max(len(line) for line in r.out.splitlines()) <= 88


def test_stuck_at_the_start(cli: Callable, write: Callable) -> None:
    path = write(GATE.replace("start: yard", "start: maze"), "stuck.yaml")
    r = cli("play", "--plain", str(path), stdin="\nb\nq\n")
    in_order(
        r.out,
        "Walls everywhere.\n",
        "There is no way on from here",
        "> b\nThis is the start of the journey: there is nothing to undo.\n",
        "> q\nYour journey is saved.",
    )


def test_a_scenario_with_errors_does_not_start(cli: Callable, write: Callable) -> None:
    path = write(GATE.replace("goto: maze", "goto: maize"), "broken.yaml")
    r = cli("play", "--plain", str(path), stdin="\n")
    assert r.code == 1 and r.out == ""
    in_order(
        r.err,
        f"The scenario {path} has errors, so it cannot be played:\n",
        "error[E120]: `goto: maize` names no scene",
        "did you mean `maze`?",
        f"Run `journey validate {path}` for the full list.",
    )


def test_interrupt_stops_cleanly(cli: Callable, gate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Interrupted:
        def readline(self) -> str:
            raise KeyboardInterrupt

        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdin", Interrupted())
    assert main(["play", "--plain", str(gate)]) == 130
