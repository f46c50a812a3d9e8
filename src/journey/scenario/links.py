"""Links in what we write as Markdown: only http(s) and mailto, ever.

A guide or a transcript is opened in some Markdown viewer we do not control,
so a scenario must not be able to smuggle a `javascript:` (or `data:`, or
`file:`) link into one, whatever spelling it tries: backslash escapes
(`javascript\\:`), entities, reference definitions with odd labels or inside
quotes. Rather than guess at the syntax, the author's Markdown is parsed with
a CommonMark parser (markdown-it-py, which Textual already depends on) that
is told to accept every link, and every link target it finds is checked.
Text with a target that is not allowed gets its brackets escaped, so no
viewer can read a link in it at all.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_UNSAFE_IN_URL = re.compile(r"[\s<>\"'`\\]|[\x00-\x1f\x7f-\x9f]")
_MAILBOX = re.compile(r"[^@\s/]+@[^@\s/]+")


def allowed_url(url: str) -> bool:
    """True for an http(s) address with a host, or a mailto: address, that holds
    nothing Markdown or HTML could read as syntax."""
    if not url or _UNSAFE_IN_URL.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return bool(parts.hostname)
    return scheme == "mailto" and bool(_MAILBOX.fullmatch(parts.path))


def link_targets(markdown: str) -> list[str]:
    """Every link and image target a CommonMark viewer would read in `markdown`,
    as the viewer decodes it (escapes and entities resolved)."""
    found: list[str] = []
    stack = list(_parser().parse(markdown))
    while stack:
        token = stack.pop()
        if token.type == "link_open":
            found.append(str(token.attrGet("href") or ""))
        elif token.type == "image":
            found.append(str(token.attrGet("src") or ""))
        stack.extend(token.children or ())
    return found


def bad_links(markdown: str) -> list[str]:
    """The link targets in `markdown` that are not allowed."""
    if "[" not in markdown and "<" not in markdown:  # no link without either
        return []
    return [t for t in link_targets(markdown) if not allowed_url(t)]


_LINK_SYNTAX = re.compile(r"[\\\[\]<]")


def safe_markdown(markdown: str) -> str:
    """The Markdown unchanged when every link in it is allowed; otherwise with
    every backslash, bracket and `<` escaped, so that it holds no link at all."""
    if not bad_links(markdown):
        return markdown
    escaped = _LINK_SYNTAX.sub(lambda m: "\\" + m.group(), markdown)
    if bad_links(escaped):  # pragma: no cover - a parser surprise: no brackets at all
        return escaped.replace("[", "(").replace("]", ")").replace("<", "&lt;")
    return escaped


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link, dangerous ones too
    return md
