"""Messages the play screens post for the app to decide (undo, the journey so
far): a screen says what the player asked for, the app asks the engine."""

from __future__ import annotations

from textual.message import Message


class UndoWanted(Message):
    """The player asked to take back the last choice (u or Ctrl+Z)."""


class JourneyWanted(Message):
    """The player asked for the journey so far (j)."""
