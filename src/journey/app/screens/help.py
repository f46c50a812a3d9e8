"""Help: every key, what the panels mean, what the game is."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType

from .modal import TextPanel

KEYS = [
    ("1 to 9", "take the choice with that number; a choice out of view is shown first: press again"),
    ("Up, Down, Enter", "move between choices and take one; a mouse click works too"),
    ("f", "learn more: the scene's fact cards and their sources"),
    ("g", "glossary: what the underlined words mean (or click a word)"),
    ("m", "on a narrow screen or in the reading layout: the route map and status instead of the text"),
    ("r", "reading layout: the story and choices only, the panels behind m"),
    ("j", "your journey so far: the route in words and every choice made"),
    ("u or Ctrl+Z", "undo your last choice, as often as you like (chance is not drawn again)"),
    ("Page Up, Page Down, Home, End", "scroll a long scene, even while the choices have focus"),
    ("b", "go back, when every choice is closed"),
    ("Enter, Escape", "on the notes screen: begin, or go back"),
    ("p, s", "at the ending: play again, or go back to the start"),
    ("t", "at the ending: save a transcript of your journey, to hand in"),
    ("Tab", "move between buttons and lists"),
    ("? or F1", "this help"),
    ("Ctrl+P", "the command palette: every action, and the colour themes"),
    ("q, Ctrl+Q or Ctrl+C", "quit (asks first, then y to confirm; your journey is saved)"),
]

PANELS = [
    ("Route", "every stage of the journey in order: ✓ passed, ▶ you are here, · ahead."),
    (
        "Status",
        "what you have and how you are; bars show how full each is. After each "
        "choice, the line above the choices says what changed.",
    ),
    ("Learn more", "the real facts behind the scene, with their sources."),
    (
        "Locked choices",
        'are dimmed and say "locked" with the reason; they cannot be taken until the reason changes.',
    ),
]

ABOUT = (
    "Journey is a game about real journeys, told one decision at a time. Each scene "
    "says where you are; you choose what to do; the game shows what follows and what "
    "it cost. At the end, a debrief retraces your route and the facts you met. Your "
    "journey is saved after every choice, so you can quit at any time and continue "
    "later with `journey play --continue` or from the start screen."
)

PLAIN = (
    "Using a screen reader? Quit and run `journey play --plain`: the same game as "
    "plain text, read line by line. Set JOURNEY_PLAIN=1 (or type d in plain mode) "
    "to make it the default."
)


def keys_table() -> Table:
    """Two columns, each wrapping under itself on a narrow screen."""
    table = Table.grid(padding=(0, 2))
    table.add_column(ratio=1, min_width=8)
    table.add_column(ratio=3)
    for key, what in KEYS:
        table.add_row(Text(key, style="bold"), Text(what))
    return table


def help_content() -> Group:
    """Our own words only (no scenario text), so Rich `Text` is safe here."""
    heading = "bold underline"
    panels = [Text.assemble((f"{name}: ", "bold"), text) for name, text in PANELS]
    return Group(
        Text("What this is", style=heading),
        Text(ABOUT),
        Text(""),
        Text(PLAIN, style="bold"),
        Text(""),
        Text("Keys", style=heading),
        keys_table(),
        Text(""),
        Text("The panels", style=heading),
        *panels,
    )


class HelpScreen(TextPanel):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,f1", "close", "Close")]
    HINT = "Escape, ? or F1 closes this."

    def __init__(self) -> None:
        super().__init__("Help", help_content())
