"""The "learn more" cards of a scene, full width, with their sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from textual.binding import Binding, BindingType

from ...engine import FactView
from ..widgets.facts import facts_content
from .modal import TextPanel


class FactsScreen(TextPanel):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f", "close", "Close")]
    HINT = "Escape or f closes this."

    def __init__(self, facts: Iterable[FactView], glossary: Mapping[str, str]) -> None:
        super().__init__("Learn more", facts_content(facts, glossary, "Facts in this scene"))
