"""The footer of every screen: the keys, composed again only when they change,
and, on the first screen, drawn with the rest of it."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter


def shown_keys(screen: Screen[Any]) -> tuple[Hashable, ...]:
    """All that a footer draws of `screen`'s bindings (those shown, and the
    command palette's key): when this is the same, a footer composed again
    would be the same."""
    app = screen.app
    return tuple(
        (
            binding.key,
            binding.action,
            binding.description,
            app.get_key_display(binding),
            enabled,
            tooltip,
            None if binding.group is None else (binding.group.description, binding.group.compact),
        )
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show or key == app.COMMAND_PALETTE_BINDING
    )


class Footer(TextualFooter):
    """Textual's Footer, composed again only when the keys it shows change.

    Textual's composes all its keys again (each one mounted and styled) every
    time its screen's bindings are refreshed: at every focus change, screen
    resumed or widget mounted, often several times before a screen's second
    frame. Picking a persona took 245 ms to the first scene's last frame,
    130 ms of it footers composed again with the same keys; with this, 130 ms
    (and the persona screen's 108 ms, 75).

    With `ready` (the first screen), the keys are composed at once, where
    Textual's Footer composes empty and fills its keys in only after its
    screen's first refresh: the first frame would show an empty footer, and
    its keys a frame later (about 35 ms on a 2-core machine,
    benchmarks/app_startup.py). That sets Textual 8's private
    `_bindings_ready`; with a Textual without it, the keys come a frame late.
    """

    _composed_for: tuple[Hashable, ...] | None = None  # the keys composed, or None

    def __init__(self, *children: Widget, ready: bool = False, **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        if ready and hasattr(self, "_bindings_ready"):
            self._bindings_ready = True

    def compose(self) -> ComposeResult:
        self._composed_for = shown_keys(self.screen) if getattr(self, "_bindings_ready", True) else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen and self._composed_for == shown_keys(screen):
            return  # the same keys: composing them again would draw the same footer
        super().bindings_changed(screen)
