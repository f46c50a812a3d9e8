"""The numbered choices. Locked ones are disabled, dimmed, and also say
"locked" with their reason, so colour is never the only signal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...engine import ChoiceView
from ..text import literal, with_terms


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

    def show(
        self, choices: Iterable[ChoiceView], glossary: Mapping[str, str], seen: set[str] | None = None
    ) -> None:
        self.set_options(
            Option(choice_prompt(c, glossary, seen), id=str(c.index), disabled=not c.available)
            for c in choices
        )
        first = next((i for i, o in enumerate(self.options) if not o.disabled), None)
        self.highlighted = first
