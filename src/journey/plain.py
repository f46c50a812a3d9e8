"""Plain mode: the journey as linear text, one line of input per prompt.

For screen readers, scripts and tests. It only shows what the engine says and
passes the player's picks back; the engine decides everything (undo, which
facts were already shown, choice numbers, the glossary words of a scene).

Written to be read aloud: headings are plain lines (no underlines), states are
words (never [x] or arrows), the choices follow the story directly, a fact is
printed in full once per journey, and after a choice only what changed.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable
from typing import TextIO

from . import settings
from .engine import ChoiceView, EngineError, SceneView, State, Summary, format_value
from .engine.core import Change
from .engine.estimate import playing_time
from .engine.glossary import find_terms, first_uses
from .exit_codes import EXIT_ERRORS, EXIT_OK
from .launch import Session, resume_unfinished, unfinished
from .scenario.text import printable
from .transcript import TranscriptError
from .transcript import save as save_transcript

COMMANDS = (
    ("1, 2, 3 ...", "take the choice with that number"),
    ("l", "look again: the scene and its choices"),
    ("f", "this scene's facts (learn more), in full"),
    ("g", "the glossary words of this scene, with their meanings (g all: every word)"),
    ("s", "your status, in full"),
    ("m", "the route, and your journey so far"),
    ("u", "undo your last choice (as many times as you like)"),
    ("t", "save a transcript of your journey so far"),
    ("d", "make plain mode the default, or the full-screen app again"),
    ("h or ?", "this help"),
    ("q", "save and quit"),
)
BACK = ("b", "go back (only when there is no way on)")
KINDS = {"safe": "a safe ending", "hard": "a hard ending", "open": "an open ending"}


class _Quit(Exception):
    pass


class _Again(Exception):
    """Play again from the ending."""


def help_text(stuck: bool = False) -> str:
    rows = [*COMMANDS[:-1], *([BACK] if stuck else []), COMMANDS[-1]]
    width = max(len(key) for key, _ in rows) + 2
    return "Commands:\n" + "\n".join(f"  {key.ljust(width)}{what}" for key, what in rows)


def number_list(numbers: list[int]) -> str:
    """1, 3 and 4: how a person says the numbers that can be typed."""
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def change_text(change: Change) -> str:
    """Said, not drawn: "Warmth: from 6 to 3" (or the variable's words)."""
    if change.worded:
        return change.words()
    return f"{change.label}: from {format_value(change.old)} to {format_value(change.new)}"


class Plain:
    def __init__(self, session: Session, stdin: TextIO, stdout: TextIO) -> None:
        self.session, self.engine = session, session.engine
        self.stdin, self.out = stdin, stdout
        self.colour = stdout.isatty() and "NO_COLOR" not in os.environ
        self.width = min(88, max(40, shutil.get_terminal_size((88, 24)).columns - 1))
        self.state: State | None = None
        self.save_problem = ""  # why the last save failed, if it did
        self.lost = False  # the player left an unfinished journey that is not saved
        self.blank = True
        self.marked: set[str] = set()  # glossary terms already underlined in this scene

    # -- output ------------------------------------------------------------
    def say(self, text: str = "") -> None:
        self.raw(printable(text))

    def raw(self, line: str) -> None:
        """A line already made printable, with only our own escapes in it."""
        self.out.write(line + "\n")
        self.blank = not line

    def gap(self) -> None:
        """One empty line between blocks, never two (a reader hears them as pauses)."""
        if not self.blank:
            self.say()

    def heading(self, text: str) -> None:
        """A line of its own, bold on a colour terminal; never underlined with
        characters a screen reader would read out."""
        self.gap()
        lines = textwrap.wrap(text, self.width, break_on_hyphens=False) or [""]
        for line in lines:
            if self.colour:
                self.raw(f"\033[1m{printable(line)}\033[0m")
            else:
                self.say(line)

    def para(self, text: str, indent: str = "", terms: bool = False, item: bool = False) -> None:
        """Markdown paragraphs, wrapped; an `item` is one line of a list (no gap after)."""
        for block in [" ".join(text.split())] if item else markdown_paragraphs(text):
            listed = item or _is_item(block)
            wrapped = textwrap.fill(
                block,
                self.width,
                initial_indent=indent,
                subsequent_indent=indent + ("  " if listed else ""),
                break_on_hyphens=False,
            )
            if terms and self.colour:
                self.raw(self.underline_terms(wrapped))
            else:
                self.say(wrapped)
            if not listed:
                self.say()

    def underline_terms(self, text: str) -> str:
        """Glossary words underlined on a colour terminal (the words are also
        listed after the text, for those who cannot see underlines)."""
        out, last = [], 0
        for span in first_uses(find_terms(text, self.session.scenario.glossary), self.marked):
            word = printable(text[span.start : span.end])
            out += [printable(text[last : span.start]), f"\033[4m{word}\033[24m"]
            last = span.end
        return "".join(out) + printable(text[last:])

    def ask(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        self.blank = False
        line = self.stdin.readline()
        if not line:
            raise EOFError
        if not self.stdin.isatty():
            self.say(line.rstrip("\n"))  # echo scripted input, so output reads as a dialogue
        return line.strip()

    # -- flow --------------------------------------------------------------
    def run(self, persona: str | None, seed: int | None, new: bool = False) -> int:
        try:
            if self.session.notice:
                self.say(self.session.notice)
            if self.session.resume is not None:
                self.state = self.session.resume
                self.say(f"Continuing your journey in {self.session.scenario.title}.")
            elif new or not self.offer_unfinished():
                self.intro()
                self.begin(persona, seed)
            while True:
                try:
                    self.play()
                    break
                except _Again:
                    self.begin(None, seed)  # "perhaps as someone else": the pick again
        except _Quit:
            if self.state is None or self.ended():
                self.say("Goodbye.")
            elif self.save(quiet=True):
                self.say("Your journey is saved. Resume it with: journey play --continue")
            else:
                self.say_not_saved()
        except EOFError:
            self.say()
            if self.state is None:
                self.say("Input ended before the journey began.")
            elif self.ended():
                pass
            elif self.save(quiet=True):
                self.say("Input ended. Your journey is saved; resume it with: journey play --continue")
            else:
                self.say_not_saved("Input ended. ")
        self.out.flush()
        return EXIT_ERRORS if self.lost else EXIT_OK

    def say_not_saved(self, before: str = "") -> None:
        """The truth when the last save failed: nothing to resume from here."""
        self.lost = True
        reason = self.save_problem.removeprefix("Could not save your journey: ")
        self.say(f"{before}Your journey was NOT saved ({reason}), so it cannot be continued later.")

    def begin(self, persona: str | None, seed: int | None) -> None:
        persona = persona or self.pick_persona()
        self.state = self.engine.start(persona, seed)
        self.save()

    def offer_unfinished(self) -> bool:
        """A new journey never silently replaces an unfinished one: ask. True when
        the player continues it."""
        found = unfinished(self.session)
        if found is None:
            return False
        self.say(f"You have an unfinished journey in {self.session.scenario.title}: {found.about}.")
        while True:
            answer = self.ask(
                "Type c to continue it, n to start a new journey (which replaces it), or q to quit: "
            ).lower()
            if answer in ("c", "continue"):
                session = resume_unfinished(self.session, found)
                if session.notice:
                    self.say(session.notice)
                if session.resume is None:  # its place no longer exists: a new journey
                    return False
                self.session, self.state = session, session.resume
                self.say(f"Continuing your journey in {session.scenario.title}.")
                return True
            if answer in ("n", "new"):
                return False
            if answer in ("q", "quit"):
                raise _Quit
            self.say("Please type c, n or q.")

    def ended(self) -> bool:
        assert self.state is not None
        return self.engine.view(self.state).ending is not None

    def intro(self) -> None:
        sc = self.session.scenario
        self.heading(sc.title)
        self.say()
        if sc.summary:
            self.para(sc.summary)
        if sc.audience:
            self.para(f"Audience: {sc.audience}", item=True)
        length = playing_time(sc)
        if length is not None:
            self.say(length.sentence())
        if sc.content_notes:
            self.para("Content notes: this journey includes " + "; ".join(sc.content_notes) + ".", item=True)
        self.say()
        while True:
            answer = self.ask("Press Enter or y to begin, q to quit: ").lower()
            if answer in ("", "y", "yes"):
                return
            if answer in ("q", "quit", "n", "no"):
                raise _Quit
            self.say("Please press Enter to begin, or type q to quit.")

    def pick_persona(self) -> str | None:
        personas = list(self.session.scenario.personas.values())
        if not personas:
            return None
        self.heading("Who will you be?")
        for i, p in enumerate(personas, 1):
            self.para(f"{i}. {p.name}" + (f": {p.about}" if p.about else ""), item=True)
        self.say()
        while True:
            answer = self.ask(f"Choose 1-{len(personas)} (q to quit): ").lower()
            if answer in ("q", "quit"):
                raise _Quit
            number = as_number(answer)
            if number is not None and 1 <= number <= len(personas):
                return personas[number - 1].id
            self.say(f"Please type a number from 1 to {len(personas)}.")

    def play(self) -> None:
        assert self.state is not None
        last_stage = ""
        full_status = True  # the whole status once; then only what changes
        while True:
            view = self.engine.view(self.state)
            if view.stage.id != last_stage:
                last_stage = view.stage.id
                self.stage_heading(view)
            self.show_scene(view)
            if view.ending is not None:
                self.gap()
                self.show_ending(self.engine.summary(self.state))
                if self.at_ending():
                    last_stage = ""
                    continue
                return
            if full_status and view.meters:
                self.show_status(view)
            full_status = False
            if self.take_turn(view):
                last_stage = ""  # after an undo, say where the player is again

    def stage_heading(self, view: SceneView) -> None:
        place = f" ({view.stage.place})" if view.stage.place else ""
        self.heading(f"{view.stage.title}{place}")

    def show_scene(self, view: SceneView) -> None:
        self.gap()
        self.marked = set()  # each term is underlined at its first use in a scene
        if view.text:
            self.para(view.text, terms=True)
        if view.ending is not None:
            return
        self.show_terms(view)
        self.show_choices(view)
        self.show_facts(view, again=False)

    def show_terms(self, view: SceneView) -> None:
        terms = self.engine.terms(view)
        if terms:
            word = "word" if len(terms) == 1 else "words"
            self.para(
                f"Glossary {word} here: {', '.join(terms)}. Type g for the meaning{'s' * (len(terms) > 1)}."
            )

    def show_facts(self, view: SceneView, again: bool) -> None:
        """In full when new (or asked for); a fact shown earlier in the journey is
        only counted, with the key that opens it."""
        seen = 0
        for fact in view.facts:
            if fact.seen and not again:
                seen += 1
                continue
            source = f" (Source: {fact.source.cite()})" if fact.source is not None else ""
            self.para(f"Learn more: {fact.title}. {fact.text}{source}", terms=True)
        if seen:
            count, it = ("1 fact", "it") if seen == 1 else (f"{seen} facts", "them")
            self.say(f"Learn more: {count} you have read before; type f to read {it} again.")
            self.say()

    def show_status(self, view: SceneView) -> None:
        parts = []
        for m in view.meters:
            value = m.shown_value
            if m.max is not None and not isinstance(m.value, bool) and m.word is None:
                value += f" of {m.max:,}"
            parts.append(f"{m.label}: {value}")
        self.para("Status: " + "; ".join(parts) + ".", item=True)

    def show_choices(self, view: SceneView) -> None:
        if view.stuck:
            self.say(
                "There is no way on from here: every choice is closed. Type u to undo "
                "your last choice, or q to quit."
            )
            self.say()
            return
        for c in view.choices:
            self.para(self.choice_line(c), item=True)
        self.say()

    @staticmethod
    def choice_line(choice: ChoiceView) -> str:
        if choice.available:
            return f"{choice.number}. {choice.text}"
        return f"{choice.number}. (locked) {choice.text}: {choice.locked_reason}"

    def take_turn(self, view: SceneView) -> bool:
        """One answer that moves the journey on; True when it went back (undo)."""
        assert self.state is not None
        numbers = {c.number: c for c in view.choices}
        while True:
            answer = self.ask("> ").lower()
            number = as_number(answer)
            if number is not None:
                choice = numbers.get(number)
                if choice is None:
                    self.say(self.no_such_choice(answer, view))
                elif not choice.available:
                    self.say(f"That choice is locked: {choice.locked_reason}")
                else:
                    self.take(choice.index)
                    return False
                continue
            if answer in ("u", "undo") or (answer in ("b", "back") and view.stuck):
                if self.undo():
                    return True
                continue
            if not self.command(answer, view):
                self.say(
                    "Type the number of a choice, or h for help."
                    if not view.stuck
                    else "Type u to undo your last choice, or q to quit."
                )

    def no_such_choice(self, answer: str, view: SceneView) -> str:
        if view.stuck:
            return "There is no choice to take here. Type u to undo your last choice, or q to quit."
        numbers = [c.number for c in view.choices]
        if len(numbers) == 1:
            return f"There is no choice {answer} here. The only choice is {numbers[0]}."
        return f"There is no choice {answer} here. The choices are {number_list(numbers)}."

    def command(self, answer: str, view: SceneView) -> bool:
        """The commands that show something and keep the turn; False if unknown."""
        actions: dict[str, Callable[[], None]] = {
            "q": self.quit,
            "h": lambda: self.say(help_text(view.stuck)),
            "l": lambda: self.look(view),
            "f": lambda: self.facts(view),
            "g": lambda: self.glossary(self.engine.terms(view)),
            "g all": lambda: self.glossary(sorted(self.session.scenario.glossary, key=str.casefold)),
            "s": lambda: self.show_status(view) if view.meters else self.say("This journey shows no status."),
            "m": self.route,
            "t": self.transcript,
            "d": self.toggle_default,
        }
        aliases = {"quit": "q", "exit": "q", "?": "h", "help": "h", "look": "l", "status": "s", "map": "m"}
        action = actions.get(aliases.get(answer, answer))
        if action is None:
            return False
        action()
        return True

    def quit(self) -> None:
        raise _Quit

    def look(self, view: SceneView) -> None:
        self.stage_heading(view)
        self.show_scene(view)

    def facts(self, view: SceneView) -> None:
        if view.facts:
            self.say()
            self.show_facts(view, again=True)
        else:
            self.say("This scene has no facts to learn more about.")

    def glossary(self, terms: Iterable[str]) -> None:
        glossary = self.session.scenario.glossary
        entries = [(t, glossary[t]) for t in terms]
        if not entries:
            self.say(
                "No glossary words in this scene. Type g all for every word."
                if glossary
                else "This journey has no glossary."
            )
            return
        self.say()
        for term, meaning in entries:
            self.para(f"{term}: {meaning}")

    def route(self) -> None:
        assert self.state is not None
        summary = self.engine.summary(self.state)
        here = self.engine.view(self.state).stage.id
        self.heading("The route")
        for stage, seen in summary.stages:
            where = "you are here" if stage.id == here else "passed" if seen else "not reached"
            place = f" ({stage.place})" if stage.place else ""
            self.para(f"{stage.title}{place}: {where}.", item=True)
        self.gap()
        self.heading("Your journey so far")
        past = self.engine.history(self.state)
        if not past:
            self.say("No choices made yet.")
        for n, step in enumerate(past, 1):
            changes = "; ".join(change_text(c) for c in step.changes if c.visible)
            chance = " Chance played a part." if step.rolled else ""
            line = f"{n}. {step.stage.title}: you chose {step.choice}.{chance}"
            self.para(line + (f" {changes}." if changes else ""), item=True)
        self.gap()

    def undo(self) -> bool:
        assert self.state is not None
        undone = self.engine.undo(self.state)
        if undone is None:
            self.say("This is the start of the journey: there is nothing to undo.")
            return False
        self.state = undone.state
        self.save()
        self.say(undone.message)
        return True

    def transcript(self) -> None:
        assert self.state is not None
        try:
            path = save_transcript(self.engine, self.state)
        except TranscriptError as exc:
            self.say(f"Could not save the transcript: {exc}")
            return
        self.say(f"Transcript saved to {path}")

    def toggle_default(self) -> None:
        on = not settings.plain_default()
        settings.remember_plain_default(on)
        self.say(
            "Plain mode is now the default: `journey` starts in it. Type d again to undo."
            if on
            else "The full-screen app is the default again (in a terminal). Type d again for plain mode."
        )

    def take(self, index: int) -> None:
        assert self.state is not None
        try:
            result = self.engine.choose(self.state, index)
        except EngineError as exc:
            self.say(f"That cannot be done: {exc}.")
            return
        self.state = result.state
        shown = [c for c in result.changes if c.visible]
        if shown:
            self.para("; ".join(change_text(c) for c in shown) + ".", item=True)
        self.save()

    def show_ending(self, summary: Summary) -> None:
        ending = summary.ending
        assert ending is not None
        self.heading(f"The end: {ending.title} ({KINDS.get(ending.kind, ending.kind)})")
        self.gap()
        if summary.debrief:
            self.para(summary.debrief)
        self.heading("Your route")
        for stage, seen in summary.stages:
            place = f" ({stage.place})" if stage.place else ""
            self.para(f"{stage.title}{place}: {'passed' if seen else 'not reached'}.", item=True)
        self.say(f"Choices made: {summary.choices}.")
        self.gap()
        if summary.facts:
            self.heading("What you learned along the way")
            for fact in summary.facts:
                cite = f" ({fact.source.cite()})" if fact.source else ""
                self.para(f"{fact.title}{cite}.", item=True)
        questions = list(summary.prompts)
        if questions:
            self.heading("To think about")
            for stage, q in questions:
                self.para(f"{stage.title}: {q}", item=True)
        self.gap()

    def at_ending(self) -> bool:
        """Play again, undo, a transcript, or finish. True when the journey goes
        on (an undo)."""
        while True:
            answer = self.ask("p to play again, t for a transcript, u to undo, Enter to finish: ").lower()
            if answer in ("", "q", "quit", "exit"):
                return False
            if answer in ("p", "play", "again"):
                raise _Again
            if answer in ("t", "transcript"):
                self.transcript()
            elif answer in ("u", "undo"):
                if self.undo():
                    return True
            elif answer in ("m", "map"):
                self.route()
            elif answer in ("h", "?", "help"):
                self.say(
                    "At the end: p plays again, t saves a transcript, u undoes your last choice, "
                    "m shows your journey, Enter finishes."
                )
            else:
                self.say("Please type p, t or u, or press Enter to finish.")

    def save(self, quiet: bool = False) -> bool:
        """Autosave; says why when it fails (unless `quiet`). True when saved."""
        assert self.state is not None
        problem = self.session.autosave(self.state)
        self.save_problem = problem
        if problem and not quiet:
            self.say(problem)
        return not problem


_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")
_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)


def plain_markdown(text: str) -> str:
    """Markdown's emphasis, code and heading marks dropped: a screen reader
    should not read out asterisks. Everything else stays as written."""
    text = _HEADING.sub("", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)


def markdown_paragraphs(text: str) -> list[str]:
    """Paragraphs as Markdown reads them: blank lines separate; single line
    breaks join, except before list items."""
    blocks: list[str] = []
    for chunk in plain_markdown(text).split("\n\n"):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        current: list[str] = []
        for line in lines:
            if _is_item(line) and current:
                blocks.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            blocks.append(" ".join(current))
    return blocks


def as_number(answer: str) -> int | None:
    """The number typed, or None: only ASCII digits count (`²` and `٣` are
    digits to Python but not to int()), and never more than a choice could need."""
    if not answer.isascii() or not answer.isdigit() or len(answer) > 6:
        return None
    return int(answer)


def _is_item(line: str) -> bool:
    return line.startswith(("- ", "* ", "+ ")) or (line.split(".", 1)[0].isdigit() and ". " in line[:5])


def run_plain(
    session: Session,
    persona: str | None = None,
    seed: int | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    new: bool = False,
) -> int:
    front = Plain(session, stdin or sys.stdin, stdout or sys.stdout)
    return front.run(persona, seed, new)
