"""`journey play`: find the scenario (or the save to continue) and start a front end."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from . import resources, saves
from .engine import Engine, EngineError, State
from .exit_codes import EXIT_ERRORS, EXIT_USAGE
from .scenario import Scenario, load
from .scenario.loader import display_path
from .scenario.text import printable


@dataclass
class Session:
    """What a front end needs to play: the scenario, its engine, where it came
    from (for saves), and a state to resume, if any."""

    scenario: Scenario
    engine: Engine
    ref: str
    resume: State | None = None
    notice: str = ""  # something to tell the player first (a changed save, say)

    def autosave(self, state: State) -> str:
        """Save the state; returns an error message, or "" when saved."""
        try:
            saves.write(state, self.ref)
        except saves.SaveError as exc:
            return f"Could not save your journey: {exc}"
        return ""


class PlayError(Exception):
    """Why play cannot start, said for the player; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_ERRORS) -> None:
        super().__init__(message)
        self.code = code


def load_scenario(path: Path) -> Scenario:
    loaded = load(path)
    if loaded.scenario is None:
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
    scenario = load_scenario(path)
    return Session(scenario, Engine(scenario), resources.reference(path))


def _continue(scenario_arg: str | None) -> Session:
    if scenario_arg:
        path = scenario_path(scenario_arg)
        scenario = load_scenario(path)
        save_file = saves.for_scenario(scenario.id)
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
    engine = Engine(scenario)
    return _check_save(Session(scenario, engine, ref), save)


def _check_save(session: Session, save: saves.Save) -> Session:
    """Resume the save if it still fits; explain when the scenario has changed."""
    state = save.state
    if state.scenario != session.scenario.id:
        raise PlayError(
            f"The save {save.path} belongs to the scenario `{state.scenario}`, not `{session.scenario.id}`."
        )
    if state.fingerprint == session.scenario.fingerprint:
        try:
            session.engine.check(state)  # a save edited or damaged by hand
        except EngineError as exc:
            raise PlayError(
                f"The save {save.path} does not fit its scenario ({exc}); it "
                "was left as it is. Start a new journey with: journey play"
            ) from None
        session.resume = state
        return session
    try:
        # the file changed: replaying the same choices puts the player where they
        # were if every choice still exists; otherwise we say so and start again
        session.engine.check(state)
        replayed = session.engine.replay(state.persona or None, state.seed, [s.choice for s in state.path])
        session.resume = replayed
        session.notice = (
            "The scenario has changed since this journey was saved; your "
            "choices were replayed on the new version."
        )
    except (EngineError, KeyError, IndexError):
        session.notice = (
            f"The scenario has changed since this journey was saved, and "
            f"your place in it no longer exists, so a new journey begins. "
            f"The old save is kept as {_keep_old(save.path)}."
        )
    return session


def _keep_old(path: Path) -> str:
    old = path.with_suffix(".changed.json")
    try:
        path.replace(old)
    except OSError:
        return str(path)
    return str(old)


def run_play(args: argparse.Namespace) -> int:
    plain_mode = args.plain or not (_web_driver() or (sys.stdin.isatty() and sys.stdout.isatty()))
    try:
        session = open_session(args.scenario, args.resume)
    except PlayError as exc:
        if _watch_broken_file(args, plain_mode, exc):
            from .app import run_app

            return run_app(None, args, pending=Path(args.scenario))
        print(printable(str(exc)), file=sys.stderr)
        return exc.code
    sc = session.scenario
    if args.persona and sc.personas and args.persona not in sc.personas:
        from .scenario.diagnostics import did_you_mean

        print(
            f"No persona `{args.persona}` in {sc.title}; "
            f"{did_you_mean(args.persona, sc.personas, 'personas')}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if plain_mode:
        from .plain import run_plain

        return run_plain(session, persona=args.persona, seed=args.seed)
    from .app import run_app  # Textual loads only here

    return run_app(session, args)


def _web_driver() -> bool:
    """Under textual-serve both streams are pipes, yet a browser shows the app."""
    return os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")


def _watch_broken_file(args: argparse.Namespace, plain_mode: bool, error: PlayError) -> bool:
    """An author watching a file that has errors gets the app, which shows them
    and loads the file once a save fixes them, rather than an exit."""
    return (
        bool(getattr(args, "watch", False))
        and not plain_mode
        and not args.resume
        and error.code != EXIT_USAGE
        and bool(args.scenario)
        and not args.scenario.startswith(resources.BUILTIN_PREFIX)
        and Path(args.scenario).is_file()
    )
