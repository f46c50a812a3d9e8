"""The start screen: the scenarios to play, and "Continue" when a journey is saved."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..catalog import Entry, saved_journey
from ..text import literal
from ..widgets.footer import Footer

CONTINUE = "continue"


def entry_prompt(entry: Entry) -> Content:
    sc = entry.scenario  # read now, if it came from the cache unread
    if sc is None:
        return literal(entry.title, "bold") + literal(f"\ncannot be played: {entry.problem}", "italic")
    lines = [literal(sc.title, "bold")]
    if sc.summary:
        lines.append(literal(sc.summary))
    facts = [f"For: {sc.audience}" if sc.audience else "", f"Length: {entry.length}"]
    lines.append(literal(" · ".join(f for f in facts if f), "italic"))
    return Content("\n").join(lines)


class StartScreen(Screen[None]):
    """The app sets `entries` (the scenarios offered) before the screen shows."""

    DEFAULT_CSS = """
        StartScreen {
            align: center top;
        }
        StartScreen #column {
            max-width: 90;
            padding: 1 2;
        }
        StartScreen #heading, StartScreen #hint {
            height: auto;
        }
        StartScreen #hint {
            color: $text-muted;
            margin-bottom: 1;
        }
        StartScreen OptionList {
            height: auto;
            max-height: 1fr;
        }
        StartScreen OptionList > .option-list--option {
            padding: 0 1 1 1;
        }
    """

    class Picked(Message):
        """The player chose a scenario to play."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    class ContinueSaved(Message):
        """The player chose to continue the saved journey."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="column"):
            yield Static(literal("Journey", "bold"), id="heading")
            yield Static(
                literal(
                    "Choose a journey with the arrows and Enter, or click one. Press ? for help. "
                    "Using a screen reader? Quit (q) and run: journey play --plain"
                ),
                id="hint",
            )
            yield OptionList(id="scenarios")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        options = self.query_one(OptionList)
        items: list[Option | None] = []
        saved = saved_journey()
        if saved is not None:
            items += [
                Option(literal("Continue", "bold") + literal(f" your saved journey ({saved})"), id=CONTINUE),
                None,
            ]
        items += [
            Option(entry_prompt(e), id=f"s{i}", disabled=not e.playable) for i, e in enumerate(self.entries)
        ]
        if not self.entries:
            items.append(
                Option(
                    literal(
                        "No scenarios found. Give a file: journey play FILE.yaml, "
                        "or a folder: journey --dir FOLDER"
                    ),
                    disabled=True,
                )
            )
        options.set_options(items)
        options.highlighted = next((i for i, o in enumerate(options.options) if not o.disabled), None)
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id == CONTINUE:
            self.post_message(self.ContinueSaved())
        elif option_id.startswith("s"):
            self.post_message(self.Picked(self.entries[int(option_id[1:])]))
