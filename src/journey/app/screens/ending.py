"""The ending and debrief: what happened, the route walked, the facts met,
questions to discuss, and which endings exist and which the player has seen."""

from __future__ import annotations

from collections.abc import Set
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Static

from ...engine import SceneView, Summary
from ...scenario import Scenario
from ..messages import JourneyWanted, UndoWanted
from ..text import literal
from ..widgets.facts import facts_content
from ..widgets.footer import Footer
from ..widgets.scene_text import SceneText

KINDS = {"safe": "a safe ending", "hard": "a hard ending", "open": "an open ending"}


def heading(summary: Summary) -> Content:
    ending = summary.ending
    assert ending is not None
    return (
        literal("The end: ", "bold")
        + literal(ending.title, "bold")
        + literal(f"\n{KINDS.get(ending.kind, ending.kind)}", "italic")
    )


def route_walked(summary: Summary) -> Content:
    lines = [literal("Your route", "bold underline")]
    for stage, seen in summary.stages:
        place = f" ({stage.place})" if stage.place else ""
        mark, style = ("✓ ", "") if seen else ("· not reached: ", "dim")
        lines.append(literal(f"{mark}{stage.title}{place}", style))
    lines.append(literal(f"Choices made: {summary.choices}"))
    return Content("\n").join(lines)


def questions(summary: Summary) -> Content:
    asked = [(s.title, q) for s, q in summary.prompts]
    if not asked:
        return Content("")
    lines = [literal("To think about", "bold underline")]
    lines += [literal(f"{title}: ", "bold") + literal(q) for title, q in asked]
    return Content("\n").join(lines)


def endings_list(scenario: Scenario, reached: str, seen_before: Set[str]) -> Content:
    lines = [literal("The endings of this journey", "bold underline")]
    for ending in scenario.endings.values():
        kind = f" ({ending.kind})"
        if ending.id == reached:
            lines.append(literal(f"▶ {ending.title}{kind}: this time", "bold"))
        elif ending.id in seen_before:
            lines.append(literal(f"✓ {ending.title}{kind}: seen before"))
        else:
            lines.append(literal(f"· {ending.title}{kind}: not yet seen", "dim"))
    return Content("\n").join(lines)


class EndingScreen(Screen[None]):
    DEFAULT_CSS = """
        EndingScreen {
            align: center top;
        }
        EndingScreen #debrief {
            max-width: 90;
            padding: 0 2;
        }
        EndingScreen #title {
            height: auto;
            margin: 1 0;
            padding: 0 1;
            border: round $success;
        }
        EndingScreen .section {
            height: auto;
            margin-top: 1;
        }
        EndingScreen #buttons {
            height: auto;
            margin: 1 0;
        }
        EndingScreen Button {
            margin-right: 1;
        }
        /* The debrief pane shows focus by a bar on its left (blank, the same width, otherwise). */
        EndingScreen #debrief {
            border-left: blank;
        }
        EndingScreen #debrief:focus {
            border-left: thick $accent;
        }
    """

    class PlayAgain(Message):
        """Play the same scenario again (the persona is asked again)."""

    class ToStart(Message):
        """Back to the start screen."""

    class TranscriptWanted(Message):
        """Save this journey as a transcript; the app answers with `transcript_saved`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "again", "Play again"),
        Binding("s", "start", "Start"),
        Binding("t", "transcript", "Transcript"),
        Binding("j", "journey", "Journey"),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo", "Undo", show=False),
    ]

    def __init__(self, scenario: Scenario, view: SceneView, summary: Summary, seen_before: Set[str]) -> None:
        super().__init__()
        self.scenario, self.view, self.summary = scenario, view, summary
        self.seen_before = seen_before

    def compose(self) -> ComposeResult:
        summary, glossary = self.summary, self.scenario.glossary
        assert summary.ending is not None
        with VerticalScroll(id="debrief"):
            yield Static(heading(summary), id="title")
            yield SceneText(self.view.text, glossary, id="scene-text")
            if summary.debrief:
                yield Static(literal("Debrief", "bold underline"), classes="section")
                yield SceneText(summary.debrief, glossary, id="debrief-text")
            yield Static(route_walked(summary), classes="section")
            facts = facts_content(summary.facts, glossary, "What you learned along the way")
            if facts:
                yield Static(facts, classes="section")
            asked = questions(summary)
            if asked:
                yield Static(asked, classes="section")
            yield Static(endings_list(self.scenario, summary.ending.id, self.seen_before), classes="section")
            yield Static(id="transcript-saved", classes="section")
            with Horizontal(id="buttons"):
                yield Button("Play again (p)", id="again", variant="primary")
                yield Button("Back to start (s)", id="start")
                yield Button("Quit (q)", id="quit")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#transcript-saved").display = False
        self.query_one("#debrief").focus()

    def action_undo(self) -> None:
        self.post_message(UndoWanted())

    def action_journey(self) -> None:
        self.post_message(JourneyWanted())

    def action_transcript(self) -> None:
        self.post_message(self.TranscriptWanted())

    def transcript_saved(self, path: str) -> None:
        """Say where the transcript is, on screen until it is left."""
        note = self.query_one("#transcript-saved", Static)
        note.update(literal("Transcript saved to ", "bold") + literal(path))
        note.display = True
        self.query_one("#debrief", VerticalScroll).scroll_to_widget(note, animate=False)
        self.notify(f"Transcript saved to {path}", markup=False, timeout=10)

    @on(Button.Pressed, "#again")
    def action_again(self) -> None:
        self.post_message(self.PlayAgain())

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        self.post_message(self.ToStart())

    @on(Button.Pressed, "#quit")
    async def _quit(self) -> None:
        await self.run_action("app.request_quit")
