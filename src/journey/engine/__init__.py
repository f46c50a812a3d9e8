"""The game engine: pure state and rules. Never imports a front end."""

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
from .state import State, StateError, Step

__all__ = [
    "ChoiceView",
    "Engine",
    "EngineError",
    "FactView",
    "Meter",
    "PastStep",
    "Result",
    "SceneView",
    "State",
    "StateError",
    "Step",
    "Summary",
    "Undone",
    "format_value",
]
