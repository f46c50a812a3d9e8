"""The status panel: the variables the scenario shows, with small bars for
bounded numbers, and how much the last choice changed each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static

from ...engine import Meter
from ..text import literal, show_content
from .sized import laid_out_once

BAR = 10  # cells
FULL, EMPTY = "█", "░"


def bar(meter: Meter) -> str:
    """A bar for an int between known bounds, else "" (and never for one shown in words)."""
    if meter.word is not None:
        return ""
    if isinstance(meter.value, bool) or meter.min is None or meter.max is None or meter.max <= meter.min:
        return ""
    filled = round((meter.value - meter.min) * BAR / (meter.max - meter.min))
    return FULL * filled + EMPTY * (BAR - filled)


def meter_content(meter: Meter, delta: int | None = None) -> Content:
    value = meter.shown_value
    if meter.max is not None and not isinstance(meter.value, bool) and meter.word is None:
        value += f" of {meter.max:,}"
    line = literal(meter.label, "bold") + literal(f": {value}")
    if delta and meter.word is None:
        line += literal(f" ({delta:+,d})", "italic")
    shown = bar(meter)
    return line + literal(f"\n{shown}") if shown else line


def status_content(meters: Iterable[Meter], deltas: Mapping[str, int]) -> Content:
    lines = [meter_content(m, deltas.get(m.name)) for m in meters]
    if not lines:
        return Content("")
    return Content("\n").join([literal("Status", "bold"), *lines])


class StatusPanel(Static):
    virtual_size: Reactive[Size] = laid_out_once()  # see sized.py
    DEFAULT_CSS = """
        StatusPanel {
            height: auto;
            padding: 0 1;
            margin-bottom: 1;
        }
    """

    def show(self, meters: Iterable[Meter], deltas: Mapping[str, int]) -> None:
        content = status_content(meters, deltas)
        self.display = bool(content)
        show_content(self, content)
