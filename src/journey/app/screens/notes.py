"""Content notes, before play: Enter begins, Escape goes back."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Static

from ...scenario.cover import Cover
from ..text import literal
from ..widgets.footer import Footer


def notes_content(scenario: Cover) -> Content:
    """The content notes come first, right under the title, so even a 40x12
    terminal shows them before Begin can be pressed."""
    lines = [literal(scenario.title, "bold"), Content("")]
    if scenario.content_notes:
        lines.append(literal("Before you begin: this journey includes", "bold"))
        lines += [literal(f"  - {note}") for note in scenario.content_notes]
    else:
        lines.append(literal("This journey has no content notes.", "italic"))
    lines.append(Content(""))
    if scenario.summary:
        lines += [literal(scenario.summary), Content("")]
    if scenario.audience:
        lines += [literal("For: ", "bold") + literal(scenario.audience)]
    lines += [
        Content(""),
        literal("You can stop at any time: press q, and your journey is saved to continue later."),
    ]
    return Content("\n").join(lines)


class NotesScreen(Screen[None]):
    DEFAULT_CSS = """
        NotesScreen {
            align: center top;
        }
        NotesScreen #notes {
            max-width: 76;
            padding: 1 2;
        }
        NotesScreen #notes-text {
            height: auto;
        }
        NotesScreen #buttons {
            height: auto;
            width: auto;
            margin-top: 1;
        }
        NotesScreen Button {
            margin: 0 1;
        }
    """

    class Accepted(Message):
        """The player read the notes and begins."""

    class Back(Message):
        """The player goes back from these notes (to the start screen)."""

        def __init__(self, notes: NotesScreen) -> None:
            super().__init__()
            self.notes = notes

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "begin", "Begin", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, cover: Cover) -> None:
        super().__init__()
        self.cover = cover  # all these notes need: the rules are read meanwhile

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="notes"):
            yield Static(notes_content(self.cover), id="notes-text")
        yield Footer(ready=True)  # the first screen: its keys in its first frame

    AUTO_FOCUS = "#notes"  # the notes, at their top; Enter begins from anywhere

    def on_mount(self) -> None:
        self.call_after_refresh(self._add_buttons)

    def _add_buttons(self) -> None:
        """The buttons repeat the footer's Enter and Escape for a mouse. They
        come a frame after the notes: the first Button shown costs Textual
        15-20 ms (its 45 style rules), a third of what this screen costs
        beyond a bare app, and the notes are what is read first."""
        for notes in self.query("#notes"):
            if not notes.is_attached:  # the screen, or the app, is closing
                return
            buttons = Horizontal(
                Button("Begin (Enter)", id="begin", variant="primary"),
                Button("Back (Escape)", id="back"),
                id="buttons",
            )
            notes.mount(Center(buttons))
            self.call_after_refresh(notes.scroll_home, animate=False)

    @on(Button.Pressed, "#begin")
    def action_begin(self) -> None:
        self.post_message(self.Accepted())

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.post_message(self.Back(self))
