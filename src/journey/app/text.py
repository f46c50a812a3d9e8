"""Scenario text made safe to show: always `Content` built from plain strings,
never markup, so `[bold]` or `[link=x]` in a scenario shows as written."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from textual.content import Content

if TYPE_CHECKING:
    from textual.widgets import Static

TERM_STYLE = "underline"
GLOSSARY_SCHEME = "glossary:"

# Markdown that a glossary link must not be put inside: code, links, autolinks,
# HTML tags and bare URLs.
_PROTECTED = re.compile(
    r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`]*`|!?\[[^\]]*\]\([^)]*\)|\[[^\]]*\]\[[^\]]*\]"
    r"|<[^>\n]*>|https?://\S+|^(?: {4}|\t).*$",
    re.DOTALL | re.MULTILINE,
)


def literal(text: str, style: str = "") -> Content:
    """`text` exactly as written, optionally in one of our own styles."""
    return Content.styled(text, style) if style else Content(text)


def show_content(widget: Static, content: Content) -> None:
    """Show `content` in `widget` unless it shows just that already: an update
    costs a layout and a repaint, and many panels stay the same from scene to scene."""
    shown = widget.content
    if not (isinstance(shown, Content) and shown.is_same(content)):
        widget.update(content)


def with_terms(
    text: str, glossary: Mapping[str, str], style: str = "", seen: set[str] | None = None
) -> Content:
    """Plain text with the glossary's terms underlined (not colour alone); with
    `seen`, only terms not yet marked in this scene (it grows)."""
    from ..engine.glossary import find_terms, first_uses  # play only: the first screens need no engine

    content = literal(text, style)
    spans = find_terms(text, glossary)
    for span in spans if seen is None else first_uses(spans, seen):
        content = content.stylize(TERM_STYLE, span.start, span.end)
    return content


def term_href(term: str) -> str:
    return GLOSSARY_SCHEME + term


def term_from_href(href: str, glossary: Mapping[str, str]) -> str | None:
    """The glossary term a link names, if it is one of ours."""
    if not href.startswith(GLOSSARY_SCHEME):
        return None
    term = unquote(href[len(GLOSSARY_SCHEME) :])
    return term if term in glossary else None


def markdown_with_terms(text: str, glossary: Mapping[str, str], seen: set[str] | None = None) -> str:
    """Markdown with each glossary term made a link to its definition, so a
    click (or the glossary key) shows it. Code, links and URLs are left alone.
    With `seen`, only terms not yet marked in this scene (it grows)."""
    from ..engine.glossary import find_terms, first_uses  # play only: the first screens need no engine

    spans = find_terms(text, glossary)
    if seen is not None:
        spans = first_uses(spans, seen)
    if not spans:
        return text
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    out, last = [], 0
    for span in spans:
        if any(a < span.end and span.start < b for a, b in protected):
            continue
        word = re.sub(r"([\\\[\]*_`<>])", r"\\\1", text[span.start : span.end])
        out += [text[last : span.start], f"[{word}]({GLOSSARY_SCHEME}{quote(span.term)})"]
        last = span.end
    out.append(text[last:])
    return "".join(out)
