"""The ending screen's `t`: the journey saved as a Markdown transcript, and where
it went said on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_app, on_screen, press, screen_text, until
from textual.widgets import Static

from journey.app import catalog as catalog_module
from journey.app.screens.ending import EndingScreen
from journey.app.screens.notes import NotesScreen


@pytest.fixture(autouse=True)
def no_builtins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module.resources, "builtin_scenarios", dict)


async def reach_an_ending(pilot) -> None:  # type: ignore[no-untyped-def]
    await on_screen(pilot, NotesScreen)
    await press(pilot, "enter", "3", "2")  # start the climb, turn back
    await on_screen(pilot, EndingScreen)


async def test_t_saves_a_transcript_and_says_where(journey_home: Path) -> None:
    app = make_app(persona="student")
    async with app.run_test(size=(100, 40)) as pilot:
        await reach_an_ending(pilot)
        assert "t Transcript" in screen_text(app)
        await press(pilot, "t")
        note = app.screen.query_one("#transcript-saved", Static)
        await until(pilot, lambda: bool(note.display), "the transcript note")
        files = sorted((journey_home / "transcripts").glob("winter-pass-*.md"))
        assert len(files) == 1
        assert str(note.content) == f"Transcript saved to {files[0]}"
        assert "Transcript saved to" in screen_text(app)  # scrolled into view
        await press(pilot, "t")  # a second one never overwrites the first
        await until(
            pilot, lambda: len(list((journey_home / "transcripts").iterdir())) == 2, "a second transcript"
        )
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("# The Winter Pass\n")
    assert "- Persona: Ana" in text
    assert "**You chose:** Start the climb" in text
    assert "**You chose:** Turn back" in text
    assert "## The end: Back in the village" in text
    assert "Turning back is the decision" in text  # the debrief


async def test_a_transcript_that_cannot_be_written_is_reported(journey_home: Path) -> None:
    journey_home.mkdir(parents=True, exist_ok=True)
    (journey_home / "transcripts").write_text("a file where the folder would go")
    app = make_app(persona="student")
    async with app.run_test(size=(100, 40)) as pilot:
        await reach_an_ending(pilot)
        await press(pilot, "t")
        await until(
            pilot,
            lambda: any("Could not save the transcript" in n.message for n in app._notifications),
            "the error",
        )
        assert not app.screen.query_one("#transcript-saved").display
        assert isinstance(app.screen, EndingScreen)
