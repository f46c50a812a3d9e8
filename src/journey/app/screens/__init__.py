"""The app's screens, one module each (its styles in its DEFAULT_CSS)."""
