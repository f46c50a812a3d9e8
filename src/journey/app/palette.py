"""Textual's command palette, closed once (see screens/once.py): queued keys
after its first answer would select the command again and dismiss the palette
a second time, popping a screen that is no longer there; and its search, a
worker, would look for its list after the palette had closed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import on, work
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Button, Input, OptionList

from .screens.once import ClosesOnce

# Textual's own search, unwrapped from its @work (a worker is made by the override below).
_SEARCH: Callable[[CommandPalette, str], Awaitable[None]] | None = getattr(
    CommandPalette._gather_commands, "__wrapped__", None
)


class Palette(ClosesOnce, CommandPalette):
    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _nothing_once_closing(self, event: Message) -> None:
        """Runs before the palette's own handlers (a subclass's come first)."""
        if self.closing:
            event.prevent_default()  # Textual's handlers, in the class below, are skipped
            event.stop()

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        """Textual's search for commands, which ends quietly once the palette is closing."""
        if self.closing:
            return
        if _SEARCH is None:  # a Textual whose search is made otherwise: start its own
            super()._gather_commands(search_value)
            return
        try:
            await _SEARCH(self, search_value)
        except NoMatches:  # its list is gone: the palette is being removed
            if self.query(CommandList):
                raise
