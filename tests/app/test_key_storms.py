"""The app under key storms (issue 13): keys pressed faster than screens open and
close, in any order, on every screen, never crash it; a crash is never a
success; the quit dialog tells the truth about the save.

Keys are posted in bursts without waiting in between, as a terminal delivers
them when a player (or a cat) hammers the keyboard."""

from __future__ import annotations

import asyncio
import os
import random
from pathlib import Path

import pytest
from helpers import make_app, on_screen, screen_text, session, settle, until
from quiet import until_quiet
from textual import events
from textual.app import App

from journey.app import JourneyApp
from journey.app.app import run_app
from journey.app.screens.quit import QuitScreen
from journey.app.screens.scene import SceneScreen

# every key the app binds, and a few it does not
KEYS = [
    *"123456789",
    *"bfgmnpqsty?x",
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "pageup",
    "pagedown",
    "home",
    "end",
    "space",
    "f1",
    "ctrl+p",
    "ctrl+q",
    "ctrl+c",
]
EVERY_SCREEN = {
    "StartScreen",
    "NotesScreen",
    "PersonaScreen",
    "SceneScreen",
    "HelpScreen",
    "QuitScreen",
    "Palette",
}  # the glossary and the ending: see test_known_storms and test_storm_at_the_ending
# choices and Enter often, so storms get far into journeys; the rest evenly
WEIGHTS = [6 if k in "123" or k == "enter" else 1 for k in KEYS]
# storms in each of the GROUPS tests (xdist runs them side by side), of 25 to
# 250 keys each (~1,200 in all); before a release, run many more, with races
# (docs/architecture.md)
STORMS = int(os.environ.get("JOURNEY_STORMS", "6"))
GROUPS = 2
KEYS_PER_STORM = 250  # at most: a storm ends when its keys quit the app
BURST = 12
# 0: each burst meets a settled app (keys race each other within a burst). More: after a
# burst, up to this many turns of the event loop, so the next burst may come
# mid-change; that finds races (the palette one of test_known_storms), but
# Textual's timers run in real time, so such a run does not repeat exactly.
TURNS = int(os.environ.get("JOURNEY_STORM_TURNS", "0"))


def _key(name: str) -> events.Key:
    char = {"space": " ", "enter": "\r", "tab": "\t", "?": "?"}.get(name, name if len(name) == 1 else None)
    return events.Key("question_mark" if name == "?" else name, char)


async def burst(app: App[object], keys: list[str]) -> None:
    for name in keys:
        app.post_message(_key(name))


def _crashed(app: App[object]) -> BaseException | None:
    return app._exception  # Textual keeps the exception that ended the app


async def storm(seed: int, seen: set[str]) -> None:
    """One app and up to KEYS_PER_STORM random keys in bursts (fewer when the
    storm itself quits the app); adds the screens it reached to `seen`."""
    rng = random.Random(seed)
    pressed: list[str] = []
    app = make_app(direct=False)
    async with app.run_test(size=(90, 28)) as pilot:
        await settle(pilot)
        while len(pressed) < KEYS_PER_STORM and app.is_running and not app.leaving:
            chunk = rng.choices(KEYS, WEIGHTS, k=rng.randint(1, BURST))
            pressed += chunk
            await burst(app, chunk)
            if TURNS:
                for _ in range(rng.randint(0, TURNS)):
                    await asyncio.sleep(0)
            else:  # the app draws on its own timer meanwhile, as for a player
                await until_quiet(app, draw=False)
            seen.update(type(screen).__name__ for screen in app.screen_stack)
        if app.is_running:  # a pilot cannot wait on an app that has exited
            await settle(pilot)
    assert _crashed(app) is None, f"seed {seed}: crashed after {pressed}: {_crashed(app)!r}"
    assert app.return_code in (None, 0), f"seed {seed}: exit {app.return_code} after {pressed}"


@pytest.mark.parametrize("group", range(GROUPS))
async def test_random_key_storms_never_crash_and_reach_every_screen(
    group: int, journey_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The storms of one group reach every screen between them; each starts
    with no saves, as a new player does."""
    seen: set[str] = set()
    for seed in range(group, STORMS * GROUPS, GROUPS):
        monkeypatch.setenv("JOURNEY_HOME", str(journey_home / f"storm-{seed}"))
        await storm(seed, seen)
    assert seen >= EVERY_SCREEN, f"never reached: {EVERY_SCREEN - seen}"


@pytest.mark.parametrize(
    "keys",
    [
        ["ctrl+p", "ctrl+q", "ctrl+p"],  # was DuplicateIds: a second palette over the quit dialog
        ["ctrl+p", "ctrl+q", "ctrl+p", "y"],
        ["q", "y", "g"],  # was NoMatches: the glossary mounting into a closing app
        ["q", "y", "?"],
        ["q", "y", "ctrl+p"],
        ["q", "q", "y", "y"],
    ],
)
async def test_known_storms(keys: list[str]) -> None:
    app = make_app(persona=None)
    async with app.run_test(size=(90, 28)) as pilot:
        await play_first_scene(pilot)
        await burst(app, keys)
        await settle(pilot)
    assert _crashed(app) is None, repr(_crashed(app))
    assert app.return_code in (None, 0)


async def play_first_scene(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await settle(pilot)
    for _ in range(4):
        if isinstance(app.screen, SceneScreen):
            break
        await pilot.press("enter")
        await settle(pilot)
    await on_screen(pilot, SceneScreen)


async def test_the_quit_dialog_says_when_the_save_failed(journey_home: Path) -> None:
    journey_home.mkdir()
    (journey_home / "saves").write_text("a file where the folder should be", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await play_first_scene(pilot)
        await until(pilot, lambda: bool(app.save_problem), "the failed save")
        await pilot.press("q")
        await on_screen(pilot, QuitScreen)
        shown = " ".join(screen_text(app).split())
        assert "NOT saved" in shown and "is saved" not in shown


async def test_the_quit_dialog_says_saved_when_it_is() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await play_first_scene(pilot)
        await pilot.press("q")
        await on_screen(pilot, QuitScreen)
        assert "Your journey is saved" in " ".join(screen_text(app).split())


def test_a_crash_in_the_app_exits_non_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_mount(self: JourneyApp) -> None:
        raise RuntimeError("a bug")

    real_run = App.run
    monkeypatch.setattr(JourneyApp, "on_mount", broken_mount)
    monkeypatch.setattr(JourneyApp, "run", lambda self, **kw: real_run(self, headless=True))
    import argparse

    code = run_app(session(), argparse.Namespace(scenario="x"))
    assert code != 0


def test_a_normal_quit_exits_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    def quick_mount(self: JourneyApp) -> None:
        self.call_later(self.leave)

    real_run = App.run
    monkeypatch.setattr(JourneyApp, "on_mount", quick_mount)
    monkeypatch.setattr(JourneyApp, "run", lambda self, **kw: real_run(self, headless=True))
    import argparse

    assert run_app(session(), argparse.Namespace(scenario="x")) == 0


async def test_a_dialog_answered_twice_before_it_closes_closes_once() -> None:
    """Keys queued behind the first answer once dismissed the quit dialog again
    (InvalidStateError / ScreenStackError), and a dialog answered before it was
    mounted looked for its gone buttons (NoMatches)."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await play_first_scene(pilot)
        dialog = QuitScreen()
        app.push_screen(dialog)
        dialog.dismiss(False)  # in the same turn: before it is mounted
        dialog.dismiss(False)
        await settle(pilot)
        assert app._exception is None
        assert isinstance(app.screen, SceneScreen)
