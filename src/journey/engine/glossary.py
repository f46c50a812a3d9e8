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


def find_terms(text: str, glossary: Mapping[str, str]) -> tuple[TermSpan, ...]:
    """Non-overlapping occurrences of the glossary's terms in `text`, in order.

    Whole words only, case-insensitive; where terms overlap the longest wins
    (so "avalanche bulletin" beats "avalanche"). Spaces inside a term match any
    run of whitespace, so a term broken across lines is still found.
    """
    if not glossary or not text:
        return ()
    pattern, keys = _compile(tuple(sorted(glossary)))
    if pattern is None:
        return ()
    found = ((m, keys.get(_norm(m.group()))) for m in pattern.finditer(text))
    return tuple(TermSpan(m.start(), m.end(), key) for m, key in found if key is not None)


def _norm(term: str) -> str:
    return " ".join(term.split()).casefold()


@lru_cache(maxsize=32)
def _compile(terms: tuple[str, ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    keys = {_norm(t): t for t in terms if t.strip()}
    if not keys:
        return None, keys
    # longest first, because regex alternation takes the first that matches
    parts = [r"\s+".join(re.escape(w) for w in k.split()) for k in sorted(keys, key=len, reverse=True)]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE), keys
