"""Scene and debrief text: Markdown, with glossary terms as links to their
definitions. Textual's Markdown builds `Content` from the parsed text, so Rich
or Textual markup in a scenario is shown as written, never interpreted."""

from __future__ import annotations

from collections.abc import Mapping

from textual.widgets import Markdown

from ..text import markdown_with_terms, term_from_href


class SceneText(Markdown):
    def __init__(self, text: str = "", glossary: Mapping[str, str] | None = None, **kwargs: object) -> None:
        self.glossary: Mapping[str, str] = glossary if glossary is not None else {}  # keeps its aliases
        super().__init__(markdown_with_terms(text, self.glossary), open_links=False, **kwargs)  # type: ignore[arg-type]

    def show(self, text: str, seen: set[str] | None = None) -> None:
        self.update(markdown_with_terms(text, self.glossary, seen))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        term = term_from_href(event.href, self.glossary)
        if term is not None:
            from ..screens.glossary import GlossaryScreen

            self.app.push_screen(GlossaryScreen([(term, self.glossary[term])]))
        else:  # an author's link: say where it goes rather than launch a browser
            self.notify(f"Link: {event.href}", markup=False, timeout=8)
