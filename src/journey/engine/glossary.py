"""Where glossary terms occur in a text: whole words, any case.

Pure and UI-free, so every front end marks the same words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class TermSpan:
    start: int
    end: int
    term: str  # the glossary key, as the scenario spells it


def find_terms(text: str, glossary: Mapping[str, str], first: bool = False) -> tuple[TermSpan, ...]:
    """Non-overlapping occurrences of the glossary's terms in `text`, in order.

    Whole words only, case-insensitive; where terms overlap the longest wins
    (so "avalanche bulletin" beats "avalanche"). Spaces inside a term match any
    run of whitespace, so a term broken across lines is still found. A term's
    aliases (format 1.1, the glossary's `aliases`) are found as the term. With
    `first`, only the first use of each term.
    """
    if not glossary or not text:
        return ()
    aliases: Mapping[str, tuple[str, ...]] = getattr(glossary, "aliases", {})
    words = tuple(sorted((t, t) for t in glossary)) + tuple(
        sorted((a, t) for t, more in aliases.items() if t in glossary for a in more)
    )
    pattern, keys = _compile(words)
    if pattern is None:
        return ()
    found = ((m, keys.get(_norm(m.group()))) for m in pattern.finditer(text))
    spans = tuple(TermSpan(m.start(), m.end(), key) for m, key in found if key is not None)
    return first_uses(spans, set()) if first else spans


def first_uses(spans: tuple[TermSpan, ...], seen: set[str]) -> tuple[TermSpan, ...]:
    """The spans of terms not in `seen` yet, each term once; `seen` grows, so a
    front end passes one set through a scene's texts to mark each term once there."""
    out = []
    for span in spans:
        if span.term not in seen:
            seen.add(span.term)
            out.append(span)
    return tuple(out)


def _norm(term: str) -> str:
    return " ".join(term.split()).casefold()


@lru_cache(maxsize=32)
def _compile(words: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A pattern for every (word, term) pair, and the term for each word as found."""
    keys: dict[str, str] = {}
    for word, term in words:
        if word.strip():
            keys.setdefault(_norm(word), term)
    if not keys:
        return None, keys
    # longest first, because regex alternation takes the first that matches
    parts = [r"\s+".join(re.escape(w) for w in k.split()) for k in sorted(keys, key=len, reverse=True)]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE), keys
