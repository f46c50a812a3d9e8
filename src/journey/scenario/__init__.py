"""Scenario format 1: load, check and explain errors. Imports nothing from the UI.

Each name is imported when first used: a front end that reads a checked
scenario from the cache (cache.py) needs the model, not the YAML loader and
its checks, and the app starts sooner without them."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .diagnostics import CODES, Diagnostic, Diagnostics, Mark, Severity
    from .loader import load
    from .model import Loaded, Scenario

_MODULES = {
    "CODES": "diagnostics",
    "Diagnostic": "diagnostics",
    "Diagnostics": "diagnostics",
    "Mark": "diagnostics",
    "Severity": "diagnostics",
    "load": "loader",
    "Loaded": "model",
    "Scenario": "model",
}
__all__ = ["CODES", "Diagnostic", "Diagnostics", "Loaded", "Mark", "Scenario", "Severity", "load"]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:  # a submodule (`from journey.scenario import expr`) is found as usual
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
