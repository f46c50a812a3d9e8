"""A modal panel of text that Escape (or its own key) closes."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..text import literal
from .once import ClosesOnce


class TextPanel(ClosesOnce, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]
    HINT = "Escape closes this."

    def __init__(self, title: str, body: Content | RenderableType) -> None:
        super().__init__(classes="modal")
        self.panel_title, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(id="panel") as panel:
            panel.border_title = self.panel_title
            with VerticalScroll(id="panel-body"):
                yield Static(self.body)
            yield Static(literal(self.HINT), id="panel-hint")

    def on_mount(self) -> None:
        for body in self.query("#panel-body"):  # none if the panel was removed before it was mounted
            body.focus()

    def action_close(self) -> None:
        self.dismiss(None)
