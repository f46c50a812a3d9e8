"""Definitions of glossary terms: those in the scene, or the one clicked."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content

from ..text import literal
from .modal import TextPanel


def glossary_content(entries: list[tuple[str, str]], heading: str = "") -> Content:
    lines = [literal(heading, "italic")] if heading else []
    lines += [literal(term, "bold underline") + literal("\n" + definition) for term, definition in entries]
    return Content("\n\n").join(lines)


class GlossaryScreen(TextPanel):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,g", "close", "Close")]
    HINT = "Escape or g closes this."

    def __init__(self, entries: list[tuple[str, str]], heading: str = "") -> None:
        super().__init__("Glossary", glossary_content(entries, heading))
