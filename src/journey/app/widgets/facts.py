"""Fact cards ("learn more"): a title, the fact, and where it comes from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.content import Content
from textual.widgets import Static

from ...engine import FactView
from ..text import literal, with_terms


def source_line(fact: FactView) -> Content:
    if fact.source is None:
        return Content("")
    line = literal("Source: ", "italic") + literal(fact.source.cite())
    return line + literal(f"\n{fact.source.url}", "dim") if fact.source.url else line


def fact_card(fact: FactView, glossary: Mapping[str, str]) -> Content:
    parts = [literal(fact.title, "bold"), with_terms(fact.text, glossary)]
    source = source_line(fact)
    return Content("\n").join([*parts, source] if source else parts)


def facts_content(
    facts: Iterable[FactView], glossary: Mapping[str, str], heading: str = "Learn more"
) -> Content:
    cards = [fact_card(f, glossary) for f in facts]
    if not cards:
        return Content("")
    return Content("\n\n").join([literal(heading, "bold underline"), *cards])


class FactCards(Static):
    def show(self, facts: Iterable[FactView], glossary: Mapping[str, str]) -> None:
        content = facts_content(facts, glossary)
        self.display = bool(content)
        self.update(content)
