"""Scenario text shown as written (never markup), locked choices, dead ends,
glossary, help, quit, resize, themes and NO_COLOR."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES, make_app, on_screen, press, screen_text, settle, until
from textual.widgets import Markdown, OptionList

from journey.app import catalog as catalog_module
from journey.app import settings
from journey.app.screens.ending import EndingScreen
from journey.app.screens.facts import FactsScreen
from journey.app.screens.glossary import GlossaryScreen
from journey.app.screens.help import HelpScreen
from journey.app.screens.notes import NotesScreen
from journey.app.screens.persona import PersonaScreen
from journey.app.screens.quit import QuitScreen
from journey.app.screens.scene import SceneScreen
from journey.app.widgets.scene_text import SceneText
from journey.engine import Engine

MARKUP = FIXTURES / "markup.yaml"
# wider, the narrow layout, smaller than any layout (no crash); 24x8: the tiny-terminal test
RESIZES = [(140, 45), (40, 12), (8, 3)]


@pytest.fixture(autouse=True)
def no_builtins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module.resources, "builtin_scenarios", dict)


async def to_scene(pilot, persona_downs: int = 1) -> None:  # type: ignore[no-untyped-def]
    await on_screen(pilot, NotesScreen)
    await press(pilot, "enter")
    await on_screen(pilot, PersonaScreen)
    await press(pilot, *(["down"] * persona_downs), "enter")
    await on_screen(pilot, SceneScreen)


async def test_markup_like_text_is_shown_as_written_on_every_screen() -> None:
    app = make_app(MARKUP)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_screen(pilot, NotesScreen)
        notes = screen_text(app)
        await press(pilot, "enter")
        await on_screen(pilot, PersonaScreen)
        personas = screen_text(app)
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        scene = screen_text(app)
        await press(pilot, "g")
        await on_screen(pilot, GlossaryScreen)
        glossary = screen_text(app)
        await press(pilot, "escape", "f")
        await on_screen(pilot, FactsScreen)
        facts = screen_text(app)
        await press(pilot, "escape", "1", "1")
        await on_screen(pilot, EndingScreen)
        ending = screen_text(app)
    for shown in (
        "[bold]Title[/b] [Bob]",
        "[link=https://example.org]summary[/link] at the [North] gate",
        "For: [red]everyone",
        "- [bold]loud noises",
        "- [/b]",
    ):
        assert shown in notes, shown
    assert "[link=x]click[/link] me [/b]" in personas and "[Bob]" in personas
    for shown in (
        "[bold]Hello[/b] [Bob]. [Bob] met you at the [North] gate.",
        "[link=x]y[/link] 탈북자 [code]",
        "[bold]Go[/b] out",
        "[b]Papers[/b]: no",
        "돈 [Bob]: 5 of 10",
        "▶ [North] gate (here)",
        "[North] gate · [bold]here",
        "Source: [link=x]Book,",
    ):
        assert shown in scene, shown
    assert "[bold]A gate[/b] in the north." in glossary
    assert "[i]a North Korean defector[/i]" in glossary
    assert "[Bob] says 탈북자" in facts and "https://example.org/[x]" in facts
    for shown in (
        "The end: [bold]Out",
        "[bold]The end[/b]",
        "[link=x]Done[/link] [/b]",
        "[/b] why?",
        "· [Bob] stays (hard): not yet seen",
    ):
        assert shown in ending, shown


async def test_locked_choices_say_locked_and_cannot_be_taken() -> None:
    app = make_app(MARKUP)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_scene(pilot)
        shown = screen_text(app)
        assert "2. (locked) [Bob] needs papers" in shown
        assert "locked: [red]You have no papers[/red]" in shown
        assert "3. (locked) Pay the guard" in shown
        assert "locked: needs: 돈 [Bob] is at least 9" in shown
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(1).disabled
        before = app.state
        await press(pilot, "2")
        assert app.state == before
        assert any("That choice is locked" in str(n.message) for n in app._notifications)
        await press(pilot, "down", "enter")  # arrows skip the locked ones
        assert app.state is not None and app.state.scene == "dead"


async def test_a_dead_end_explains_itself_and_b_goes_back() -> None:
    app = make_app(MARKUP)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_scene(pilot)
        assert "b Back" not in screen_text(app)
        await press(pilot, "4")
        shown = screen_text(app)
        assert "There is no way on from here" in shown and "b Back" in shown
        await press(pilot, "b")
        assert app.state is not None and app.state.scene == "first"


async def test_korean_text_aligns() -> None:
    app = make_app(MARKUP)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_scene(pilot)
        await press(pilot, "1")
        lines = screen_text(app).splitlines()
    from rich.cells import cell_len

    assert any("강을 건넙니다. 돈 8." in line for line in lines)
    assert any("▶ 두만강 (here)" in line for line in lines)
    # the side panel's border sits in the same column on every row, Korean or not
    body = [line for line in lines[1:-1] if "▏" in line]
    assert len(body) > 10
    assert len({cell_len(line[: line.index("▏")]) for line in body}) == 1


async def test_glossary_terms_link_to_their_definitions() -> None:
    app = make_app(MARKUP)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_scene(pilot)
        text = app.screen.query_one(SceneText)
        assert "](glossary:" in text.source
        assert "[code]" in text.source and "`[code]`" in text.source  # code left alone
        text.post_message(Markdown.LinkClicked(text, "glossary:%5BNorth%5D%20gate"))
        await on_screen(pilot, GlossaryScreen)
        shown = screen_text(app)
        assert "[bold]A gate[/b] in the north." in shown
        assert "a North Korean defector" not in shown  # only the term clicked
        await press(pilot, "escape")
        await on_screen(pilot, SceneScreen)
        text.post_message(Markdown.LinkClicked(text, "https://example.org/"))
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        assert any("Link: https://example.org/" in str(n.message) for n in app._notifications)


async def test_a_click_on_a_marked_word_opens_its_definition() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await to_scene(pilot, 0)
        await press(pilot, "3", "1")  # seed 1: lost, where hypothermia is explained
        assert app.state is not None and app.state.scene == "lost"
        block = app.screen.query("SceneText MarkdownParagraph").first()
        plain = block._content.plain
        await pilot.click(block, offset=(plain.index("hypothermia") % block.size.width, 1))
        await on_screen(pilot, GlossaryScreen)
        assert "A fall in body temperature" in screen_text(app)


async def test_help_by_question_mark_and_f1() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await on_screen(pilot, NotesScreen)
        for key in ("question_mark", "f1"):
            await press(pilot, key)
            await on_screen(pilot, HelpScreen)
            assert "1 to 9" in screen_text(app)
            await press(pilot, "escape")
            await on_screen(pilot, NotesScreen)


async def test_quit_asks_first() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "q")
        await on_screen(pilot, QuitScreen)
        assert "Your journey is saved" in screen_text(app)
        await press(pilot, "n")
        await on_screen(pilot, NotesScreen)
        await press(pilot, "ctrl+q")
        await on_screen(pilot, QuitScreen)
        await press(pilot, "escape")
        await on_screen(pilot, NotesScreen)
        await press(pilot, "ctrl+q", "y")
    assert app.return_value == 0


async def test_every_screen_survives_resizing_and_comes_back_the_same() -> None:
    app = make_app(MARKUP)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(pilot, NotesScreen)
        # (key, resize after it): notes, personas, scene, the next scene, help, facts,
        # the panels behind m, the ending; the other keys only walk between them
        for step, resize in (
            ("", True),
            ("enter", True),
            ("enter", True),
            ("1", True),
            ("question_mark", True),
            ("escape", False),
            ("f", True),
            ("escape", False),
            ("m", True),
            ("m", False),
            ("2", True),
        ):
            if step:
                await press(pilot, step)
            if not resize:
                continue
            before, screen = screen_text(app), app.screen
            for size in RESIZES:  # a crash at any size fails the run
                await pilot.resize_terminal(*size)
            await pilot.resize_terminal(80, 24)
            assert app.screen is screen and screen_text(app) == before, step
        assert isinstance(app.screen, EndingScreen)


@pytest.mark.parametrize("size", [(24, 8), (8, 3)])
async def test_a_tiny_terminal_from_the_start_still_plays(size: tuple[int, int]) -> None:
    app = make_app(MARKUP)
    async with app.run_test(size=size) as pilot:
        # "2" while the panels replace the choices is refused, and a "2" whose choice is
        # scrolled out of the list brings it into view: no choice is taken unseen
        for step in ("enter", "enter", "1", "question_mark", "escape", "m", "2", "m", "2", "2"):
            await press(pilot, step)
            await settle(pilot)
        assert isinstance(app.screen, EndingScreen)


async def test_narrow_screens_move_the_panels_behind_m() -> None:
    app = make_app(MARKUP)
    async with app.run_test(size=(40, 12)) as pilot:
        await to_scene(pilot)
        assert "Route" not in screen_text(app)
        await press(pilot, "m")
        assert "Route" in screen_text(app)
        await press(pilot, "m")
        assert "Route" not in screen_text(app)
        assert app.focused is app.screen.query_one("#choices")  # arrows and Enter work again
        await press(pilot, "1")
        assert app.state is not None and app.state.scene == "river"


async def test_theme_is_remembered(journey_home: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await on_screen(pilot, NotesScreen)
        app.theme = "dracula"
        await settle(pilot)
    assert settings.theme() == "dracula"
    again = make_app()
    async with again.run_test() as pilot:
        await on_screen(pilot, NotesScreen)
        assert again.theme == "dracula"


async def test_no_color_keeps_every_signal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(MARKUP)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_scene(pilot)
        assert app.no_color
        shown = screen_text(app)
        assert "(locked)" in shown and "▶ [North] gate (here)" in shown


async def test_command_palette_lists_the_apps_actions() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await to_scene(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Help", "Quit", "Learn more", "Glossary", "Theme"} <= set(titles)
        assert titles.count("Quit") == 1
        await press(pilot, "ctrl+p")
        await until_palette(pilot)


async def until_palette(pilot) -> None:  # type: ignore[no-untyped-def]
    from textual.command import CommandPalette

    await on_screen(pilot, CommandPalette)
    await press(pilot, "escape")


async def test_a_save_that_cannot_be_written_is_reported(journey_home: Path) -> None:
    journey_home.parent.mkdir(parents=True, exist_ok=True)
    journey_home.write_text("not a folder")
    app = make_app(persona="student")
    async with app.run_test() as pilot:
        await on_screen(pilot, NotesScreen)
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        # saving runs off the key handler: wait for its report
        await until(
            pilot, lambda: any("Could not save" in str(n.message) for n in app._notifications), "the report"
        )


async def test_the_glossary_key_lists_the_engines_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    """One rule in one place: the app asks the engine which words of a scene to
    define (as plain mode does), and works out none itself."""
    asked: list[str] = []

    def terms(self: Engine, view: object) -> tuple[str, ...]:
        asked.append(getattr(view, "scene", ""))
        return ("탈북자",)  # the engine's answer, whatever the scene's text holds

    monkeypatch.setattr(Engine, "terms", terms)
    app = make_app(MARKUP)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_scene(pilot, persona_downs=0)
        await press(pilot, "g")
        await on_screen(pilot, GlossaryScreen)
        shown = screen_text(app)
    assert asked and asked[-1] == "first"
    assert "a North Korean defector" in shown
    assert "A gate" not in shown  # "[North] gate" is in the text, but the engine did not name it
