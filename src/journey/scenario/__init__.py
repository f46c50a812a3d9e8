"""Scenario format 1: load, check and explain errors. Imports nothing from the UI."""

from .diagnostics import CODES, Diagnostic, Diagnostics, Mark, Severity
from .loader import Loaded, load
from .model import Scenario

__all__ = ["CODES", "Diagnostic", "Diagnostics", "Loaded", "Mark", "Scenario", "Severity", "load"]
