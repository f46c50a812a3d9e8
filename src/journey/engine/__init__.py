"""The game engine: pure state and rules. Never imports a front end."""

from .adapt import Adapted, Fit, adapt, retrace
from .core import (
    ChoiceView,
    Engine,
    EngineError,
    FactView,
    Meter,
    PastStep,
    Result,
    SceneView,
    Summary,
    Undone,
    format_value,
)
from .state import Path, State, StateError, Step

__all__ = [
    "Adapted",
    "ChoiceView",
    "Engine",
    "EngineError",
    "FactView",
    "Fit",
    "Meter",
    "PastStep",
    "Path",
    "Result",
    "SceneView",
    "State",
    "StateError",
    "Step",
    "Summary",
    "Undone",
    "adapt",
    "format_value",
    "retrace",
]
