"""The route map: every stage in order, where the player is and has been.

Marks are symbols and words, not colour alone: done, here, ahead."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static

from ...scenario.model import Stage
from ..text import literal, show_content
from .sized import laid_out_once

DONE, HERE, AHEAD = "✓", "▶", "·"


def route_content(stages: Iterable[Stage], seen: Mapping[str, bool], current: str) -> Content:
    lines = [literal("Route", "bold")]
    for stage in stages:
        if stage.id == current:
            lines.append(
                literal(f"{HERE} ", "bold")
                + literal(stage.title, "bold reverse")
                + literal(" (here)", "italic")
            )
        elif seen.get(stage.id):
            lines.append(literal(f"{DONE} {stage.title}"))
        else:
            lines.append(literal(f"{AHEAD} {stage.title}", "dim"))
    return Content("\n").join(lines)


class RouteMap(Static):
    virtual_size: Reactive[Size] = laid_out_once()  # see sized.py
    DEFAULT_CSS = """
        RouteMap {
            height: auto;
            padding: 0 1;
            margin-bottom: 1;
        }
    """

    def show(self, stages: Iterable[Stage], seen: Mapping[str, bool], current: str) -> None:
        show_content(self, route_content(stages, seen, current))
