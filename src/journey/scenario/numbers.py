"""Whole numbers as a scenario file writes them, bounded as they are read.

Format 1 keeps every number within +/- INT_LIMIT. YAML 1.1 spells integers in
five ways (decimal, 0b binary, 0x hex, 0 octal and base 60 such as 1:30), and
PyYAML converts them without bound: a base-60 number of a million digits takes
quadratic time, and a huge hex number passes and breaks every later `str()`
(Python refuses to print more than 4,300 digits). So a number is read here in
linear time and, when it is out of range, kept as its text, marked, for the
checks to explain.
"""

from __future__ import annotations

import re

INT_LIMIT = 1_000_000_000
RANGE_TEXT = f"{-INT_LIMIT:,} to {INT_LIMIT:,}"

# YAML 1.1's integer forms (PyYAML's resolver accepts exactly these)
_YAML_INT = re.compile(
    r"[-+]?(?:0b[0-1_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*(?::[0-5]?[0-9])*)",
)
_MAX_DIGITS = 31  # 2**31 > INT_LIMIT: more significant digits are out of range in any base


class OutOfRange(str):
    """A number written in the file that format 1 cannot hold; its text, as written."""

    __slots__ = ()


def read_int(raw: str) -> int | OutOfRange:
    """The integer a YAML 1.1 int scalar spells, or OutOfRange when it is beyond
    +/- INT_LIMIT. Raises ValueError for text that is not an integer."""
    if not _YAML_INT.fullmatch(raw):
        raise ValueError("not a whole number")
    body = raw.replace("_", "")
    sign = -1 if body.startswith("-") else 1
    body = body.lstrip("+-")
    if ":" in body:
        value = _base60(body)
    else:
        base, digits = _base_and_digits(body)
        digits = digits.lstrip("0") or "0"
        if len(digits) > _MAX_DIGITS:
            return OutOfRange(raw)
        value = int(digits, base)
    if value is None or value > INT_LIMIT:
        return OutOfRange(raw)
    return sign * value


def _base_and_digits(body: str) -> tuple[int, str]:
    if body.startswith("0b"):
        return 2, body[2:]
    if body.startswith("0x"):
        return 16, body[2:]
    if body.startswith("0") and len(body) > 1:
        return 8, body[1:]
    return 10, body


def _base60(body: str) -> int | None:
    """Base 60 by Horner's rule, stopping as soon as the value is out of range."""
    value = 0
    for part in body.split(":"):
        part = part.lstrip("0") or "0"
        if len(part) > _MAX_DIGITS:
            return None
        value = value * 60 + int(part)
        if value > INT_LIMIT:
            return None
    return value


def in_range(value: int) -> bool:
    return -INT_LIMIT <= value <= INT_LIMIT
