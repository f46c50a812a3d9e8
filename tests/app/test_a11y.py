"""Forgiving play and reading in the app: undo (u, Ctrl+Z) as far as the start
without re-rolling chance, the journey so far (j), Ctrl+C asks to quit, the
scene text scrolls from the keyboard with a "more below" cue, number keys
never take a choice that is not on screen, the reading layout, focus shown
without colour, pop-ups that always show how to close them, an unfinished
journey never replaced silently, facts shown once, and contrast."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import WINTER, make_app, on_screen, press, screen_text, session, until
from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

from journey import saves, settings
from journey.app import JourneyApp
from journey.app.screens.ending import EndingScreen
from journey.app.screens.help import HelpScreen
from journey.app.screens.journey import JourneyScreen
from journey.app.screens.notes import NotesScreen
from journey.app.screens.persona import PersonaScreen
from journey.app.screens.quit import QuitScreen
from journey.app.screens.replace import ReplaceScreen
from journey.app.screens.scene import SceneScreen
from journey.app.themes import HIGH_CONTRAST
from journey.app.widgets.choices import ChoiceList
from journey.app.widgets.facts import FactCards

LONG = """\
format: 1
id: long
title: Long
route: [{id: r, title: Road}]
endings: {end: {title: End, kind: open}}
start: a
scenes:
  a:
    stage: r
    text: |
{paragraphs}
    choices:
      - {text: Walk on, goto: b}
      - {text: Stay, goto: a}
  b: {stage: r, ending: end}
"""


async def playing(pilot: object, persona_downs: int = 0) -> None:
    await on_screen(pilot, NotesScreen)  # type: ignore[arg-type]
    await press(pilot, "enter")  # type: ignore[arg-type]
    await on_screen(pilot, PersonaScreen)  # type: ignore[arg-type]
    await press(pilot, *(["down"] * persona_downs), "enter")  # type: ignore[arg-type]
    await on_screen(pilot, SceneScreen)  # type: ignore[arg-type]


def notes_of(app: JourneyApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


async def test_undo_with_u_and_ctrl_z_says_what_was_undone() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await playing(pilot)
        await press(pilot, "1", "3")  # buy a map, start the climb
        assert app.state is not None and app.state.scene == "the-climb"
        await press(pilot, "u")
        assert app.state.scene == "village-square" and len(app.state.path) == 1
        assert "Undone: “Start the climb” (The village)." in notes_of(app)
        await press(pilot, "ctrl+z")
        assert app.state.path == ()
        assert "Undone: “Buy a map at the kiosk (15 EUR)”" in notes_of(app)
        await press(pilot, "u")
        assert "nothing to undo" in notes_of(app)
        assert "1. Buy a map at the kiosk" in screen_text(app)  # the scene shows the state undone to
        await until(pilot, lambda: saves.read(saves.save_path("winter-pass")).state == app.state, "the save")


async def test_undo_never_re_rolls_and_leaves_an_ending() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(100, 40)) as pilot:
        await playing(pilot)
        await press(pilot, "3", "1")  # the climb; seed 1: pushing on gets lost
        assert app.state is not None and app.state.scene == "lost"
        await press(pilot, "1")  # call the rescue: an ending
        await on_screen(pilot, EndingScreen)
        await press(pilot, "u")
        await on_screen(pilot, SceneScreen)
        assert app.state.scene == "lost"
        await press(pilot, "u", "1")  # back to the climb, push on again: the same draw
        assert app.state.scene == "lost"
        assert "Chance is not drawn again" in notes_of(app)


async def test_the_journey_so_far() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await playing(pilot)
        assert "j Journey" in screen_text(app)  # in the footer
        await press(pilot, "1", "3", "j")
        await on_screen(pilot, JourneyScreen)
        shown = screen_text(app)
        for words in (
            "The village (Valley floor, 900 m): passed",
            "The pass (Saddle, 2,400 m): you are here",
            "The refuge (Far side, 1,800 m): not reached",
            "1. The village: Buy a map at the kiosk (15 EUR)",
            "2. The village: Start the climb",
            "Escape or j closes this.",
        ):
            assert words in shown, words
        await press(pilot, "j")
        await on_screen(pilot, SceneScreen)


async def test_ctrl_c_asks_to_quit() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await playing(pilot)
        await press(pilot, "ctrl+c")
        await on_screen(pilot, QuitScreen)
        await press(pilot, "n")
        await on_screen(pilot, SceneScreen)
        await press(pilot, "ctrl+c", "y")
        await until(pilot, lambda: app.return_value == 0, "the app to exit")


async def test_keys_scroll_the_text_with_the_choices_focused(tmp_path: Path) -> None:
    body = "\n\n".join(f"      Paragraph {n}: the road goes on and on, field after field." for n in range(40))
    path = tmp_path / "long.yaml"
    path.write_text(LONG.replace("{paragraphs}", body), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(60, 20)) as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        scroll = app.screen.query_one("#text-scroll")
        assert isinstance(app.focused, ChoiceList)
        assert app.screen.query_one("#more").display and "more below: Page Down" in screen_text(app)
        await press(pilot, "pagedown")
        assert scroll.scroll_y > 0
        await press(pilot, "end")
        assert scroll.scroll_y == scroll.max_scroll_y > 0
        await until(pilot, lambda: not app.screen.query_one("#more").display, "the cue to go at the end")
        await press(pilot, "pageup")
        assert 0 < scroll.scroll_y < scroll.max_scroll_y
        await press(pilot, "home")
        assert scroll.scroll_y == 0
        assert isinstance(app.focused, ChoiceList)  # the choices kept the focus


async def test_number_keys_never_take_a_hidden_choice() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(40, 20)) as pilot:
        await playing(pilot)
        await press(pilot, "m")  # narrow: the panels replace the text and the choices
        await press(pilot, "3")
        assert app.state is not None and app.state.path == ()
        assert "press m to see them" in notes_of(app)
        await press(pilot, "m", "3")
        assert app.state.scene == "the-climb"


async def test_reading_layout_puts_the_panels_behind_m() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(120, 30)) as pilot:
        await playing(pilot)
        side = app.screen.query_one("#side")
        assert side.display
        await press(pilot, "r")
        assert not side.display and "Route" not in screen_text(app)
        await press(pilot, "m")
        assert side.display and "Route" in screen_text(app)
        await press(pilot, "1")  # hidden choices cannot be taken
        assert app.state is not None and app.state.path == ()
        await press(pilot, "m", "r")
        assert side.display and "The bus leaves you" in screen_text(app)


async def test_focus_is_shown_by_shape_not_only_colour() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await playing(pilot)
        choices = app.screen.query_one(ChoiceList)
        assert choices.has_focus and choices.styles.border_top[0] == "double"
        for pane in ("#text-scroll", "#side"):
            widget = app.screen.query_one(pane)
            assert widget.styles.border_left[0] != "thick"
            widget.focus()
            await pilot.pause()
            assert widget.styles.border_left[0] == "thick", pane
        assert choices.styles.border_top[0] == "round"


@pytest.mark.parametrize("size", [(40, 12), (100, 30)])
async def test_help_always_shows_how_to_close_it(size: tuple[int, int]) -> None:
    app = make_app(seed=1)
    async with app.run_test(size=size) as pilot:
        await playing(pilot)
        await press(pilot, "question_mark")
        await on_screen(pilot, HelpScreen)
        shown = screen_text(app)
        assert "Escape, ? or F1 closes this." in shown
        if size == (100, 30):
            assert "journey play --plain" in shown


async def test_an_unfinished_journey_is_never_replaced_silently() -> None:
    first = make_app(seed=1)
    async with first.run_test(size=(80, 24)) as pilot:
        await playing(pilot)
        await press(pilot, "1")  # one choice: an unfinished journey, saved
    app = JourneyApp(session(WINTER), direct=True, seed=2, blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, ReplaceScreen)
        said = app.screen.query_one("#panel Static").render()
        assert "as Ana, at The village (Valley floor, 900 m), 1 choice made" in str(said)
        await press(pilot, "c")
        await on_screen(pilot, SceneScreen)
        assert app.state is not None and len(app.state.path) == 1 and app.state.seed == 1
    app = JourneyApp(session(WINTER), direct=True, seed=2, blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, ReplaceScreen)
        await press(pilot, "n")
        await on_screen(pilot, NotesScreen)
        assert len(saves.read(saves.save_path("winter-pass")).state.path) == 1  # not yet replaced


async def test_a_fact_seen_before_is_offered_not_repeated() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(100, 40)) as pilot:
        await playing(pilot)
        cards = app.screen.query_one(FactCards)
        assert "Rescue teams find people fastest" in str(cards.render())
        await press(pilot, "2", "1")  # the bulletin and back
        assert "Rescue teams find people fastest" not in str(cards.render())
        assert "read before: f opens it again" in str(cards.render())


async def test_the_start_card_says_how_long_a_journey_takes() -> None:
    app = JourneyApp(session(WINTER), blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "A journey takes about" in screen_text(app), "the playing time")


def contrast(theme: Theme, fore: str, back: str = "background") -> float:
    variables = theme.to_color_system().generate()

    def luminance(color: Color) -> float:
        def channel(value: int) -> float:
            v = value / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)

    a, b = luminance(Color.parse(variables[fore])), luminance(Color.parse(variables[back]))
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


@pytest.mark.parametrize(
    "theme", [BUILTIN_THEMES["textual-light"], BUILTIN_THEMES["textual-dark"], HIGH_CONTRAST]
)
def test_locked_choices_and_titles_meet_wcag_aa(theme: Theme) -> None:
    """Locked options and border titles use $foreground (app.tcss): AA is 4.5:1."""
    assert contrast(theme, "foreground") >= 4.5
    assert contrast(theme, "foreground", "surface") >= 4.5


def test_the_high_contrast_theme_is_aaa_everywhere() -> None:
    for colour in ("foreground", "primary", "accent", "secondary", "warning", "error", "success"):
        assert contrast(HIGH_CONTRAST, colour) >= 7, colour


async def test_the_high_contrast_theme_can_be_chosen() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await playing(pilot)
        app.theme = "journey-high-contrast"
        await pilot.pause()
        assert app.theme == "journey-high-contrast"


async def test_the_palette_toggles_plain_mode_as_the_default() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, NotesScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Open in plain mode next time" in titles
        app.toggle_plain_default()
        assert settings.plain_default()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Open in the full-screen app next time" in titles


async def test_every_list_and_the_debrief_show_focus_by_shape() -> None:
    app = make_app(seed=1)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "enter")
        await on_screen(pilot, PersonaScreen)
        people = app.focused
        assert people is not None and people.styles.border_top[0] == "double"
        await press(pilot, "enter", "3", "2")  # the climb, turn back: an ending
        await on_screen(pilot, EndingScreen)
        debrief = app.screen.query_one("#debrief")
        assert debrief.has_focus and debrief.styles.border_left[0] == "thick"


MANY = """\
format: 1
id: many
title: Many
route: [{id: r, title: Road}]
endings: {end: {title: End, kind: open}}
start: a
scenes:
  a:
    stage: r
    text: A crossroads.
    choices:
{choices}
  b: {stage: r, ending: end}
"""


@pytest.mark.parametrize("size", [(40, 12), (60, 15)])
async def test_a_number_never_takes_a_choice_scrolled_out_of_the_list(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    choices = "\n".join(f"      - {{text: Road number {n}, goto: b}}" for n in range(1, 10))
    path = tmp_path / "many.yaml"
    path.write_text(MANY.replace("{choices}", choices), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        choice_list = app.screen.query_one(ChoiceList)
        assert "Road number 9" not in screen_text(app)  # the list is too short for nine
        await press(pilot, "9")
        assert isinstance(app.screen, SceneScreen)  # not taken unseen
        assert app.state is not None and app.state.scene == "a"
        assert "Choice 9 is below: press 9 again or Enter to take it" in notes_of(app)
        assert choice_list.highlighted == 8
        assert "Road number 9" in screen_text(app)  # brought into view
        await press(pilot, "1")  # now scrolled out above
        assert app.state is not None and app.state.scene == "a"
        assert "Choice 1 is above" in notes_of(app)
        assert "Road number 1" in screen_text(app)
        await press(pilot, "1")  # seen now: a second press takes it
        await until(pilot, lambda: app.state is not None and app.state.scene == "b", "choice 1 taken")
