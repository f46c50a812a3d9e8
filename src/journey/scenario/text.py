"""Scenario text: removing control characters, and finding `{placeholders}`."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
# overrides that can make text read differently from what it holds; and lone
# surrogates, which the pure-Python YAML parser lets "\ud800" escapes make and
# which no output or save could encode.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


def printable(text: str) -> str:
    """Text that is safe to write to a terminal: every control character,
    bidirectional override and lone surrogate becomes a visible escape such as
    `\\x1b`, so no message can move the cursor, set the clipboard or reorder
    what is shown. Tabs and newlines stay. The one sanitiser for every
    message, file name and report that a terminal may show."""
    return CONTROL.sub(_escape, text) if CONTROL.search(text) else text


def _escape(match: re.Match[str]) -> str:
    # C0 as \x1b; the rest (DEL, C1, bidi, surrogates) as \u009b, which is also a
    # valid escape inside a JSON string (JSON output never holds a raw C0 character)
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def strip_controls(text: str) -> tuple[str, int]:
    """The text without control characters, and how many were removed."""
    cleaned, count = CONTROL.subn("", text)
    return cleaned, count


def placeholders(text: str) -> list[tuple[str, str, int]]:
    """Each piece of `text` as (kind, value, offset).

    kind is "text" (literal, braces already unescaped), "name" (a `{name}`
    inside braces, not yet checked) or "stray" (a lone `{` or `}`).
    """
    pieces: list[tuple[str, str, int]] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(text):
        if m.start() > pos:
            pieces.append(("text", text[pos : m.start()], pos))
        token = m.group()
        if token in ("{{", "}}"):
            pieces.append(("text", token[0], m.start()))
        elif token in ("{", "}"):
            pieces.append(("stray", token, m.start()))
        else:
            pieces.append(("name", (m.group(1) or "").strip(), m.start()))
        pos = m.end()
    if pos < len(text):
        pieces.append(("text", text[pos:], pos))
    return pieces
