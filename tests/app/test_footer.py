"""The footer: its keys in the first frame of the first screen, and composed
again only when they change."""

from __future__ import annotations

from pathlib import Path

from helpers import make_app, on_screen, press, screen_text
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from journey.app.screens.persona import PersonaScreen
from journey.app.screens.scene import SceneScreen
from journey.app.widgets.footer import Footer


def test_textual_footer_still_has_the_flag_a_ready_footer_sets() -> None:
    """A ready footer sets Textual's private `Footer._bindings_ready`. If a
    Textual release renames it, the footer still works, with its keys a frame
    late: this test says so, where a benchmark would only be slower."""
    assert TextualFooter()._bindings_ready is False
    assert Footer(ready=True)._bindings_ready is True
    assert Footer()._bindings_ready is False


async def test_a_footer_is_composed_again_only_when_its_keys_change(journey_home: Path) -> None:
    """Its screen's bindings are refreshed at every focus change; the keys the
    footer shows stay the same, and so do its key widgets. A key that comes
    (back, after the first choice) composes it again."""
    app = make_app(persona="student")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        footer = app.screen.query_one(Footer)
        keys = list(footer.query(FooterKey))
        for _ in range(3):
            await press(pilot, "tab")  # the focus moves between the choices and the panels
            assert list(footer.query(FooterKey)) == keys
        await press(pilot, "escape")
        assert list(footer.query(FooterKey)) == keys
        assert "Choose" in screen_text(app).splitlines()[-1]


async def test_the_footer_shows_the_keys_of_each_screen(journey_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        await on_screen(pilot, PersonaScreen)
        persona_keys = screen_text(app).splitlines()[-1]
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        scene_keys = screen_text(app).splitlines()[-1]
    assert "Begin" not in persona_keys and "Choose" in scene_keys
