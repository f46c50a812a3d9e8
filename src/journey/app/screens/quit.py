"""Quit, after a confirmation: y quits, n or Escape stays."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ..text import literal
from .dialog import Dialog


class QuitScreen(Dialog[bool]):
    FIRST = "no"

    DEFAULT_CSS = """
        QuitScreen #panel {
            max-width: 60;
            border: thick $error;
        }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Quit"),
        Binding("n,escape", "answer(False)", "Stay"),
    ]

    def __init__(self, unsaved: str = "") -> None:
        super().__init__()
        self.unsaved = unsaved  # why the last save failed: the dialog must not say "saved"

    def compose(self) -> ComposeResult:
        with Vertical(id="panel") as panel:
            panel.border_title = "Quit?"
            yield Static(literal(self.question()))
            with Horizontal(id="buttons"):
                yield Button("Quit (y)", id="yes", variant="error")
                yield Button("Stay (n)", id="no", variant="primary")

    def question(self) -> str:
        if self.unsaved:
            reason = self.unsaved.removeprefix("Could not save your journey: ")
            return (
                f"Your journey was NOT saved ({reason}). If you quit now, it cannot be "
                "continued later. Press y to quit anyway, n to stay."
            )
        return "Quit the game? Your journey is saved; you can continue it later. Press y to quit, n to stay."

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, quit_now: bool) -> None:
        self.dismiss(quit_now)
