"""Opening a journey for any front end: find the scenario (or the save to
continue), load it, and say clearly why play cannot start when it cannot.

The app, plain mode and the browser front end all start here; none of this
imports a front end, so front ends can import it without a cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import resources, saves
from .exit_codes import EXIT_ERRORS, EXIT_USAGE
from .scenario.cache import Cached, cached_or_loaded, read
from .scenario.cover import Cover
from .scenario.text import printable

if TYPE_CHECKING:
    from .engine import Engine, State
    from .scenario import Scenario


@dataclass
class Session:
    """What a front end needs to play: the scenario, its engine, where it came
    from (for saves), and a state to resume, if any.

    The scenario may come from the cache unread (`Cached`): its cover is all
    the first screen shows, and the rest is read when first used."""

    source: Scenario | Cached
    ref: str
    resume: State | None = None
    notice: str = ""  # something to tell the player first (a changed save, say)

    @property
    def scenario(self) -> Scenario:
        return read(self.source)

    @property
    def cover(self) -> Cover:
        return self.source.cover

    @cached_property
    def engine(self) -> Engine:
        """Made when first used: the first screen (notes, start) needs no rules,
        so the engine's modules are imported after the first frame."""
        from .engine import Engine

        return Engine(self.scenario)

    def autosave(self, state: State) -> str:
        """Save the state; returns an error message, or "" when saved."""
        try:
            saves.write(state, self.ref)
        except saves.SaveError as exc:
            return printable(f"Could not save your journey: {exc}")  # the app shows it too
        return ""


@dataclass(frozen=True)
class Unfinished:
    """A saved journey of this scenario that has not reached an ending: starting
    a new one would replace it, so front ends ask first."""

    save: saves.Save
    about: str  # "as Ana, at The village (Lower valley), saved 30 November 2026 at 14:05"


def unfinished(session: Session) -> Unfinished | None:
    """The scenario's saved journey, if there is one that has not ended."""
    path = saves.for_scenario(session.cover.id)
    if path is None:
        return None
    try:
        save = saves.read(path)
    except saves.SaveError:
        return None  # a damaged save is reported when it is continued, never replaced unread
    sc, state = session.scenario, save.state
    if state.scenario != sc.id or not state.path:
        return None  # another scenario's, or nothing chosen yet: nothing to lose
    scene = sc.scenes.get(state.scene)
    if scene is not None and scene.ending:
        return None
    if state.persona and state.persona not in sc.personas:
        return None  # a persona the scenario no longer has: it cannot be continued
    parts = []
    persona = sc.personas.get(state.persona)
    if persona is not None:
        parts.append(f"as {persona.name}")
    stage = sc.route.get(scene.stage) if scene is not None else None
    if stage is not None:
        parts.append(f"at {stage.title}" + (f" ({stage.place})" if stage.place else ""))
    parts.append(f"{len(state.path)} choice{'s' * (len(state.path) != 1)} made")
    try:
        when = datetime.fromtimestamp(path.stat().st_mtime)
        parts.append(f"saved {when.day} {when:%B %Y} at {when:%H:%M}")
    except OSError:
        pass
    return Unfinished(save, ", ".join(parts))


def resume_unfinished(session: Session, found: Unfinished) -> Session:
    """The session that continues `found` (replayed when the file has changed)."""
    return _check_save(Session(session.source, session.ref), found.save)


class PlayError(Exception):
    """Why play cannot start, said for the player; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_ERRORS) -> None:
        super().__init__(message)
        self.code = code


def load_scenario(path: Path) -> Scenario | Cached:
    """The scenario, checked; from the cache, unread, when its files are unchanged
    since the last run (then it is not checked again)."""
    loaded = cached_or_loaded(path, saves.cache_dir())
    if isinstance(loaded, Cached):
        return loaded
    if loaded.scenario is None:
        from .scenario.loader import display_path  # loaded already, to find the errors

        lines = [d.format() for d in loaded.diagnostics.errors[:10]]
        more = len(loaded.diagnostics.errors) - 10
        if more > 0:
            lines.append(f"... and {more} more errors")
        raise PlayError(
            f"The scenario {display_path(str(path))} has errors, so it cannot "
            "be played:\n"
            + "\n".join(lines)
            + f"\nRun `journey validate {display_path(str(path))}` for the full list."
        )
    return loaded.scenario


def scenario_path(arg: str) -> Path:
    """A scenario file named on the command line: a path, or `builtin:NAME`."""
    if arg.startswith(resources.BUILTIN_PREFIX):
        found = resources.builtin_scenarios()
        name = arg[len(resources.BUILTIN_PREFIX) :]
        if name not in found:
            from .scenario.diagnostics import did_you_mean

            raise PlayError(
                f"No built-in scenario `{name}`; {did_you_mean(name, found, 'built-in scenarios')}",
                EXIT_USAGE,
            )
        return found[name]
    path = Path(arg)
    if path.is_dir():
        raise PlayError(
            f"{arg} is a folder; give a scenario file in it, or play the "
            f"folder's scenarios with: journey play --dir {arg}",
            EXIT_USAGE,
        )
    if not path.exists():
        raise PlayError(f"No such scenario file: {arg}", EXIT_USAGE)
    return path


def default_scenario() -> Path:
    found = resources.builtin_scenarios()
    path = found.get(resources.DEFAULT) or next(iter(found.values()), None)
    if path is None:
        raise PlayError(
            "No built-in scenario was found; the installation may be damaged. "
            "Give a scenario file: journey play FILE.yaml"
        )
    return path


def open_session(scenario_arg: str | None, resume: bool) -> Session:
    if resume:
        return _continue(scenario_arg)
    path = scenario_path(scenario_arg) if scenario_arg else default_scenario()
    return Session(load_scenario(path), resources.reference(path))


def _continue(scenario_arg: str | None) -> Session:
    if scenario_arg:
        path = scenario_path(scenario_arg)
        scenario = load_scenario(path)
        save_file = saves.for_scenario(scenario.cover.id)
    else:
        save_file = saves.latest()
    if save_file is None:
        raise PlayError("There is no saved journey to continue. Start one with: journey play")
    try:
        save = saves.read(save_file)
    except saves.SaveError as exc:
        raise PlayError(f"{exc}\nStart a new journey with: journey play") from None
    if not scenario_arg:
        target = resources.resolve(save.scenario_ref)
        if target is None or not target.exists():
            raise PlayError(
                f"The saved journey was for {save.scenario_ref}, which cannot be "
                "found any more. Start a new journey with: journey play"
            )
        scenario = load_scenario(target)
        ref = save.scenario_ref
    else:
        ref = resources.reference(scenario_path(scenario_arg))
    return _check_save(Session(scenario, ref), save)


def _check_save(session: Session, save: saves.Save) -> Session:
    """Resume the save if it still fits; explain when the scenario has changed."""
    from .engine import EngineError, Fit, adapt

    state = save.state
    if state.scenario != session.scenario.id:
        raise PlayError(
            f"The save {save.path} belongs to the scenario `{state.scenario}`, not `{session.scenario.id}`."
        )
    try:
        adapted = adapt(session.engine, state)
    except EngineError as exc:  # the same version, but a save edited or damaged by hand
        raise PlayError(
            f"The save {save.path} does not fit its scenario ({exc}); it "
            "was left as it is. Start a new journey with: journey play"
        ) from None
    if adapted.fit is Fit.SAME:
        session.resume = state
    elif adapted.fit is Fit.REPLAYED:
        session.resume = adapted.state
        session.notice = (
            "The scenario has changed since this journey was saved; your "
            "choices were replayed on the new version."
        )
    else:  # continuing promises the journey as it was: a changed one begins again
        session.notice = (
            f"The scenario has changed since this journey was saved, and "
            f"your place in it no longer exists, so a new journey begins. "
            f"The old save is kept as {saves.keep_aside(save.path)}."
        )
    return session
