"""Scene and debrief text: Markdown, with glossary terms as links to their
definitions. Textual's Markdown builds `Content` from the parsed text, so Rich
or Textual markup in a scenario is shown as written, never interpreted.

A new scene's text is shown in the same frame as the rest of the scene: it is
parsed at once (scene text is short) rather than in a thread, and the blocks
that keep their shape (a paragraph where a paragraph was, a list with as many
items) get the new text in place instead of being removed and mounted again,
which is most of what a keypress would otherwise cost."""

from __future__ import annotations

from collections.abc import Awaitable, Hashable, Mapping
from functools import cache
from typing import TYPE_CHECKING

from textual.await_complete import AwaitComplete
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

from ..text import markdown_with_terms, term_from_href

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Textual's block classes, by the names its Markdown widget builds them from.
# Blocks drawn from their own text alone, which can take a new text in place:
_LEAVES = tuple(
    Markdown.BLOCKS[name] for name in ("paragraph_open", "hr", "h1", "h2", "h3", "h4", "h5", "h6")
)
# Blocks drawn from the blocks inside them (and a list item's bullet):
_CONTAINERS = tuple(
    Markdown.BLOCKS[name]
    for name in (
        "bullet_list_open",
        "ordered_list_open",
        "list_item_ordered_open",
        "list_item_unordered_open",
        "blockquote_open",
    )
)


@cache
def _parser() -> MarkdownIt:
    """The parser Textual's Markdown uses by default, made once."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like")


def _shape(block: MarkdownBlock, leaves: list[MarkdownBlock]) -> Hashable | None:
    """What a block looks like apart from its text, to tell whether a shown
    block can take another's text in place; its text blocks are added to
    `leaves` in order. None for a block that is always built anew (code,
    tables, anything else)."""
    kind = (type(block), block._token.level, getattr(block, "bullet", None))
    if isinstance(block, _LEAVES) and not block._blocks:
        leaves.append(block)
        return kind
    if isinstance(block, _CONTAINERS):
        inner = [_shape(b, leaves) for b in block._blocks]
        return None if None in inner else (kind, tuple(inner))
    return None


class _Shown:
    """A top-level block on screen, its shape and its text blocks."""

    def __init__(self, block: MarkdownBlock) -> None:
        self.block = block
        self.leaves: list[MarkdownBlock] = []
        self.shape = _shape(block, self.leaves)  # before mounting: composing empties `_blocks`

    def takes(self, other: _Shown) -> bool:
        return self.shape is not None and self.shape == other.shape

    def take_text(self, other: _Shown) -> None:
        for mine, theirs in zip(self.leaves, other.leaves, strict=True):
            mine._token, mine._inline_token = theirs._token, theirs._inline_token
            mine.source_range = theirs.source_range
            if not mine._content.is_same(theirs._content):
                mine.set_content(theirs._content)


class SceneText(Markdown):
    def __init__(self, text: str = "", glossary: Mapping[str, str] | None = None, **kwargs: object) -> None:
        self.glossary: Mapping[str, str] = glossary if glossary is not None else {}  # keeps its aliases
        self._shown: list[_Shown] = []
        super().__init__(markdown_with_terms(text, self.glossary), open_links=False, **kwargs)  # type: ignore[arg-type]

    def show(self, text: str, seen: set[str] | None = None) -> None:
        self.update(markdown_with_terms(text, self.glossary, seen))

    def update(self, markdown: str) -> AwaitComplete:
        """Show `markdown` now: blocks that keep their shape take the new text,
        the rest (from the first that differs) are removed and mounted anew.
        The result waits for those mounts."""
        self._markdown = markdown
        self._table_of_contents = None
        self._theme = self.app.theme
        new = [_Shown(block) for block in self._parse_markdown(_parser().parse(markdown))]
        kept = 0
        while kept < min(len(new), len(self._shown)) and self._shown[kept].takes(new[kept]):
            self._shown[kept].take_text(new[kept])
            kept += 1
        gone, added = self._shown[kept:], new[kept:]
        self._shown[kept:] = added
        if not gone and not added:
            return AwaitComplete()  # nothing to wait for
        self.app._begin_batch()  # no frame until the new blocks are mounted and composed
        awaits: list[Awaitable[object]] = [self.remove_children([s.block for s in gone])] if gone else []
        if added:
            awaits.append(self.mount_all(s.block for s in added))

        async def mounted() -> None:
            try:
                for done in awaits:
                    await done
            finally:
                self.app._end_batch()

        return AwaitComplete(mounted())

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        term = term_from_href(event.href, self.glossary)
        if term is not None:
            from ..screens.glossary import GlossaryScreen

            self.app.push_screen(GlossaryScreen([(term, self.glossary[term])]))
        else:  # an author's link: say where it goes rather than launch a browser
            self.notify(f"Link: {event.href}", markup=False, timeout=8)
