"""What a scenario says about itself before play: enough for the first screen
(its content notes) and the start screen's list, without the rules.

It is kept apart from the model so that showing it needs none of the model's
code: the app draws its first frame from a cached scenario's cover while the
rest waits (scenario/cache.py)."""

from __future__ import annotations

from typing import NamedTuple


class Cover(NamedTuple):
    id: str
    title: str
    path: str  # the main file, as loaded
    summary: str = ""
    audience: str = ""
    content_notes: tuple[str, ...] = ()
