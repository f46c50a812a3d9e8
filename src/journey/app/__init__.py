"""The Textual front end. Importing this package loads Textual; `cli.py` and
`play.py` import it only when a game is played in a terminal."""

from __future__ import annotations

from .app import JourneyApp, run_app

__all__ = ["JourneyApp", "run_app"]
