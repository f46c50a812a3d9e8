"""Asked before a new journey would replace an unfinished one: c continues
it, n starts a new one, Escape goes back. Nothing is ever replaced silently."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..text import literal
from .once import ClosesOnce


class ReplaceScreen(ClosesOnce, ModalScreen[str | None]):
    """Dismissed with "continue", "new", or None (go back)."""

    DEFAULT_CSS = """
        ReplaceScreen #panel {
            max-width: 60;
            border: thick $warning;
        }
        ReplaceScreen #buttons {
            height: auto;
            margin-top: 1;
            align: center middle;
        }
        ReplaceScreen Button {
            margin: 0 1;
        }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "answer('continue')", "Continue it"),
        Binding("n", "answer('new')", "New journey"),
        Binding("escape", "answer('')", "Back"),
    ]

    def __init__(self, title: str, about: str) -> None:
        super().__init__(classes="modal")
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

    def on_mount(self) -> None:
        for button in self.query("#continue"):  # none if the dialog was removed before it was mounted
            button.focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer or None)
