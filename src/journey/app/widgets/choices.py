"""The numbered choices. Locked ones are disabled, dimmed, and also say
"locked" with their reason, so colour is never the only signal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from textual import events
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...engine import ChoiceView
from ..text import literal, with_terms

KEEPS_MEASURES = hasattr(OptionList, "_clear_caches")  # see ChoiceList._measured_width


def choice_prompt(choice: ChoiceView, glossary: Mapping[str, str], seen: set[str] | None = None) -> Content:
    number = literal(f"{choice.number}. ", "bold")
    if choice.available:
        return number + with_terms(choice.text, glossary, seen=seen)
    return (
        number
        + literal("(locked) ", "italic")
        + with_terms(choice.text, glossary, seen=seen)
        + literal("\n   locked: ", "italic")
        + literal(choice.locked_reason)
    )


class ChoiceList(OptionList):
    """Options whose ids are the engine's choice indexes."""

    DEFAULT_CSS = """
        ChoiceList {
            height: auto;
            max-height: 60%;
            border: round $primary;
            border-title-align: left;
            padding: 0 1;
        }
    """

    def show(
        self, choices: Iterable[ChoiceView], glossary: Mapping[str, str], seen: set[str] | None = None
    ) -> None:
        self.set_options(
            Option(choice_prompt(c, glossary, seen), id=str(c.index), disabled=not c.available)
            for c in choices
        )
        first = next((i for i, o in enumerate(self.options) if not o.disabled), None)
        self.highlighted = first

    def _refresh_scrollbars(self) -> None:
        """Whether the list scrolls is decided once it has its new height.
        New options measure themselves at once, against the old height: a list
        one line high getting three options showed a scrollbar until the
        layout, which then took it away, and laying the list out twice cost a
        second frame after every such key. (Textual's own method, wrapped: with
        a Textual without it this is never called.)"""
        if getattr(self, "_layout_required", False):  # new options: the layout they asked for is coming
            self.call_after_refresh(super()._refresh_scrollbars)  # should that layout not resize the list
            return
        super()._refresh_scrollbars()

    # The width the options were measured and drawn for: Textual's list
    # forgets them after any resize, when it is told of it (after the frame is
    # drawn: the list was drawn a second time, the same, after every key that
    # changed its height). They depend on the width alone. This needs the
    # list's private `_clear_caches` (Textual 8): without it, Textual's own
    # resize handling forgets them, as before.
    _measured_width = -1

    def _size_updated(self, *args: Any, **kwargs: Any) -> bool:
        resized: bool = super()._size_updated(*args, **kwargs)
        self._forget_other_width()  # during the layout, before the frame is drawn
        return resized

    def _on_resize(self, event: events.Resize | None = None) -> None:
        if event is not None and KEEPS_MEASURES:
            event.prevent_default()  # instead of OptionList's own, which forgets them all
        self._forget_other_width()

    def _forget_other_width(self) -> None:
        width = self.scrollable_content_region.width
        if KEEPS_MEASURES and width != self._measured_width:
            self._measured_width = width
            self._clear_caches()

    def position_of(self, index: int) -> int | None:
        """Where the choice with engine index `index` is in the list."""
        wanted = str(index)
        return next((i for i, o in enumerate(self.options) if o.id == wanted), None)

    def out_of_view(self, position: int) -> Literal["above", "below"] | None:
        """Whether the option at `position` is scrolled out of the list's view
        ("above" or "below"), or None when it is all on screen (or, taller than
        the view, fills it from its first line)."""
        top = self._index_to_line.get(position)
        if top is None:
            return None
        bottom = top + self._heights[position]
        first = round(self.scroll_y)
        last = first + self.scrollable_content_region.height
        if top < first:
            return "above"
        if bottom > last and top != first:
            return "below"
        return None

    def bring_into_view(self, position: int) -> None:
        """Highlight the option at `position` and scroll it onto the screen."""
        self.highlighted = position
        # one taller than the view is shown from its first line
        self.scroll_to_highlight(top=self._heights[position] >= self.scrollable_content_region.height)
