"""`journey play --watch`: the running app reloads the scenario when its file
changes, keeps the player's place where the scene still exists, and shows load
errors in the app (which keeps running) until a save fixes them.

Each test changes the file under a running app and waits for the watcher's
timer to notice (a condition polled on the app's clock, never a fixed sleep)."""

from __future__ import annotations

import asyncio
import io
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.screen import Screen

from journey.app import JourneyApp, watch
from journey.app import catalog as catalog_module
from journey.app.screens.help import HelpScreen
from journey.app.screens.notes import NotesScreen
from journey.app.screens.persona import PersonaScreen
from journey.app.screens.scene import SceneScreen
from journey.launch import open_session

ROOT = Path(__file__).resolve().parents[2]
WINTER = ROOT / "tests" / "fixtures" / "winter-pass.yaml"
CLIMB = "The path climbs through pines, then out into wind."


@pytest.fixture(autouse=True)
def quick_watch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(watch, "INTERVAL", 0.05)
    monkeypatch.setattr(catalog_module.resources, "builtin_scenarios", dict)
    monkeypatch.setenv("JOURNEY_HOME", str(tmp_path / "home"))


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "winter-pass.yaml"
    path.write_text(WINTER.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    """Change the file as an editor would; the time moves on by a second so the
    change is seen even where file times are coarse."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def screen_text(app: JourneyApp) -> str:
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def notes(app: JourneyApp) -> str:
    return "\n".join(n.message for n in app._notifications)


async def wait_for(pilot: Pilot[object], check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out waiting for {what}; the screen shows:\n" + screen_text(pilot.app)
            )  # type: ignore[arg-type]
        await pilot.pause(0.02)


async def on_screen(pilot: Pilot[object], kind: type[Screen[object]]) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    await pilot.pause()


async def keys(pilot: Pilot[object], *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await pilot.pause()


def run(
    body: Callable[[JourneyApp, Pilot[object]], Awaitable[None]], path: Path, persona: str | None = "student"
) -> JourneyApp:
    app = JourneyApp(
        open_session(str(path), resume=False), direct=True, seed=1, persona=persona, watch=True, blink=False
    )

    async def main() -> None:
        async with app.run_test(size=(100, 40), notifications=True) as pilot:
            await body(app, pilot)

    asyncio.run(main())
    return app


async def to_the_climb(app: JourneyApp, pilot: Pilot[object]) -> None:
    await on_screen(pilot, NotesScreen)
    await keys(pilot, "enter")
    await on_screen(pilot, SceneScreen)
    await keys(pilot, "3")  # start the climb
    await wait_for(pilot, lambda: app.state is not None and app.state.scene == "the-climb", "the climb")


def test_an_edit_reloads_and_keeps_the_place(scenario: Path) -> None:
    async def body(app: JourneyApp, pilot: Pilot[object]) -> None:
        await to_the_climb(app, pilot)
        assert app.watcher is not None
        before = app.state
        edit(scenario, CLIMB, "The path now climbs through larches.")
        await wait_for(pilot, lambda: "climbs through larches" in screen_text(app), "the new text")
        assert app.watcher.reloads == 1
        assert app.state is not None and before is not None
        assert app.state.scene == "the-climb" and app.state.path == before.path
        assert app.state.fingerprint != before.fingerprint  # the new version's state
        assert isinstance(app.screen, SceneScreen)
        await wait_for(pilot, lambda: "The scenario was reloaded." in notes(app), "the notice")
        await keys(pilot, "2")  # the new version plays on: turn back
        await wait_for(pilot, lambda: app.state is not None and app.state.scene == "back-home", "the ending")

    run(body, scenario)


def test_errors_are_shown_in_the_app_and_a_fix_recovers(scenario: Path) -> None:
    async def body(app: JourneyApp, pilot: Pilot[object]) -> None:
        await to_the_climb(app, pilot)
        assert app.watcher is not None
        edit(scenario, "goto: back-home", "goto: back-hom")
        # the notification is posted as a message: wait for it, not for the failure count
        await wait_for(pilot, lambda: "Still playing" in notes(app), "the errors to be posted")
        assert app.watcher.failures == 1
        shown = notes(app)
        assert "back-hom" in shown and "E120" in shown  # the diagnostic, with its code
        assert f"{scenario.name}:" in shown  # and where it is
        assert "Still playing the version before" in shown
        await wait_for(
            pilot, lambda: "The scenario file has errors" in screen_text(app), "the errors on screen"
        )
        assert app.state is not None and app.state.scene == "the-climb"
        assert app.watcher.reloads == 0
        edit(scenario, "goto: back-hom", "goto: back-home")
        await wait_for(
            pilot, lambda: app.watcher is not None and app.watcher.reloads == 1, "the fixed file to load"
        )
        assert "has errors" not in notes(app)  # the error is taken down
        assert app.state.scene == "the-climb"
        await on_screen(pilot, SceneScreen)
        await wait_for(pilot, lambda: "has errors" not in screen_text(app), "no error shown")

    run(body, scenario)


def test_a_file_that_vanishes_while_saving_is_an_error_not_a_crash(scenario: Path) -> None:
    async def body(app: JourneyApp, pilot: Pilot[object]) -> None:
        await to_the_climb(app, pilot)
        text = scenario.read_text(encoding="utf-8")
        scenario.unlink()
        await wait_for(
            pilot,
            lambda: app.watcher is not None and app.watcher.failures == 1,
            "the missing file to be noticed",
        )
        scenario.write_text(text.replace(CLIMB, "Back again."), encoding="utf-8")
        await wait_for(pilot, lambda: "Back again." in screen_text(app), "the file again")

    run(body, scenario)


def test_a_removed_choice_on_the_way_keeps_the_scene_and_status(scenario: Path) -> None:
    async def body(app: JourneyApp, pilot: Pilot[object]) -> None:
        await on_screen(pilot, NotesScreen)
        await keys(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        await keys(pilot, "1", "3")  # buy a map (money 30 -> 15; its number stays taken), the climb
        await wait_for(pilot, lambda: app.state is not None and app.state.scene == "the-climb", "the climb")
        # the map choice is taken out: the journey no longer replays
        edit(
            scenario,
            "      - text: Buy a map at the kiosk (15 EUR)\n"
            "        if: money >= 15 and not has_map\n"
            "        once: true\n"
            "        set: {has_map: true}\n"
            "        add: {money: -15}\n"
            "        goto: village-square\n",
            "",
        )
        await wait_for(pilot, lambda: app.watcher is not None and app.watcher.reloads == 1, "the reload")
        await wait_for(pilot, lambda: "you stay in this scene" in notes(app), "the notice")
        assert app.state is not None
        assert app.state.scene == "the-climb"
        assert app.state.vars["money"] == 15 and app.state.vars["has_map"] is True
        await wait_for(
            pilot, lambda: "Rest in the shelter hut" in screen_text(app), "the scene, with the map's choice"
        )

    run(body, scenario)


def test_a_removed_scene_starts_the_journey_again(scenario: Path) -> None:
    async def body(app: JourneyApp, pilot: Pilot[object]) -> None:
        await to_the_climb(app, pilot)
        text = scenario.read_text(encoding="utf-8")
        renamed = text.replace("the-climb", "the-ascent")
        scenario.write_text(renamed, encoding="utf-8")
        os.utime(scenario, ns=(time.time_ns() + 10**9,) * 2)
        await wait_for(
            pilot, lambda: app.state is not None and app.state.scene == "village-square", "the start"
        )
        await wait_for(pilot, lambda: "no longer exists" in notes(app), "the notice")
        await wait_for(
            pilot, lambda: "The bus leaves you in the square" in screen_text(app), "the first scene"
        )

    run(body, scenario)


def test_a_removed_persona_asks_again(scenario: Path) -> None:
    async def body(app: JourneyApp, pilot: Pilot[object]) -> None:
        await to_the_climb(app, pilot)
        text = scenario.read_text(encoding="utf-8")
        start, end = text.index("  - id: student"), text.index("  - id: shepherd")
        scenario.write_text(text[:start] + text[end:], encoding="utf-8")
        os.utime(scenario, ns=(time.time_ns() + 10**9,) * 2)
        await on_screen(pilot, NotesScreen)
        assert app.state is None
        app.persona = None
        await keys(pilot, "enter")
        await on_screen(pilot, PersonaScreen)

    run(body, scenario)


def test_a_reload_under_a_dialog_updates_the_place(scenario: Path) -> None:
    async def body(app: JourneyApp, pilot: Pilot[object]) -> None:
        await to_the_climb(app, pilot)
        await keys(pilot, "question_mark")
        await on_screen(pilot, HelpScreen)
        edit(scenario, CLIMB, "Edited while the help was open.")
        await wait_for(
            pilot, lambda: "Edited while the help" in screen_text(app), "the scene with the new text"
        )
        assert app.state is not None
        assert app.session is not None
        assert app.state.fingerprint == app.session.scenario.fingerprint

    run(body, scenario)


def test_without_watch_nothing_reloads(scenario: Path) -> None:
    app = JourneyApp(
        open_session(str(scenario), resume=False), direct=True, seed=1, persona="student", blink=False
    )

    async def main() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await to_the_climb(app, pilot)
            edit(scenario, CLIMB, "Not shown.")
            await pilot.pause(watch.INTERVAL * 4)  # several (quickened) watch intervals: nothing may happen
            assert "Not shown." not in screen_text(app)

    assert app.watcher is None
    asyncio.run(main())


def test_a_file_broken_from_the_start_opens_the_app_and_loads_once_fixed(scenario: Path) -> None:
    edit(scenario, "goto: back-home", "goto: back-hom")
    app = JourneyApp(None, pending=scenario, direct=True, seed=1, persona="student", watch=True, blink=False)

    async def main() -> None:
        async with app.run_test(size=(100, 40), notifications=True) as pilot:
            assert app.watcher is not None
            await wait_for(pilot, lambda: "Nothing to play yet" in notes(app), "the errors to be shown")
            assert app.watcher.failures == 1
            shown = notes(app)
            assert "back-hom" in shown and "E120" in shown and "Nothing to play yet" in shown
            assert app.session is None
            edit(scenario, "goto: back-hom", "goto: back-home")
            await on_screen(pilot, NotesScreen)
            assert app.session is not None and app.watcher.reloads == 1
            await wait_for(pilot, lambda: "The scenario loaded." in notes(app), "the notice")
            assert "E120" not in notes(app)
            await keys(pilot, "enter")
            await on_screen(pilot, SceneScreen)

    asyncio.run(main())


def test_the_command_opens_the_app_for_a_broken_file_only_when_watching(
    scenario: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from journey import cli, play

    edit(scenario, "goto: back-home", "goto: back-hom")
    opened: list[Path | None] = []
    monkeypatch.setattr(
        "journey.app.run_app", lambda session, args, pending=None: opened.append(pending) or 0
    )
    monkeypatch.setattr(play.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(play.sys.stdout, "isatty", lambda: True, raising=False)
    assert cli.main(["play", str(scenario)]) == 1  # without --watch: the errors, exit 1
    assert "E120" in capsys.readouterr().err and not opened
    assert cli.main(["play", "--watch", str(scenario)]) == 0
    assert opened == [scenario]
