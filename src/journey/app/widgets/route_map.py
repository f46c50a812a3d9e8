"""The route map: every stage in order, where the player is and has been.

Marks are symbols and words, not colour alone: done, here, ahead."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.content import Content
from textual.widgets import Static

from ...scenario.model import Stage
from ..text import plain

DONE, HERE, AHEAD = "✓", "▶", "·"


def route_content(stages: Iterable[Stage], seen: Mapping[str, bool], current: str) -> Content:
    lines = [plain("Route", "bold")]
    for stage in stages:
        if stage.id == current:
            lines.append(
                plain(f"{HERE} ", "bold") + plain(stage.title, "bold reverse") + plain(" (here)", "italic")
            )
        elif seen.get(stage.id):
            lines.append(plain(f"{DONE} {stage.title}"))
        else:
            lines.append(plain(f"{AHEAD} {stage.title}", "dim"))
    return Content("\n").join(lines)


class RouteMap(Static):
    def show(self, stages: Iterable[Stage], seen: Mapping[str, bool], current: str) -> None:
        self.update(route_content(stages, seen, current))
