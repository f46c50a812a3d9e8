"""Screens that close once.

In a burst of keys a second answer (Enter on a button, y, Escape) can be
queued before a screen has closed. Textual would then dismiss it again: its
result is set twice or a screen that is already gone is popped
(InvalidStateError, ScreenStackError), which ends the app. A screen with this
mixin takes its first answer and ignores the rest."""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete


class ClosesOnce:
    """Put before the Screen class: `class QuitScreen(ClosesOnce, ModalScreen[bool])`."""

    closing = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No key of this screen acts once it is closing (its widgets may be gone)."""
        if self.closing:
            return False
        return super().check_action(action, parameters)  # type: ignore[misc,no-any-return]

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self.closing:
            return AwaitComplete()
        self.closing = True
        return super().dismiss(result)  # type: ignore[misc,no-any-return]  # the Screen after this mixin
