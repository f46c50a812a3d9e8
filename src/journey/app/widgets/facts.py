"""Fact cards ("learn more"): a title, the fact, and where it comes from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static

from ...engine import FactView
from ..text import literal, show_content, with_terms
from .sized import laid_out_once


def source_line(fact: FactView) -> Content:
    if fact.source is None:
        return Content("")
    line = literal("Source: ", "italic") + literal(fact.source.cite())
    return line + literal(f"\n{fact.source.url}", "dim") if fact.source.url else line


def fact_card(
    fact: FactView, glossary: Mapping[str, str], seen: set[str] | None = None, brief: bool = False
) -> Content:
    """The card in full, or (`brief`, for a fact shown earlier in the journey)
    its title and the key that opens it again."""
    if brief and fact.seen:
        return literal(fact.title, "bold") + literal("\nread before: f opens it again", "italic")
    parts = [literal(fact.title, "bold"), with_terms(fact.text, glossary, seen=seen)]
    source = source_line(fact)
    return Content("\n").join([*parts, source] if source else parts)


def facts_content(
    facts: Iterable[FactView],
    glossary: Mapping[str, str],
    heading: str = "Learn more",
    seen: set[str] | None = None,
    brief: bool = False,
) -> Content:
    cards = [fact_card(f, glossary, seen, brief) for f in facts]
    if not cards:
        return Content("")
    return Content("\n\n").join([literal(heading, "bold underline"), *cards])


class FactCards(Static):
    virtual_size: Reactive[Size] = laid_out_once()  # see sized.py
    DEFAULT_CSS = """
        FactCards {
            height: auto;
            padding: 0 1;
        }
    """

    def show(
        self, facts: Iterable[FactView], glossary: Mapping[str, str], seen: set[str] | None = None
    ) -> None:
        content = facts_content(facts, glossary, seen=seen, brief=True)
        self.display = bool(content)
        show_content(self, content)
