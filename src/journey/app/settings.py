"""The app's remembered settings: they live in `journey.settings`, which plain
mode reads too."""

from __future__ import annotations

from ..settings import (
    endings_seen,
    plain_default,
    read,
    remember_ending,
    remember_plain_default,
    remember_theme,
    settings_path,
    theme,
    write,
)

__all__ = [
    "endings_seen",
    "plain_default",
    "read",
    "remember_ending",
    "remember_plain_default",
    "remember_theme",
    "settings_path",
    "theme",
    "write",
]
