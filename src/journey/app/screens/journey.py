"""The journey so far: the route in words and every choice made, with what it
changed. The engine replays the journey; this screen only shows it."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content

from ...engine import PastStep, Summary
from ..text import literal
from .modal import TextPanel


def journey_content(summary: Summary, here: str, past: tuple[PastStep, ...]) -> Content:
    lines = [literal("The route", "bold underline")]
    for stage, seen in summary.stages:
        where = "you are here" if stage.id == here else "passed" if seen else "not reached"
        place = f" ({stage.place})" if stage.place else ""
        lines.append(literal(f"{stage.title}{place}: ") + literal(where, "bold" if stage.id == here else ""))
    lines += [Content(""), literal("Your choices", "bold underline")]
    if not past:
        lines.append(literal("No choices made yet.", "italic"))
    for n, step in enumerate(past, 1):
        line = literal(f"{n}. ", "bold") + literal(f"{step.stage.title}: {step.choice}")
        notes = [c.words() for c in step.changes if c.visible]
        if step.rolled:
            notes.append("chance played a part")
        if notes:
            line += literal(f" ({'; '.join(notes)})", "italic")
        lines.append(line)
    return Content("\n").join(lines)


class JourneyScreen(TextPanel):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,j", "close", "Close")]
    HINT = "Escape or j closes this."

    def __init__(self, summary: Summary, here: str, past: tuple[PastStep, ...]) -> None:
        super().__init__("Your journey so far", journey_content(summary, here, past))
