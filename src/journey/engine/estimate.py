"""How long a journey takes to play, from the scenario's own text.

Measured on seeded random journeys (the same every time): words read at a
reading pace for meaning, plus a moment to decide at each choice. Pure, like
the rest of the engine; front ends show the result on the start card.
"""

from __future__ import annotations

import random
import re
import statistics
from dataclasses import dataclass

from ..scenario.model import Scenario
from .core import Engine

READING_WPM = 200  # a teenager reading for meaning, not skimming
SECONDS_PER_CHOICE = 10  # reading the choices and deciding
JOURNEYS = 40
MAX_CHOICES = 300
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True, slots=True)
class PlayingTime:
    low: int  # minutes, rounded: the quicker quarter of journeys take at most this
    typical: int  # the median journey
    high: int  # the longer quarter take at least this

    def sentence(self) -> str:
        about = f"A journey takes about {self.typical} minute{'s' * (self.typical != 1)}"
        if self.low == self.high:
            return about + "."
        return f"{about} ({self.low} to {self.high}, depending on your choices)."


def words(text: str) -> int:
    return len(_WORD.findall(text))


def playing_time(scenario: Scenario, journeys: int = JOURNEYS) -> PlayingTime | None:
    """The spread of playing times over seeded random journeys; None when no
    journey reaches an ending (a scenario still being written)."""
    engine = Engine(scenario)
    personas = list(scenario.personas) or [""]
    minutes = [m for n in range(journeys) if (m := _one(engine, personas[n % len(personas)], n)) is not None]
    if not minutes:
        return None
    low, typical, high = statistics.quantiles(minutes, n=4) if len(minutes) > 1 else [minutes[0]] * 3
    return PlayingTime(_round(low), _round(typical), _round(high))


def _one(engine: Engine, persona: str, seed: int) -> float | None:
    rng = random.Random(seed)
    state = engine.start(persona or None, seed)
    read = 0
    for choices in range(MAX_CHOICES):
        view = engine.view(state)
        read += words(view.text) + sum(words(c.text) for c in view.choices)
        read += sum(words(f.text) for f in view.facts if not f.seen)
        if view.ending is not None:
            read += words(view.ending.debrief)
            return read / READING_WPM + choices * SECONDS_PER_CHOICE / 60
        open_choices = [c for c in view.choices if c.available]
        if not open_choices:
            return None
        state = engine.choose(state, rng.choice(open_choices).index).state
    return None


def _round(minutes: float) -> int:
    """To the nearest 5 minutes above 10, the nearest minute below; at least 1."""
    if minutes < 10:
        return max(1, round(minutes))
    return int(5 * round(minutes / 5))
