"""Scene and debrief text: Markdown, with glossary terms as links to their
definitions. Textual's Markdown builds `Content` from the parsed text, so Rich
or Textual markup in a scenario is shown as written, never interpreted.

A new scene's text is shown in the same frame as the rest of the scene: it is
parsed at once (scene text is short) rather than in a thread, and the blocks
that keep their shape (a paragraph where a paragraph was, a list with as many
items) get the new text in place instead of being removed and mounted again,
which was most of what a keypress cost."""

from __future__ import annotations

from collections.abc import Awaitable, Hashable, Mapping
from difflib import SequenceMatcher
from functools import cache
from typing import TYPE_CHECKING

from textual.app import App
from textual.await_complete import AwaitComplete
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

from ..text import markdown_with_terms, term_from_href
from .sized import laid_out_once, sized_once

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# The in-place update reads parts of Textual's Markdown that are not public API
# (tested with the Textual version the tests pin). With another Textual that
# lacks them, text is shown by Textual's own `update`: slower, never broken.
IN_PLACE = all(
    hasattr(owner, name)
    for owner, name in (
        (Markdown, "_parse_markdown"),
        (MarkdownBlock, "_token_to_content"),
        (MarkdownBlock, "set_content"),
        (App, "_begin_batch"),
        (App, "_end_batch"),
    )
)

# The blocks that show text, by the names Textual's Markdown builds them from.
_TEXT_BLOCKS = tuple(Markdown.BLOCKS[name] for name in ("paragraph_open", "h1", "h2", "h3", "h4", "h5", "h6"))
# Tokens of blocks drawn from their text and the blocks inside them alone (not
# code, tables or HTML), which can take a new text in place.
_PLAIN = frozenset(
    f"{kind}_{end}"
    for kind in ("heading", "paragraph", "bullet_list", "ordered_list", "list_item", "blockquote")
    for end in ("open", "close")
) | {"inline"}


@cache
def _parser() -> MarkdownIt:
    """The parser Textual's Markdown uses by default, made once."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like")


def _top_level(tokens: list[Token]) -> list[list[Token]]:
    """The tokens of each top-level block, in order."""
    blocks: list[list[Token]] = [[]]
    for token in tokens:
        blocks[-1].append(token)
        if token.level == 0 and token.nesting <= 0:  # a top-level block ends
            blocks.append([])
    return blocks if blocks[-1] else blocks[:-1]


def _shape(tokens: list[Token]) -> Hashable | None:
    """What a top-level block looks like apart from its text (a list of two
    items, a level-two heading...), to tell whether a block on screen can take
    its text in place. None for one that is always built anew."""
    if len(tokens) == 1 and tokens[0].type == "hr":
        return "hr"
    if any(token.type not in _PLAIN for token in tokens):
        return None
    return tuple((t.type, t.tag, t.level, t.info, t.hidden) for t in tokens if t.type != "inline")


def _key(shape: Hashable | None) -> Hashable:
    """What a shown block is matched on: its shape, or for one built anew
    every time, a key equal to nothing else."""
    return object() if shape is None else shape


def _text_blocks(block: MarkdownBlock, found: list[MarkdownBlock]) -> list[MarkdownBlock]:
    """The paragraphs and headings in `block`, in order (before it is mounted:
    composing empties `_blocks`)."""
    if isinstance(block, _TEXT_BLOCKS):
        found.append(block)
    for inner in block._blocks:
        _text_blocks(inner, found)
    return found


class _Shown:
    """A top-level block on screen: its widgets, shape and text blocks."""

    def __init__(self, markdown: Markdown, tokens: list[Token]) -> None:
        self.key = _key(_shape(tokens))
        self.widgets = list(markdown._parse_markdown(tokens))
        self.texts: list[MarkdownBlock] = []
        for widget in self.widgets:
            _text_blocks(widget, self.texts)
        if len(self.texts) != sum(t.type == "inline" for t in tokens):
            self.key = object()  # not built as expected: never reuse it

    def take_text(self, tokens: list[Token]) -> None:
        """Show the text of `tokens`, a block of the same shape."""
        inlines = [(tokens[i - 1], token) for i, token in enumerate(tokens) if token.type == "inline"]
        for block, (opening, inline) in zip(self.texts, inlines, strict=True):
            content = block._token_to_content(inline)
            block._token, block._inline_token = opening, inline
            block.source_range = (opening.map[0], opening.map[1]) if opening.map else (0, 0)
            if not block._content.is_same(content):
                block.set_content(content)


class SceneText(Markdown):
    # Its size is set by the layout that places its blocks, and so are theirs:
    # a new size needs no second layout (see `sized`). It never scrolls: its
    # scroll is the container around it.
    virtual_size: Reactive[Size] = laid_out_once()
    # Textual declares it as an instance variable, so no ClassVar here.
    BLOCKS: dict[str, type[MarkdownBlock]] = {  # noqa: RUF012
        name: sized_once(block) for name, block in Markdown.BLOCKS.items()
    }

    def __init__(self, text: str = "", glossary: Mapping[str, str] | None = None, **kwargs: object) -> None:
        self.glossary: Mapping[str, str] = glossary if glossary is not None else {}  # keeps its aliases
        self._shown: list[_Shown] = []
        super().__init__(markdown_with_terms(text, self.glossary), open_links=False, **kwargs)  # type: ignore[arg-type]

    def show(self, text: str, seen: set[str] | None = None) -> None:
        self.update(markdown_with_terms(text, self.glossary, seen))

    def update(self, markdown: str) -> AwaitComplete:
        """Show `markdown` now. The blocks shown and the new ones are lined up
        by shape (as a diff lines up lines): a block matched takes its new text
        in place, the others are removed or mounted. The result waits for those."""
        if not IN_PLACE:
            return super().update(markdown)
        self._markdown = markdown
        self._table_of_contents = None
        self._theme = self.app.theme
        blocks = _top_level(_parser().parse(markdown))
        old, shown = self._shown, []
        gone: list[MarkdownBlock] = []
        mounts: list[tuple[list[MarkdownBlock], MarkdownBlock | None]] = []  # widgets, before what
        keys = [_key(_shape(tokens)) for tokens in blocks]
        steps = SequenceMatcher(None, [s.key for s in old], keys, autojunk=False).get_opcodes()
        kept = {i for tag, i1, i2, _, _ in steps if tag == "equal" for i in range(i1, i2)}
        for tag, i1, i2, j1, j2 in steps:
            if tag == "equal":
                for same, tokens in zip(old[i1:i2], blocks[j1:j2], strict=True):
                    same.take_text(tokens)
                    shown.append(same)
                continue
            gone += [widget for s in old[i1:i2] for widget in s.widgets]
            new = [_Shown(self, tokens) for tokens in blocks[j1:j2]]
            shown += new
            following = (w for i in range(i2, len(old)) if i in kept for w in old[i].widgets)
            mounts.append(([widget for s in new for widget in s.widgets], next(following, None)))
        self._shown = shown
        mounts = [(widgets, before) for widgets, before in mounts if widgets]
        if not gone and not mounts:
            return AwaitComplete()  # nothing to wait for
        self.app._begin_batch()  # no frame until the new blocks are mounted and composed
        awaits: list[Awaitable[object]] = [self.remove_children(gone)] if gone else []
        awaits += [self.mount_all(widgets, before=before) for widgets, before in mounts]

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
