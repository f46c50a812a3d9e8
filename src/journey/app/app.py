"""The Textual app: which screen comes next, and the one journey being played.

Screens show what the engine says and post what the player picked as typed
messages (`SceneScreen.Chose`, `PersonaScreen.Picked`, ...); this class handles
them: it passes picks to the engine, autosaves, and moves between screens. It
decides no rule of the game, and no screen imports it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import signal
from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import OptionList

from .. import saves
from ..exit_codes import EXIT_OK
from ..launch import PlayError, Session, open_session, resume_unfinished, unfinished
from . import catalog, settings
from .messages import JourneyWanted, UndoWanted
from .screens.notes import NotesScreen
from .screens.start import StartScreen
from .themes import THEMES

if TYPE_CHECKING:  # imported when first needed, not before the first frame (see below)
    from concurrent.futures import ThreadPoolExecutor

    from ..engine import Result, SceneView, State
    from .screens.persona import PersonaScreen
    from .screens.scene import SceneScreen
    from .watch import Watcher

HERE = Path(__file__).parent
PLAY_SCREENS_AFTER = 1.0  # seconds after the start: the first screen is drawn and being read


def _page_keys_wait_for_layout() -> None:
    """Textual 8's OptionList pages through its line map, which is empty until
    the list is first laid out: a page key that arrives that early (the command
    palette's list, in a burst of keys) raises KeyError and ends the app. Until
    Textual guards it, such a key does nothing."""
    move_page = getattr(OptionList, "_move_page", None)
    if move_page is None or getattr(move_page, "guarded", False):
        return

    def guarded(self: OptionList, direction: Any) -> None:
        if (self.highlighted or 0) in getattr(self, "_index_to_line", {}):
            move_page(self, direction)

    guarded.guarded = True  # type: ignore[attr-defined]
    OptionList._move_page = guarded  # type: ignore[method-assign]


_page_keys_wait_for_layout()


def _freeze_long_lived() -> None:
    """When a journey's first scene is on screen: what exists then (the
    scenario, the play screens' modules and styles, the scene screen's
    widgets) lives as long as the journey, yet every full collection walked
    all of it again, 13 to 40 ms, so about one keypress in 50 to 70 missed its
    frame by that much. The collector gets back what an earlier journey froze
    (some of it may be garbage now: a screen popped since), collects once,
    and freezes what is left out of its later passes, as play.py does for
    Textual's modules: 16 to 32 ms once a journey, after its first frame."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


CssPaths = str | PurePath | list[str | PurePath] | None  # Textual's CSS_PATH


class JourneyApp(App[int]):
    TITLE = "Journey"
    # App-wide rules only (and those that must outrank Textual's own widget
    # styles): each screen and widget keeps its styles in its DEFAULT_CSS, as
    # Textual's widgets do, parsed when it is first shown, not all at start
    # (a screen's own CSS_PATH would reparse and restyle everything instead).
    CSS_PATH: ClassVar[CssPaths] = HERE / "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False),
        Binding("q", "request_quit", "Quit"),
        Binding("ctrl+q", "request_quit", "Quit", show=False, priority=True),
        Binding("ctrl+c", "request_quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        session: Session | None = None,
        *,
        folder: str | None = None,
        persona: str | None = None,
        seed: int | None = None,
        direct: bool = False,
        watch: bool = False,
        blink: bool = True,
        pending: Path | None = None,
        player: str = "",
        on_save: Callable[[Session, State], None] | None = None,
    ) -> None:
        super().__init__()
        self.player = player  # a student's name in a class (journey serve), else ""
        self.on_save = on_save  # the class record's hook, called after every save
        self.session = session
        self.state: State | None = None
        self.folder, self.persona, self.seed = folder, persona, seed
        self.direct = direct  # a scenario was named: skip the picker
        self.blink = blink  # tests switch the cursor blink off for stable snapshots
        self.start_screen = StartScreen()
        self._saver: ThreadPoolExecutor | None = None
        self._saves_closed = False  # set once the app has ended: its last save is written
        self.watcher: Watcher | None = None
        if watch:
            from .watch import Watcher

            self.watcher = Watcher(self, pending)
        self.save_problem = ""  # why the last autosave failed, if it did
        self.leaving = False  # exit has begun: no screen may open any more
        # Saves held open while this app plays them. The scenario it was started
        # with is held by the command that started it (journey play); scenarios
        # picked here are held by the app itself, until it ends.
        self._held = {session.cover.id} if session is not None else set()
        self._locks = contextlib.ExitStack()

    @property
    def entries(self) -> list[catalog.Entry]:
        """The scenarios the start screen offers."""
        return self.start_screen.entries

    @entries.setter
    def entries(self, entries: list[catalog.Entry]) -> None:
        self.start_screen.entries = entries

    # -- starting --------------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        """The first screen, when it is the start screen or the notes of the
        scenario the app opens on: Textual draws the screen at the bottom of
        its stack in its first frame, while one pushed over it waits for the
        bottom one to be drawn first (the title 10 to 20% later,
        benchmarks/app_startup.py). A journey to continue, or a save to ask
        about, opens over an empty screen, in `on_mount`. The start screen is
        composed only when it is shown: under the notes or the journey it
        would only slow the first frame."""
        self.entries = catalog.entries(self.session, self.folder)
        session = self.session
        if session is None or (session.resume is None and not (self.direct or self._only_choice())):
            return self.start_screen
        if session.resume is None and saves.for_scenario(session.cover.id) is None:
            return NotesScreen(session.cover)
        return super().get_default_screen()

    def on_mount(self) -> None:
        for theme in THEMES:
            self.register_theme(theme)
        remembered = settings.theme()
        if remembered in self.available_themes:
            self.theme = remembered
        self.theme_changed_signal.subscribe(self, lambda t: settings.remember_theme(t.name))
        session = self.session
        if session is not None and session.notice:
            self.notify(session.notice, markup=False, timeout=10)
        if isinstance(self.screen, StartScreen | NotesScreen):
            pass  # the first screen (get_default_screen)
        elif session is not None and session.resume is not None:
            self.resume(session)
        elif session is not None:
            self.open(session)  # asks first whether to continue the journey saved
        if self.watcher:
            self.watcher.start()
        if not self.is_headless:  # tests and the web driver keep their own signals
            self._on_signals_leave()
        self.set_timer(PLAY_SCREENS_AFTER, self._import_play_screens)

    def _import_play_screens(self) -> None:
        """The screens of play, the engine and the scenario's rules (first drawn
        from its cover) are read while the player reads the first screen (not
        before it is drawn), so Begin does not wait for them."""
        if self.session is not None:
            self.session.scenario  # noqa: B018 (read now, not when Begin is pressed)
        import_module("..engine", __package__)
        for name in ("persona", "scene", "ending"):
            import_module(f".screens.{name}", __package__)

    def _on_signals_leave(self) -> None:
        """SIGTERM and SIGHUP (a closed terminal) end the app as a quit does: the
        journey is saved and the terminal restored, never left in the alternate
        screen with the mouse captured and the cursor hidden."""
        try:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
                if signum is not None:
                    loop.add_signal_handler(signum, self.leave, 128 + signum)  # as a shell reports it
        except (
            NotImplementedError,
            RuntimeError,
            ValueError,
        ):  # not on this platform, or not the main thread
            pass

    def leave(self, code: int = EXIT_OK) -> None:
        """Save (when a journey is open) and exit with `code`."""
        if self.leaving:
            return
        self.leaving = True
        if self.session is not None and self.state is not None:
            self.autosave()
        self.exit(code)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """No screen opens once the app is leaving: a key pressed together with
        the quit (q, y and g at once) would mount it into a closing app."""
        if self.leaving:
            return AwaitMount(self.screen, [])
        return super().push_screen(screen, *args, **kwargs)

    def action_command_palette(self) -> None:
        """One palette at a time, even under the quit dialog."""
        if self.leaving or any(isinstance(s, CommandPalette) for s in self.screen_stack):
            return
        if self.use_command_palette:
            from .palette import Palette

            self.push_screen(Palette(id="--command-palette"))

    def _only_choice(self) -> bool:
        playable = [e for e in self.entries if e.playable]
        return len(playable) == 1 and saves.latest() is None

    @on(events.DescendantFocus)
    def _no_blink(self, event: events.DescendantFocus) -> None:
        if not self.blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    # -- what the screens ask for ------------------------------------------------------
    @on(StartScreen.Picked)
    def _scenario_picked(self, message: StartScreen.Picked) -> None:
        self.open_entry(message.entry)

    @on(StartScreen.ContinueSaved)
    def _continue_picked(self) -> None:
        self.continue_saved()

    @on(NotesScreen.Accepted)
    def _notes_accepted(self) -> None:
        self.notes_accepted()

    @on(NotesScreen.Back)
    def _notes_back(self, message: NotesScreen.Back) -> None:
        """Back from the notes is the start screen: the notes are popped, or, when
        they are the app's first screen (under everything), it is shown over them."""
        if message.notes is not self.screen:
            return  # a second Escape in a burst: these notes are already left
        if self.screen_stack[0] is not message.notes:
            self.pop_screen()
        self._ensure_start()

    # The screens shown after the first are imported when first shown (the scene
    # and ending screens bring Markdown with them), so their messages are handled
    # by name (Textual's on_<screen>_<message>) rather than with @on(Class).
    def on_persona_screen_picked(self, message: PersonaScreen.Picked) -> None:
        self.begin(message.persona)

    def on_scene_screen_chose(self, message: SceneScreen.Chose) -> None:
        result = self.take(message.index)
        self._answer_scene(result, result is not None)

    def on_scene_screen_went_back(self) -> None:
        moved = self.go_back()
        if not moved:
            self.notify("This is the start; there is nowhere to go back to.")
        self._answer_scene(None, moved)

    def _answer_scene(self, result: Result | None, moved: bool) -> None:
        """Show the scene screen where the journey is now (unless an ending comes next)."""
        from .screens.scene import SceneScreen

        screen = self.screen
        if not isinstance(screen, SceneScreen):
            return
        if moved and self.view().ending is None:
            screen.show(self.view(), self.summary_stages(), result)
        else:
            screen.waiting = False

    def on_ending_screen_play_again(self) -> None:
        self.play_again()

    def on_ending_screen_to_start(self) -> None:
        self.to_start()

    def on_ending_screen_transcript_wanted(self) -> None:
        """Save the journey as Markdown and tell the ending screen where."""
        from ..transcript import TranscriptError
        from ..transcript import save as save_transcript
        from .screens.ending import EndingScreen

        screen = self.screen
        if self.session is None or self.state is None or not isinstance(screen, EndingScreen):
            return
        try:
            path = save_transcript(self.session.engine, self.state, player=self.player)
        except TranscriptError as exc:
            self.notify(f"Could not save the transcript: {exc}", severity="error", markup=False, timeout=10)
            return
        if self.is_web:  # in a browser: the student downloads their own copy
            self.deliver_text(path, save_filename=path.name, mime_type="text/markdown")
        screen.transcript_saved(str(path))

    # -- moving between screens ------------------------------------------------------
    def open(self, session: Session, ask: bool = True) -> None:
        """A scenario picked: show its content notes, after asking, when it has an
        unfinished journey, whether to continue that one instead."""
        if not self._hold(session.cover.id):
            return
        self.session = session
        found = unfinished(session) if ask else None
        if found is None:
            self._push_notes(session)
            return

        def answered(answer: str | None) -> None:
            if answer == "new":
                self._push_notes(session)
            elif answer == "continue" and found is not None:
                resumed = resume_unfinished(session, found)
                if resumed.notice:
                    self.notify(resumed.notice, markup=False, timeout=10)
                if resumed.resume is None:
                    self._push_notes(session)
                else:
                    self.resume(resumed)

        from .screens.replace import ReplaceScreen

        self._ensure_start()  # the question is a dialog over the start screen
        self.push_screen(ReplaceScreen(session.cover.title, found.about), answered)

    def _hold(self, scenario_id: str) -> bool:
        """Lock the save of a scenario picked here, as `journey play` does for the
        one it names; False (and the reason shown) when another window has it."""
        if scenario_id in self._held:
            return True
        try:
            self._locks.enter_context(saves.lock(scenario_id))
        except saves.SaveError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=10)
            return False
        self._held.add(scenario_id)
        return True

    def _push_notes(self, session: Session) -> None:
        """The content notes; going back from them leads to the start screen."""
        self.push_screen(NotesScreen(session.cover))

    def _ensure_start(self) -> None:
        """Put the start screen on the stack if it was never shown (the app went
        straight to a scenario) or was popped with everything above it."""
        if self.start_screen not in self.screen_stack and not self.leaving:
            self.push_screen(self.start_screen)

    def open_entry(self, entry: catalog.Entry) -> None:
        if self.session is not None and entry.source is self.session.source:
            self.open(self.session)
        else:
            self.open(entry.session())

    def notes_accepted(self) -> None:
        assert self.session is not None
        if self.session.scenario.personas and self.persona is None:
            from .screens.persona import PersonaScreen

            self.push_screen(PersonaScreen(self.session.scenario))
        else:
            self.begin(self.persona)

    def begin(self, persona: str | None) -> None:
        assert self.session is not None
        from ..engine import EngineError  # the engine loads as play begins (Session.engine)

        try:
            self.state = self.session.engine.start(persona, self.seed)
        except EngineError as exc:
            self.notify(f"Cannot start: {exc}", severity="error", markup=False)
            return
        self.autosave()
        self.call_later(self._show_play)

    def play_again(self) -> None:
        assert self.session is not None
        self.persona = None  # "another persona": always offer the pick again
        self.notes_accepted()

    def continue_saved(self) -> None:
        try:
            session = open_session(None, resume=True)
        except PlayError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=10)
            return
        if session.notice:
            self.notify(session.notice, markup=False, timeout=10)
        if session.resume is None:
            self.open(session)
        elif self._hold(session.scenario.id):
            self.resume(session)

    def resume(self, session: Session) -> None:
        self.session, self.state = session, session.resume
        self.call_later(self._show_play)

    def to_start(self) -> None:
        self.call_later(self._back_to_start)

    async def _back_to_start(self) -> None:
        await self._pop_to_start()
        self._ensure_start()

    async def _pop_to_start(self) -> None:
        while len(self.screen_stack) > 1 and self.screen is not self.start_screen:
            await self.pop_screen()

    async def _show_play(self) -> None:
        # Nothing is drawn between the screens popped and the one pushed: the
        # screen under them (the notes, the start screen) would flash up.
        with self.batch_update():
            await self._pop_to_start()
            await self.push_screen(self._play_screen())
        self.call_after_refresh(_freeze_long_lived)

    def _play_screen(self) -> Screen[None]:
        from .screens.ending import EndingScreen
        from .screens.scene import SceneScreen

        assert self.session is not None and self.state is not None
        view = self.view()
        if view.ending is not None:
            seen = settings.endings_seen(self.session.scenario.id)
            settings.remember_ending(self.session.scenario.id, view.ending.id)
            return EndingScreen(self.session.scenario, view, self.session.engine.summary(self.state), seen)
        return SceneScreen(self.session.scenario, view, self.summary_stages(), self.session.engine.terms)

    # -- playing ---------------------------------------------------------------------
    def view(self) -> SceneView:
        assert self.session is not None and self.state is not None
        return self.session.engine.view(self.state)

    def summary_stages(self) -> dict[str, bool]:
        assert self.session is not None and self.state is not None
        return {stage.id: seen for stage, seen in self.session.engine.summary(self.state).stages}

    def take(self, index: int) -> Result | None:
        """The player picked a choice: the engine decides what it does."""
        assert self.session is not None and self.state is not None
        from ..engine import EngineError

        try:
            result = self.session.engine.choose(self.state, index)
        except EngineError as exc:
            self.notify(f"That cannot be done: {exc}.", severity="warning", markup=False)
            return None
        self.state = result.state
        self.autosave()
        if self.view().ending is not None:
            self.call_later(self._switch_to_ending)
        return result

    def go_back(self) -> bool:
        assert self.session is not None and self.state is not None
        previous = self.session.engine.back(self.state)
        if previous is None:
            return False
        self.state = previous
        self.autosave()
        return True

    @on(UndoWanted)
    def undo(self) -> None:
        """Take back the last choice: the engine replays the journey without it
        (chance is not drawn again), and the app says what was undone."""
        if self.session is None or self.state is None:
            return
        undone = self.session.engine.undo(self.state)
        if undone is None:
            self.notify("This is the start of the journey: there is nothing to undo.", markup=False)
            return
        self.state = undone.state
        self.autosave()
        self.notify(undone.message, markup=False, timeout=6)
        from .screens.scene import SceneScreen

        screen = self.screen
        if isinstance(screen, SceneScreen):
            screen.show(self.view(), self.summary_stages(), None)
        else:
            self.call_later(self._show_play)

    @on(JourneyWanted)
    def show_journey(self) -> None:
        from .screens.journey import JourneyScreen

        if self.session is None or self.state is None or isinstance(self.screen, JourneyScreen):
            return
        engine = self.session.engine
        here = self.view().stage.id
        self.push_screen(JourneyScreen(engine.summary(self.state), here, engine.history(self.state)))

    async def _switch_to_ending(self) -> None:
        await self.switch_screen(self._play_screen())

    def autosave(self) -> None:
        """Save after every move, off the key handler (the write, fsync and rename
        take longer than drawing the next scene): one writer thread keeps the saves
        in order, a failure is notified when it happens, and quitting waits for it."""
        assert self.session is not None and self.state is not None
        if self._saves_closed:  # a move queued behind the quit: the app has ended, its save is final
            return
        if self._saver is None:
            from concurrent.futures import ThreadPoolExecutor

            self._saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journey-save")
        self._saver.submit(self._write_save, self.session, self.state, asyncio.get_running_loop())
        if self.on_save is not None:
            self.on_save(self.session, self.state)

    def _write_save(self, session: Session, state: State, loop: asyncio.AbstractEventLoop) -> None:
        problem = session.autosave(state)
        self.save_problem = problem  # what the quit dialog must say
        if problem:  # never block on the app's loop: it may be waiting for this thread to finish
            with contextlib.suppress(RuntimeError):  # the loop is closed: the app is gone
                loop.call_soon_threadsafe(
                    lambda: self.notify(problem, severity="error", markup=False, timeout=10)
                )

    def on_unmount(self) -> None:
        self._saves_closed = True
        if self._saver is not None:
            self._saver.shutdown(wait=True)  # the last move is on disk before the app ends
        self._locks.close()

    def reloaded(self, session: Session, state: State | None, restart: bool = False) -> None:
        """The watcher loaded a changed scenario: show the place `state` in it, even
        under a dialog; with `restart`, the place is lost and a new journey begins."""
        self.session = session
        self.entries = catalog.entries(session, self.folder)
        if restart:
            self.state = None
            self.call_later(self._restart)
            return
        if state is None:
            return
        self.state = state
        from .screens.ending import EndingScreen
        from .screens.scene import SceneScreen

        if any(isinstance(s, SceneScreen | EndingScreen) for s in self.screen_stack):
            self.call_later(self._show_play)

    async def _restart(self) -> None:
        await self._pop_to_start()
        assert self.session is not None
        self.open(self.session, ask=False)  # the watcher's restart: the old place is gone

    # -- app-wide actions --------------------------------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_request_quit(self) -> None:
        from .screens.quit import QuitScreen

        if self.leaving or any(isinstance(s, QuitScreen) for s in self.screen_stack):
            return
        unsaved = self.save_problem if self.state is not None else ""
        self.push_screen(QuitScreen(unsaved), self._quit_answer)

    def _quit_answer(self, quit_now: bool | None) -> None:
        if quit_now:
            self.leaving = True
            self.exit(EXIT_OK)

    def toggle_plain_default(self) -> None:
        """The setting plain mode also toggles with `d`: which front end `journey` opens."""
        on = not settings.plain_default()
        settings.remember_plain_default(on)
        self.notify(
            "Next time, journey starts in plain mode (journey play --app opens this app)."
            if on
            else "Next time, journey opens this app again.",
            markup=False,
            timeout=8,
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command
        yield SystemCommand("Help", "Every key, what the panels mean, what the game is", self.action_help)
        yield SystemCommand("Quit", "Quit (asks first; your journey is saved)", self.action_request_quit)
        plain = settings.plain_default()
        yield SystemCommand(
            "Open in the full-screen app next time" if plain else "Open in plain mode next time",
            "Plain mode: linear text for screen readers (journey play --plain)",
            self.toggle_plain_default,
        )
        from .screens.scene import SceneScreen

        if isinstance(screen, SceneScreen):
            yield from screen.commands()


def run_app(session: Session | None, args: argparse.Namespace, pending: Path | None = None) -> int:
    """Play; with `pending` (and --watch), a scenario with errors is shown and
    loaded once a save fixes it."""
    app = JourneyApp(
        session,
        pending=pending,
        folder=getattr(args, "dir", None),
        persona=getattr(args, "persona", None),
        seed=getattr(args, "seed", None),
        direct=bool(getattr(args, "scenario", None)),
        watch=bool(getattr(args, "watch", False)),
    )
    result = app.run()
    if app.return_code:  # a crash (Textual has shown why): never a success
        return app.return_code
    return result if isinstance(result, int) else EXIT_OK
