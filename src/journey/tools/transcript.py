"""`journey transcript SAVE`: a saved journey as Markdown, for handing in.

SAVE is a save file, or the id of a scenario whose save is in the usual
folder (`journey transcript winter-pass`). A save that is missing or cannot be
read, or whose scenario cannot be found or no longer replays it, is explained
and exits 1.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from .. import resources, saves
from ..engine import Engine
from ..exit_codes import EXIT_ERRORS
from ..scenario.loader import display_path
from ..transcript import TranscriptError, transcript
from .plumbing import ToolError, emit, guarded, load_scenario, say


def run(args: argparse.Namespace) -> int:
    return guarded("transcript", lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    save = _read(args.save)
    target = resources.resolve(save.scenario_ref)
    if target is None or not target.is_file():
        raise ToolError(
            f"the save {save.path} is for the scenario {save.scenario_ref}, which cannot be found any more",
            EXIT_ERRORS,
        )
    scenario = load_scenario(str(target))
    state = save.state
    if state.scenario != scenario.id:
        raise ToolError(
            f"the save {save.path} is for the scenario `{state.scenario}`, but "
            f"{display_path(str(target))} holds `{scenario.id}`",
            EXIT_ERRORS,
        )
    if state.fingerprint != scenario.fingerprint:
        say(
            f"journey transcript: note: {display_path(str(target))} has changed since this "
            "journey was played; the transcript shows its text as it is now."
        )
    try:
        text = transcript(Engine(scenario), state, _played(save.path), args.name or "")
    except TranscriptError as exc:
        raise ToolError(f"{save.path}: {exc}", EXIT_ERRORS) from None
    return emit(text, args.output, "transcript", "the transcript", keep=scenario.files, save=save.path)


def _read(arg: str) -> saves.Save:
    path = Path(arg)
    if not path.exists():
        by_id = saves.for_scenario(arg) if _is_id(arg) else None
        if by_id is None:
            raise ToolError(f"no such save: {arg}. {_saves_hint()}", EXIT_ERRORS)
        path = by_id
    try:
        return saves.read(path)
    except saves.SaveError as exc:
        raise ToolError(str(exc), EXIT_ERRORS) from None


def _is_id(text: str) -> bool:
    return bool(text) and all(c.isalnum() or c == "-" for c in text)


def _saves_hint() -> str:
    folder = saves.saves_dir()
    try:
        names = sorted(p.stem for p in folder.glob("*.json") if not p.stem.endswith(".changed"))
    except OSError:
        names = []
    if not names:
        return f"There are no saved journeys in {folder}."
    return f"Saved journeys are in {folder}; give a file there, or a scenario id: " + ", ".join(names)


def _played(path: Path) -> datetime:
    """When the journey was last played: the save's time."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return datetime.now()
