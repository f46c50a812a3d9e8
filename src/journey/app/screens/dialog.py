"""A question over the screen, answered by a key or a button: the quit and
replace dialogs. Each gives its panel, text, buttons, keys and answers; the
button row, the first focus and closing once are here."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.screen import ModalScreen

from .once import ClosesOnce

Answer = TypeVar("Answer")


class Dialog(ClosesOnce, ModalScreen[Answer]):
    DEFAULT_CSS = """
        Dialog #buttons {
            height: auto;
            margin-top: 1;
            align: center middle;
        }
        Dialog Button {
            margin: 0 1;
        }
    """
    FIRST: ClassVar[str]  # the id of the button focused when the dialog opens

    def __init__(self) -> None:
        super().__init__(classes="modal")  # the shared panel's look is in app.tcss

    def on_mount(self) -> None:
        for button in self.query(f"#{self.FIRST}"):  # none if the dialog was removed before it was mounted
            button.focus()
