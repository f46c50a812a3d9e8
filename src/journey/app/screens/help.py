"""Help: every key, what the panels mean, what the game is."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content

from ..text import literal
from .modal import TextPanel

KEYS = [
    ("1 to 9", "take the choice with that number"),
    ("Up, Down, Enter", "move between choices and take one; a mouse click works too"),
    ("f", "learn more: the scene's fact cards and their sources"),
    ("g", "glossary: what the underlined words mean (or click a word)"),
    ("m", "on a narrow screen: show the route map and status instead of the text"),
    ("Page Up, Page Down", "scroll a long scene"),
    ("b", "go back, when every choice is closed"),
    ("Enter, Escape", "on the notes screen: begin, or go back"),
    ("p, s", "at the ending: play again, or go back to the start"),
    ("t", "at the ending: save a transcript of your journey, to hand in"),
    ("Tab", "move between buttons and lists"),
    ("? or F1", "this help"),
    ("Ctrl+P", "the command palette: every action, and the colour themes"),
    ("q or Ctrl+Q", "quit (asks first, then y to confirm)"),
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


def help_content() -> Content:
    width = max(len(k) for k, _ in KEYS) + 2
    keys = [literal(k.ljust(width), "bold") + literal(d) for k, d in KEYS]
    panels = [literal(f"{name}: ", "bold") + literal(text) for name, text in PANELS]
    return Content("\n").join(
        [
            literal("What this is", "bold underline"),
            literal(ABOUT),
            Content(""),
            literal("Keys", "bold underline"),
            *keys,
            Content(""),
            literal("The panels", "bold underline"),
            *panels,
        ]
    )


class HelpScreen(TextPanel):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,f1", "close", "Close")]
    HINT = "Escape, ? or F1 closes this."

    def __init__(self) -> None:
        super().__init__("Help", help_content())
