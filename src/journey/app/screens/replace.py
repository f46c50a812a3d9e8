"""Asked before a new journey would replace an unfinished one: c continues
it, n starts a new one, Escape goes back. Nothing is ever replaced silently."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ..text import literal
from .dialog import Dialog


class ReplaceScreen(Dialog[str | None]):
    """Dismissed with "continue", "new", or None (go back)."""

    FIRST = "continue"

    DEFAULT_CSS = """
        ReplaceScreen #panel {
            max-width: 60;
            border: thick $warning;
        }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "answer('continue')", "Continue it"),
        Binding("n", "answer('new')", "New journey"),
        Binding("escape", "answer('')", "Back"),
    ]

    def __init__(self, title: str, about: str) -> None:
        super().__init__()
        self.title_text, self.about = title, about

    def compose(self) -> ComposeResult:
        with Vertical(id="panel") as panel:
            panel.border_title = "An unfinished journey"
            yield Static(
                literal(f"You have an unfinished journey in {self.title_text}: {self.about}. ")
                + literal("A new journey would replace it. ", "bold")
                + literal("Press c to continue it, n to start a new one, Escape to go back.")
            )
            with Horizontal(id="buttons"):
                yield Button("Continue it (c)", id="continue", variant="primary")
                yield Button("New journey (n)", id="new", variant="warning")
            yield Static(literal("Escape goes back."), id="panel-hint")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)
