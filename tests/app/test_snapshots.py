"""SVG snapshots of every screen at 80x24 and 140x45 (and the scene at 40x12).

Made with textual 8.2.8 and pytest-textual-snapshot 1.1.0 (pinned in the test
extra); cursor blink is off. After a deliberate change, run
`pytest tests/app/test_snapshots.py --snapshot-update`, then review the report
(snapshot_report.html) before committing the new SVGs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from helpers import FIXTURES, make_app, on_screen, press, session
from textual.pilot import Pilot

from journey.app import JourneyApp
from journey.app import catalog as catalog_module
from journey.app.screens.ending import EndingScreen
from journey.app.screens.facts import FactsScreen
from journey.app.screens.glossary import GlossaryScreen
from journey.app.screens.help import HelpScreen
from journey.app.screens.journey import JourneyScreen
from journey.app.screens.notes import NotesScreen
from journey.app.screens.persona import PersonaScreen
from journey.app.screens.quit import QuitScreen
from journey.app.screens.scene import SceneScreen
from journey.app.screens.start import StartScreen

MARKUP = FIXTURES / "markup.yaml"
SIZES = {"80x24": (80, 24), "140x45": (140, 45)}
Steps = Callable[[Pilot[object]], Awaitable[None]]


@pytest.fixture(autouse=True)
def no_builtins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module.resources, "builtin_scenarios", dict)


async def notes(pilot: Pilot[object]) -> None:
    await on_screen(pilot, NotesScreen)


async def persona(pilot: Pilot[object]) -> None:
    await notes(pilot)
    await press(pilot, "enter")
    await on_screen(pilot, PersonaScreen)


async def scene(pilot: Pilot[object]) -> None:
    await persona(pilot)
    await press(pilot, "enter")
    await on_screen(pilot, SceneScreen)


async def after_choice(pilot: Pilot[object]) -> None:
    await scene(pilot)
    await press(pilot, "1")  # buy a map: the consequence line and a status change


async def ending(pilot: Pilot[object]) -> None:
    await scene(pilot)
    await press(pilot, "2", "1", "3", "1", "1")  # bulletin, back, climb (number kept), push on, call
    await on_screen(pilot, EndingScreen)


def modal(keys: list[str], kind: type) -> Steps:  # type: ignore[type-arg]
    async def steps(pilot: Pilot[object]) -> None:
        await scene(pilot)
        await press(pilot, *keys)
        await on_screen(pilot, kind)

    return steps


async def reading(pilot: Pilot[object]) -> None:
    await scene(pilot)
    await press(pilot, "r")


async def high_contrast(pilot: Pilot[object]) -> None:
    await scene(pilot)
    pilot.app.theme = "journey-high-contrast"
    await press(pilot, "1")  # a locked-free change line, in the theme's colours


async def start(pilot: Pilot[object]) -> None:
    await on_screen(pilot, StartScreen)


SCREENS: dict[str, tuple[str, Steps]] = {
    "start": ("picker", start),
    "notes": ("winter", notes),
    "persona": ("winter", persona),
    "scene": ("winter", scene),
    "scene-after-choice": ("winter", after_choice),
    "scene-locked-markup": ("markup", scene),
    "ending": ("winter", ending),
    "help": ("winter", modal(["question_mark"], HelpScreen)),
    "quit": ("winter", modal(["q"], QuitScreen)),
    "glossary": ("winter", modal(["3", "1", "g"], GlossaryScreen)),
    "facts": ("winter", modal(["f"], FactsScreen)),
    "journey-so-far": ("winter", modal(["1", "3", "j"], JourneyScreen)),
    "reading-layout": ("winter", reading),
    "high-contrast": ("winter", high_contrast),
}


def build(kind: str) -> JourneyApp:
    if kind == "picker":
        return JourneyApp(session(), folder=str(FIXTURES), blink=False)
    return make_app(MARKUP if kind == "markup" else FIXTURES / "winter-pass.yaml")


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("name", sorted(SCREENS))
def test_screen(name: str, size: str, snap_compare) -> None:  # type: ignore[no-untyped-def]
    kind, steps = SCREENS[name]
    assert snap_compare(build(kind), terminal_size=SIZES[size], run_before=steps)


@pytest.mark.parametrize("name", ["scene", "scene-locked-markup", "ending", "help", "notes"])
def test_tiny_terminal(name: str, snap_compare) -> None:  # type: ignore[no-untyped-def]
    kind, steps = SCREENS[name]
    assert snap_compare(build(kind), terminal_size=(40, 12), run_before=steps)
