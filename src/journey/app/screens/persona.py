"""Who to be: the scenario's personas, with their names and about texts."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...scenario import Scenario
from ...scenario.model import Persona
from ..text import literal
from ..widgets.footer import Footer
from .once import ClosesOnce


def persona_prompt(number: int, persona: Persona) -> Content:
    prompt = literal(f"{number}. " if number <= 9 else "   ") + literal(persona.name, "bold")
    return prompt + literal("\n" + persona.about) if persona.about else prompt


class PersonaScreen(ClosesOnce, Screen[None]):
    DEFAULT_CSS = """
        PersonaScreen {
            align: center top;
        }
        PersonaScreen #column {
            max-width: 76;
            padding: 1 2;
        }
        PersonaScreen #heading, PersonaScreen #hint {
            height: auto;
        }
        PersonaScreen #hint {
            color: $text-muted;
            margin-bottom: 1;
        }
        PersonaScreen OptionList {
            height: auto;
            max-height: 1fr;
        }
        PersonaScreen OptionList > .option-list--option {
            padding: 0 1;
        }
    """

    class Picked(Message):
        """The player chose who to be."""

        def __init__(self, persona: str) -> None:
            super().__init__()
            self.persona = persona

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        with Vertical(id="column"):
            yield Static(literal("Who will you be?", "bold"), id="heading")
            yield Static(literal("Press a number, or choose with the arrows and Enter, or click."), id="hint")
            yield OptionList(
                *(
                    Option(persona_prompt(n, p), id=p.id)
                    for n, p in enumerate(self.scenario.personas.values(), 1)
                ),
                id="personas",
            )
        yield Footer()

    def on_mount(self) -> None:
        for options in self.query(OptionList):  # none if the screen was removed before it was mounted
            options.highlighted = 0
            options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Picked(event.option.id))

    def action_pick(self, number: int) -> None:
        personas = list(self.scenario.personas)
        if number <= len(personas):
            self.post_message(self.Picked(personas[number - 1]))

    def action_back(self) -> None:
        self.dismiss(None)
