"""The app's own colour theme: high contrast, for low vision and bright rooms.

White on black, with yellow and cyan for what Textual colours (focus, titles,
keys): every pair is far above WCAG AAA's 7:1. Chosen like any theme, from
the command palette (Ctrl+P, "Change theme"), and remembered."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="journey-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#262626",
    warning="#FFFF00",
    error="#FF8080",
    success="#7CFF7C",
    dark=True,
    variables={
        "text-muted": "#FFFFFF",
        "text-disabled": "#E0E0E0",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "border": "#FFFF00",
        "border-blurred": "#FFFFFF",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "block-cursor-text-style": "bold",
        "input-selection-background": "#FFFF00 40%",
    },
)

THEMES = (HIGH_CONTRAST,)
