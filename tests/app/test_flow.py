"""The whole flow of winter-pass.yaml with the pilot: every ending, saving and
continuing, the start screen, play again, and the debrief."""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path

import pytest
from helpers import WINTER, Frames, make_app, on_screen, press, screen_text, session, settle, until
from textual.widgets import OptionList

from journey import saves
from journey.app import JourneyApp
from journey.app import catalog as catalog_module
from journey.app.screens.ending import EndingScreen
from journey.app.screens.notes import NotesScreen
from journey.app.screens.persona import PersonaScreen
from journey.app.screens.scene import SceneScreen
from journey.app.screens.start import StartScreen
from journey.launch import open_session

# persona (0 Ana, 1 Tomas), seed, choice numbers, the ending's title
ROUTES = {
    "turned-back": (0, 1, ["3", "2"], "Back in the village"),
    "safe": (1, 1, ["2", "2", "1"], "Warm at the refuge"),
    "rescued": (0, 1, ["3", "1", "1"], "Carried down by the rescue team"),
    "safe-by-chance": (0, 3, ["2", "1", "3", "1", "1"], "Warm at the refuge"),  # 2 is once: 3 stays 3
}


@pytest.fixture(autouse=True)
def no_builtins(monkeypatch: pytest.MonkeyPatch) -> None:
    """The built-in scenarios are written elsewhere; tests list only their own."""
    monkeypatch.setattr(catalog_module.resources, "builtin_scenarios", dict)


async def start_playing(pilot, persona: int) -> None:  # type: ignore[no-untyped-def]
    await on_screen(pilot, NotesScreen)
    await press(pilot, "enter")
    await on_screen(pilot, PersonaScreen)
    await press(pilot, *(["down"] * persona), "enter")
    await on_screen(pilot, SceneScreen)


@pytest.mark.parametrize("route", sorted(ROUTES))
async def test_every_ending(route: str, journey_home: Path) -> None:
    persona, seed, keys, title = ROUTES[route]
    app = make_app(seed=seed)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_playing(pilot, persona)
        await press(pilot, *keys)
        await on_screen(pilot, EndingScreen)
        shown = screen_text(app)
        assert f"The end: {title}" in shown
        assert "Your route" in shown
        assert app.state is not None and app.state.path
    save = saves.read(saves.save_path("winter-pass"))
    assert save.state == app.state  # autosaved after the last choice
    remembered = json.loads((journey_home / "settings.json").read_text())
    assert remembered["endings"]["winter-pass"]


async def test_debrief_lists_route_facts_questions_and_endings() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(100, 80)) as pilot:
        await start_playing(pilot, 0)
        await press(pilot, "2", "1", "3", "2")  # bulletin, back, climb (its number kept), turn back
        await on_screen(pilot, EndingScreen)
        shown = screen_text(app)
    for words in (
        "Turning back is the decision",
        "✓ The village",
        "· not reached: The refuge",
        "Reading the danger scale",
        "Source: Avalanche bulletins explained",
        "What would you check before leaving",
        "Why do people keep going",
        "▶ Back in the village (open): this time",
        "· Warm at the refuge (safe): not yet seen",
        "Choices made: 4",
    ):
        assert words in shown, words


async def test_endings_seen_before_are_marked() -> None:
    for play in ("first", "again"):  # the ending reached is "this time", seen before or not
        app = make_app(seed=1)
        async with app.run_test(size=(100, 80)) as pilot:
            await start_playing(pilot, 0)
            await press(pilot, "3", "2")
            await on_screen(pilot, EndingScreen)
            assert "▶ Back in the village (open): this time" in screen_text(app), play
    app = make_app(seed=1)
    async with app.run_test(size=(100, 80)) as pilot:
        await start_playing(pilot, 0)
        await press(pilot, "3", "1", "1")
        await on_screen(pilot, EndingScreen)
        assert "✓ Back in the village (open): seen before" in screen_text(app)


async def test_choice_consequence_is_shown_and_kept_in_status() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start_playing(pilot, 0)
        assert "After your choice" not in screen_text(app)
        await press(pilot, "1")  # buy a map
        shown = screen_text(app)
        assert "After your choice: Money (EUR) 30 → 15; Has a map no → yes" in shown
        assert "Money (EUR): 15 (-15)" in shown
        await press(pilot, "3")  # start the climb (the map choice is gone; numbers stay)
        assert "Your map shows a shelter hut" in screen_text(app)


async def test_arrows_enter_and_clicks_take_choices() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start_playing(pilot, 0)
        await press(pilot, "down", "enter")  # the second choice: the bulletin
        assert app.state is not None and app.state.scene == "bulletin"
        await pilot.click("#choices", offset=(4, 1))
        await settle(pilot)
        assert app.state.scene == "village-square"


async def test_quit_and_continue_from_the_command_line() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start_playing(pilot, 1)
        await press(pilot, "2")
        await press(pilot, "q", "y")
    assert app.return_value == 0
    resumed = JourneyApp(open_session(None, resume=True), blink=False)
    async with resumed.run_test(size=(100, 30)) as pilot:
        await on_screen(pilot, SceneScreen)
        assert resumed.state is not None and resumed.state.scene == "the-climb"
        assert "You know this lower part of the path" in screen_text(resumed)


async def test_continue_from_the_start_screen() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start_playing(pilot, 0)
        await press(pilot, "3")
    again = JourneyApp(session(), blink=False)  # no scenario named: the picker
    async with again.run_test(size=(100, 30)) as pilot:
        await on_screen(pilot, StartScreen)
        assert "Continue your saved journey (winter-pass.yaml)" in screen_text(again)
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        assert again.state is not None and again.state.scene == "the-climb"


async def test_one_scenario_and_no_save_goes_straight_to_the_notes() -> None:
    app = JourneyApp(session(), blink=False)
    async with app.run_test() as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "escape")
        await on_screen(pilot, StartScreen)
        assert "The Winter Pass" in screen_text(app)


async def test_picker_lists_a_folder_with_a_broken_file(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "a-winter.yaml").write_text(WINTER.read_text())
    (folder / "broken.yaml").write_text("format: 1\nid: [\n")
    app = JourneyApp(session(), folder=str(folder), blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_screen(pilot, StartScreen)
        assert app.screen_stack == [app.start_screen]  # the first screen: drawn in the first frame
        shown = screen_text(app)
        assert "broken.yaml" in shown and "cannot be played" in shown
        assert "For: ages 12 and up · Length: 3 stages, 8 scenes" in shown
        options = app.screen.query_one(OptionList)
        assert options.option_count == 3  # the file given, then the folder's two
        assert not options.get_option_at_index(1).disabled
        assert options.get_option_at_index(2).disabled


async def test_a_scenario_picked_while_open_elsewhere_is_refused(tmp_path: Path) -> None:
    """The picker locks a scenario's save as `journey play` does: a second window
    on the same journey is told so, and nothing opens."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "other.yaml").write_text(WINTER.read_text().replace("id: winter-pass", "id: other-pass"))
    app = JourneyApp(session(), folder=str(folder), blink=False)
    with saves.lock("other-pass"):  # another window plays it
        async with app.run_test(size=(100, 30)) as pilot:
            await on_screen(pilot, StartScreen)
            options = app.screen.query_one(OptionList)
            options.highlighted = 1
            await press(pilot, "enter")
            assert isinstance(app.screen, StartScreen)
            assert any("already open" in str(n.message) for n in app._notifications)
            options.highlighted = 0  # the scenario this window was started with
            await press(pilot, "enter")
            await on_screen(pilot, NotesScreen)
    again = JourneyApp(session(), folder=str(folder), blink=False)
    async with again.run_test(size=(100, 30)) as pilot:  # free now: picked, and held
        await on_screen(pilot, StartScreen)
        again.screen.query_one(OptionList).highlighted = 1
        await press(pilot, "enter")
        await on_screen(pilot, NotesScreen)
        with pytest.raises(saves.SaveError, match="already open"), saves.lock("other-pass"):
            pass
    with saves.lock("other-pass"):  # let go when the app ends
        pass


async def test_continuing_a_journey_open_elsewhere_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(WINTER.read_text().replace("id: winter-pass", "id: other-pass"))
    opened = open_session(str(other), False)
    saves.write(opened.engine.start("student", 1), str(other))
    app = JourneyApp(None, blink=False)
    with saves.lock("other-pass"):  # another window plays it
        async with app.run_test(size=(100, 30)) as pilot:
            await on_screen(pilot, StartScreen)
            app.continue_saved()
            await settle(pilot)
            assert isinstance(app.screen, StartScreen) and app.state is None
            assert any("already open" in str(n.message) for n in app._notifications)


async def test_persona_from_the_command_line_skips_the_pick() -> None:
    app = make_app(persona="shepherd")
    async with app.run_test() as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        assert app.state is not None and app.state.persona == "shepherd"


async def test_a_digit_picks_the_persona_with_that_number() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "enter")
        await on_screen(pilot, PersonaScreen)
        await press(pilot, "9")  # no ninth persona: nothing happens
        assert isinstance(app.screen, PersonaScreen)
        await press(pilot, "2")
        await on_screen(pilot, SceneScreen)
        assert app.state is not None and app.state.persona == "shepherd"


async def test_play_again_and_back_to_start() -> None:
    app = make_app(persona="student")
    async with app.run_test(size=(100, 30)) as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "enter", "3", "2")
        await on_screen(pilot, EndingScreen)
        await press(pilot, "p")
        await on_screen(pilot, PersonaScreen)  # another persona, even if one was given
        await press(pilot, "down", "enter")
        await on_screen(pilot, SceneScreen)
        assert app.state is not None and app.state.persona == "shepherd"
        assert not app.state.path
        await press(pilot, "2", "3")
        await on_screen(pilot, EndingScreen)
        await press(pilot, "s")
        await on_screen(pilot, StartScreen)
        assert len(app.screen_stack) == 2


async def test_a_journey_left_is_collected_though_its_first_scene_froze_what_lived() -> None:
    """Each journey's first scene freezes what then lives out of the garbage
    collector's passes (keypresses no longer wait for full collections): the
    scene screen of a journey played and left is garbage by the next
    journey's first scene, and must not stay frozen, and kept, for good."""
    app = make_app(persona="student")
    async with app.run_test(size=(100, 30)) as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        first = weakref.ref(app.screen)
        assert gc.get_freeze_count() > 0
        await press(pilot, "3", "2")
        await on_screen(pilot, EndingScreen)
        await press(pilot, "p")
        await on_screen(pilot, PersonaScreen)
        await press(pilot, "down", "enter")
        await on_screen(pilot, SceneScreen)
        assert first() is None


async def test_the_start_screen_is_composed_only_when_shown(journey_home: Path) -> None:
    """Opened straight on a scenario, the notes come first without the start
    screen under them; going back from the notes shows it."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await on_screen(pilot, NotesScreen)
        assert app.start_screen not in app.screen_stack and not app.start_screen.is_mounted
        await press(pilot, "escape")
        await on_screen(pilot, StartScreen)
        assert app.screen is app.start_screen and len(app.screen_stack) == 2


async def test_the_notes_opened_on_are_drawn_whole_in_the_first_frame(journey_home: Path) -> None:
    """Opened straight on a scenario, its notes are the app's first screen
    (Textual's default screen, drawn in its first frame rather than after an
    empty one), and that frame has the footer's keys too."""
    app = make_app()
    frames = Frames(app, screen_text)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_screen(pilot, NotesScreen)
        assert app.screen_stack == [app.screen]
    first = frames.seen[0]
    assert "The Winter Pass" in first and "Before you begin" in first
    assert "Begin" in first.splitlines()[-1] and "Quit" in first.splitlines()[-1]  # the footer's keys


async def test_the_notes_buttons_begin_and_go_back(journey_home: Path) -> None:
    """The buttons (mounted a frame after the notes) do what Enter and Escape do,
    for the notes the app opened on and for notes opened from the start screen."""
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, NotesScreen)
        await until(pilot, lambda: bool(app.screen.query("#back")), "the buttons")
        await pilot.click("#back")
        await on_screen(pilot, StartScreen)
        await press(pilot, "enter")  # the scenario, picked again: its notes are pushed
        await on_screen(pilot, NotesScreen)
        await until(pilot, lambda: bool(app.screen.query("#back")), "the buttons")
        await pilot.click("#back")
        await on_screen(pilot, StartScreen)
        assert len(app.screen_stack) == 2  # the first notes, under the start screen
        await press(pilot, "enter")
        await on_screen(pilot, NotesScreen)
        await until(pilot, lambda: bool(app.screen.query("#begin")), "the buttons")
        await pilot.click("#begin")
        await on_screen(pilot, PersonaScreen)


async def test_escape_pressed_many_times_on_the_notes_goes_back_once(journey_home: Path) -> None:
    """A burst of Escapes leaves the notes once: the start screen stays."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "enter")
        await on_screen(pilot, PersonaScreen)
        app.to_start()
        await on_screen(pilot, StartScreen)
        await press(pilot, "enter")
        await on_screen(pilot, NotesScreen)
        for _ in range(3):
            await pilot.press("escape")
        await on_screen(pilot, StartScreen)
        await settle(pilot)
        assert app.screen is app.start_screen


async def test_the_screens_left_for_the_journey_never_flash_up(journey_home: Path) -> None:
    """Picking a persona pops it and shows the first scene: no frame in
    between shows the notes under them."""
    app = make_app()
    frames = Frames(app, lambda app: type(app.screen).__name__)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "enter")
        await on_screen(pilot, PersonaScreen)
        frames.seen.clear()
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
    assert frames.seen and set(frames.seen) == {"SceneScreen"}, frames.seen
