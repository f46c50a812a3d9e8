"""A scene: its text, numbered choices, and the route, status and facts panels.

The screen shows one `SceneView` at a time. It posts what the player picked
(`Chose`, `WentBack`); the app asks the engine what that does and calls `show`
with the next view, so the screen updates in place."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from itertools import chain
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static

from ...engine import Result, SceneView
from ...engine.core import Change
from ...scenario import Scenario
from ..messages import JourneyWanted, UndoWanted
from ..text import literal, show_content
from ..widgets.choices import ChoiceList
from ..widgets.facts import FactCards
from ..widgets.footer import Footer
from ..widgets.route_map import RouteMap
from ..widgets.scene_text import IN_PLACE, SceneText
from ..widgets.sized import laid_out_once
from ..widgets.status import StatusPanel
from .facts import FactsScreen
from .glossary import GlossaryScreen

MORE = "▼ more below: Page Down"
STUCK = (
    "There is no way on from here: every choice is closed. "
    "Press b to go back to the previous scene, or q to quit."
)


def changes_content(result: Result) -> Content:
    """What the last choice did, in words: shown until the next choice."""
    shown = [c for c in result.changes if c.visible]
    parts = [_change(c) for c in shown]
    if result.rolled:
        parts.append(literal("Chance played a part in where this led.", "italic"))
    if not parts:
        return Content("")
    return literal("After your choice: ", "bold") + Content("; ").join(parts)


def _change(change: Change) -> Content:
    return literal(change.words())


def deltas(result: Result | None) -> dict[str, int]:
    if result is None:
        return {}
    return {
        c.name: int(c.new) - int(c.old)
        for c in result.changes
        if not isinstance(c.new, bool) and not isinstance(c.old, bool) and not c.worded
    }


def place_content(scenario: Scenario, view: SceneView) -> Content:
    stage = view.stage
    place = f" · {stage.place}" if stage.place else ""
    return literal(scenario.title, "bold") + literal(f"  ›  {stage.title}{place}")


# A new scene is laid out more than once: a layout gives widgets their new
# sizes, and some then ask for another (a scrollbar that comes or goes, a
# widget whose size changed repaints its scrollbar, the "more below" cue).
# For a short while after `show`, the screen lays out as soon as it is idle
# (Textual's frame timer would wait for its tick, 17 to 33 ms later) and draws
# only once no widget asks for more: one frame a key, not two or three. How
# many layouts, and for how long after `show`, so that this never replaces
# the timer's frame rate.
PROMPT_FRAMES = 4
PROMPT_SECONDS = 0.5
# A drawing that waits for widgets' requests is drawn after this anyway
# (seconds), should they never come: a safety net (they came within a few
# milliseconds in every measurement, but a loaded machine can pause the app).
OWED_DRAW_SECONDS = 0.1
# This calls and wraps the screen's frame update, which is not Textual's
# public API (tested with the Textual the tests pin); without it the timer
# lays out and draws, as often as Textual does.
PROMPT = all(hasattr(Screen, name) for name in ("_on_timer_update", "_compositor_refresh"))


def _asking(widget: Widget) -> bool:
    """Whether `widget` has asked for a layout, a repaint or a scroll that has
    not reached its screen yet (it does when the widget is next idle)."""
    return bool(
        getattr(widget, "_layout_required", False)
        or getattr(widget, "_scroll_required", False)
        or (getattr(widget, "_repaint_required", False) and widget.display)
    )


def _frame_wanted(screen: Screen[Any]) -> bool:
    """Whether `screen` has something to lay out or draw (False if Textual
    keeps that elsewhere: then its own timer draws it)."""
    return _asking(screen) or bool(getattr(screen, "_dirty_widgets", False))


class Line(Static):
    """A line or two of the scene screen (what changed, the cue, the place)."""

    virtual_size: Reactive[Size] = laid_out_once()  # see sized.py


class SidePanel(VerticalScroll):
    """The route, status and facts, scrolled together."""

    virtual_size: Reactive[Size] = laid_out_once()  # see sized.py


class TextScroll(VerticalScroll):
    """The scene text's scroll, which shows or hides the "more below" cue
    whenever its size, its content's size or its position changes."""

    virtual_size: Reactive[Size] = laid_out_once()  # see sized.py

    def __init__(self, cue_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cue_id = cue_id

    def on_resize(self) -> None:
        self.update_cue()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.update_cue()

    def update_cue(self) -> None:
        """Say when the text goes on below what is shown (not by a scrollbar alone)."""
        cues = self.screen.query(f"#{self.cue_id}")
        if cues:
            cues.first().display = self.scroll_y < self.max_scroll_y


class SceneScreen(Screen[None]):
    DEFAULT_CSS = """
        SceneScreen #place {
            height: 1;
            padding: 0 1;
            background: $panel;
        }
        SceneScreen #body {
            height: 1fr;
        }
        SceneScreen #main {
            width: 1fr;
            max-width: 90;
            height: 1fr;
        }
        SceneScreen #text-scroll {
            height: 1fr;
            padding: 0 1;
        }
        SceneScreen #text {
            margin: 0;
        }
        SceneScreen #changes {
            height: auto;
            padding: 0 1;
            background: $boost;
        }
        SceneScreen #stuck {
            height: auto;
            padding: 0 1;
            border: heavy $error;
        }
        /* The side panel keeps its scrollbar's column whether it scrolls or
           not: a scrollbar that came and went with a scene's facts changed the
           width of everything in it, which Textual then laid out and drew a
           third time after a key. */
        SceneScreen #side {
            width: 30;
            height: 1fr;
            border-left: vkey $primary;
            scrollbar-gutter: stable;
        }
        SceneScreen #more {
            height: 1;
            padding: 0 1;
            text-align: right;
        }
        SceneScreen.-narrow #side, SceneScreen.-reading #side {
            display: none;
        }
        SceneScreen.-narrow.-panels #side, SceneScreen.-reading.-panels #side {
            display: block;
            width: 1fr;
            max-width: 90;
            border-left: none;
        }
        SceneScreen.-narrow.-panels #main, SceneScreen.-reading.-panels #main {
            display: none;
        }
        /* Focus is shown by shape as well as colour: a thick bar on the left of the
           focused pane (a blank one, the same width, otherwise: nothing moves). */
        SceneScreen #text-scroll {
            border-left: blank;
        }
        SceneScreen #text-scroll:focus, SceneScreen #side:focus {
            border-left: thick $accent;
        }
        SceneScreen.-reading #body {
            align-horizontal: center;
        }
        SceneScreen.-short #place {
            display: none;
        }
        SceneScreen.-short ChoiceList {
            max-height: 50%;
        }
        SceneScreen.-huge #side {
            width: 44;
        }
        /* A tall terminal: the choices follow the text instead of sitting at the bottom. */
        SceneScreen.-roomy #text-scroll {
            height: auto;
            max-height: 60%;
        }
    """

    class Chose(Message):
        """The player took the choice `index` (an engine index) of the scene shown."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class WentBack(Message):
        """The player asked to go back to the previous scene."""

    # Textual declares these as instance variables (ClassVar[...] | None), so no ClassVar here.
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012
        (0, "-narrow"),
        (72, "-wide"),
        (120, "-huge"),
    ]
    VERTICAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012
        (0, "-short"),
        (18, "-tall"),
        (34, "-roomy"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)),
        Binding("f", "facts", "Learn more"),
        Binding("g", "glossary", "Glossary"),
        Binding("m", "panels", "Map/status"),
        Binding("j", "journey", "Journey"),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("r", "reading", "Reading layout", show=False),
        Binding("b", "back", "Back"),
        # The scene text scrolls from the keyboard even while the choices have focus.
        Binding("pageup", "scroll_text('page_up')", show=False, priority=True),
        Binding("pagedown", "scroll_text('page_down')", show=False, priority=True),
        Binding("home", "scroll_text('home')", show=False, priority=True),
        Binding("end", "scroll_text('end')", show=False, priority=True),
    ]

    def __init__(
        self,
        scenario: Scenario,
        view: SceneView,
        seen: Mapping[str, bool],
        terms: Callable[[SceneView], Sequence[str]],
    ) -> None:
        """`terms` gives a view's glossary terms (the engine's `terms`: the one
        rule both front ends use)."""
        super().__init__()
        self.scenario = scenario
        self.terms_of = terms
        self.glossary = scenario.glossary
        self.view = view
        self.seen = seen
        self.waiting = False  # a pick is posted and not yet answered: ignore further picks
        self._holding = False  # repaints are held until the scene shown is complete
        self._prompt_frames = 0  # layouts of the scene shown, done without waiting for the timer
        self._prompt_until = 0.0  # ... until then (time.monotonic())
        self._laying_out = False  # a layout of ours is under way: its drawing waits
        self._owed = False  # a drawing waits for the widgets' requests
        self._deferrals = 0  # how many times it did, to tell the safety net's timers apart

    def compose(self) -> ComposeResult:
        yield Line(id="place")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                with TextScroll("more", id="text-scroll"):
                    yield SceneText(glossary=self.glossary, id="text")
                yield Line(literal(MORE, "bold"), id="more")
                yield Line(id="changes")
                yield Line(literal(STUCK, "bold"), id="stuck")
                yield ChoiceList(id="choices")
            with SidePanel(id="side"):
                yield RouteMap(id="route")
                yield StatusPanel(id="status")
                yield FactCards(id="facts")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ChoiceList).border_title = "What do you do?"
        self.show(self.view, self.seen, None)
        self.query_one(ChoiceList).focus()

    def show(self, view: SceneView, seen: Mapping[str, bool], result: Result | None) -> None:
        """Show `view`; `result` is the choice that led here, to say what it changed."""
        self.waiting = False
        self._hold_frame()
        self._prompt_frames, self._prompt_until = PROMPT_FRAMES, time.monotonic() + PROMPT_SECONDS
        was_stuck = self.view.stuck
        self.view, self.seen = view, seen
        show_content(self.query_one("#place", Static), place_content(self.scenario, view))
        marked: set[str] = set()  # each glossary term is marked at its first use in the scene
        self.query_one(SceneText).show(view.text, marked)
        self.query_one("#text-scroll").scroll_home(animate=False)
        changes = changes_content(result) if result else Content("")
        show_content(self.query_one("#changes", Static), changes)
        self.query_one("#changes").display = bool(changes)
        self.query_one("#stuck").display = view.stuck
        self.query_one(ChoiceList).show(view.choices, self.glossary, marked)
        self.query_one(RouteMap).show(self.scenario.route.values(), seen, view.stage.id)
        self.query_one(StatusPanel).show(view.meters, deltas(result))
        self.query_one(FactCards).show(view.facts, self.glossary, marked)
        if view.stuck != was_stuck:  # only "back" depends on the view; a footer redraw is slow
            self.refresh_bindings()

    def _hold_frame(self) -> None:
        """Draw a new scene in one frame: no repaint until every widget `show`
        changes has told the screen (each does on its own idle, after `show`
        returns), else the first frame has half the scene and a second follows."""
        if not self._holding and IN_PLACE:  # else Textual's update draws as it goes
            self._holding = True
            self.app._begin_batch()
            self.call_after_refresh(self._release_frame)  # runs on the screen's idle while held

    def _release_frame(self, draw: bool = True) -> None:
        if self._holding:
            self._holding = False
            self.app._end_batch()
            if not draw:
                return
            self.check_idle()  # the screen repaints on its next idle, now that it may
            self.call_after_refresh(self._update_cue)  # after that repaint

    def on_idle(self) -> None:
        """Lay out (and draw) the scene just shown now (see PROMPT_FRAMES).
        Runs before Textual's own idle handler, which would start the timer."""
        if not PROMPT or self._prompt_frames <= 0 or not self.is_current:
            return
        if time.monotonic() > self._prompt_until:
            self._prompt_frames = 0
            self._draw_owed()
        elif not getattr(self.app, "_batch_count", True) and _frame_wanted(self):  # repaints not held
            self._prompt_frames -= 1
            self._lay_out_then_draw()

    def _lay_out_then_draw(self) -> None:
        """Lay out what changed; draw it unless the layout made a widget ask
        for more, whose request reaches the screen when that widget is next
        idle: then the next idle lays out again and draws it all at once."""
        self._laying_out = True
        try:
            self._on_timer_update()  # lays out; `_compositor_refresh` below keeps the drawing
        finally:
            self._laying_out = False
        laid_out = self._compositor
        # the widgets laid out, and the scrollbars shown (which Textual keeps apart)
        if self._prompt_frames > 0 and any(map(_asking, chain(laid_out.widgets, laid_out.visible_widgets))):
            self._deferrals += 1
            self.set_timer(OWED_DRAW_SECONDS, partial(self._draw_owed, self._deferrals))
        else:
            self._draw_owed()

    def _draw_owed(self, deferral: int | None = None) -> None:
        """Draw what our layouts left undrawn; from the safety net's timer
        (`deferral`), only if no later layout took that drawing over."""
        if deferral is not None and deferral != self._deferrals:
            return
        if self._owed and self.is_attached and not getattr(self.app, "_batch_count", 0):
            self._compositor_refresh()

    def _compositor_refresh(self) -> None:
        """Draw what changed, unless one of our layouts is under way: then the
        regions stay marked in the compositor and are drawn by `_draw_owed`."""
        if self._laying_out:
            self._owed = True
            self._dirty_widgets.clear()  # their regions are marked, as drawing them would
            return
        self._owed = False
        super()._compositor_refresh()

    def _update_cue(self) -> None:
        for scroll in self.query(TextScroll):  # none once the screen is gone
            scroll.update_cue()

    def on_unmount(self) -> None:
        self._release_frame(draw=False)  # never leave the app unable to repaint; nothing to draw

    # -- choosing --------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.take(int(event.option.id))

    def action_choose(self, number: int) -> None:
        if self.has_class("-panels") and self._panels_only():
            # the choices are not on screen: a number must never take one unseen
            self.notify("The choices are hidden behind the panels: press m to see them.", markup=False)
            return
        choice = next((c for c in self.view.choices if c.number == number), None)
        if choice is None:
            return
        if not choice.available:
            self.notify(f"That choice is locked: {choice.locked_reason}", markup=False, severity="warning")
            return
        if self._bring_into_view(choice.index, number):
            return
        self.take(choice.index)

    def _bring_into_view(self, index: int, number: int) -> bool:
        """A choice scrolled out of the list's view is shown and highlighted, and
        said, rather than taken unseen; True if it was out of view."""
        choices = self.query_one(ChoiceList)
        position = choices.position_of(index)
        where = None if position is None else choices.out_of_view(position)
        if position is None or where is None:
            return False
        choices.bring_into_view(position)
        said = f"Choice {number} is {where}: press {number} again or Enter to take it."
        self.notify(said, markup=False)
        return True

    def take(self, index: int) -> None:
        if not self.waiting:  # a second key before the first is answered would pick from an old view
            self.waiting = True
            self.post_message(self.Chose(index))

    def action_back(self) -> None:
        if not self.waiting:
            self.waiting = True
            self.post_message(self.WentBack())

    def action_undo(self) -> None:
        self.post_message(UndoWanted())

    def action_journey(self) -> None:
        self.post_message(JourneyWanted())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.view.stuck  # going back is a way out of a dead end, not a rewind
        return True

    # -- panels ------------------------------------------------------------------------
    def action_facts(self) -> None:
        if self.view.facts:
            self.app.push_screen(FactsScreen(self.view.facts, self.glossary))
        else:
            self.notify("This scene has no facts to learn more about.")

    def action_glossary(self) -> None:
        terms = self.terms_of(self.view)
        if terms:
            self.app.push_screen(GlossaryScreen([(t, self.glossary[t]) for t in terms]))
        elif self.glossary:
            self.app.push_screen(
                GlossaryScreen(sorted(self.glossary.items()), "No marked words here. Every term:")
            )
        else:
            self.notify("This scenario has no glossary.")

    def _panels_only(self) -> bool:
        """The panels are shown instead of the text and choices (narrow, or reading layout)."""
        return self.has_class("-narrow") or self.has_class("-reading")

    def action_reading(self) -> None:
        """The reading layout: the story and the choices only; m shows the panels."""
        self.toggle_class("-reading")
        self.remove_class("-panels")
        self.query_one("#choices").focus()
        on = self.has_class("-reading")
        said = "Reading layout: the story and choices only; m shows the panels, r brings them back."
        self.notify(said if on else "The panels are back beside the story.", markup=False)

    def action_panels(self) -> None:
        if self._panels_only():
            self.toggle_class("-panels")
            # Keys go where the eyes are: the panels to scroll, or the choices again.
            showing_panels = self.has_class("-panels")
            self.query_one("#side" if showing_panels else "#choices").focus()
        else:
            self.notify("The route map, status and facts are on the right.")

    def action_scroll_text(self, where: str) -> None:
        """Scroll what is shown: the scene text, or the panels when they replace it."""
        target = "#side" if self.has_class("-panels") and self._panels_only() else "#text-scroll"
        scroll = self.query_one(target, VerticalScroll)
        moves = {
            "page_up": scroll.scroll_page_up,
            "page_down": scroll.scroll_page_down,
            "home": scroll.scroll_home,
            "end": scroll.scroll_end,
        }
        moves[where](animate=False)

    def commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Learn more", "This scene's fact cards and sources", self.action_facts)
        yield SystemCommand("Glossary", "Definitions of the marked words", self.action_glossary)
        yield SystemCommand("Undo", "Take back your last choice (u or Ctrl+Z)", self.action_undo)
        yield SystemCommand("Your journey so far", "The route and every choice made (j)", self.action_journey)
        yield SystemCommand(
            "Reading layout", "Story and choices only; the panels behind m (r)", self.action_reading
        )
