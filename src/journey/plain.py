"""Plain mode: the journey as linear text, one line of input per prompt.

For screen readers, scripts and tests. It only shows what the engine says and
passes the player's picks back; the engine decides everything.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
from typing import TextIO

from .engine import EngineError, SceneView, State, Summary, format_value
from .engine.core import Change
from .play import Session
from .scenario.text import printable
from .transcript import TranscriptError
from .transcript import save as save_transcript

HELP = """Commands:
  1, 2, 3 ...  take the choice with that number
  f            show this scene's "learn more" facts again
  s            show your status
  h or ?       show this help
  q            save and quit"""


class _Quit(Exception):
    pass


class Plain:
    def __init__(self, session: Session, stdin: TextIO, stdout: TextIO) -> None:
        self.session, self.engine = session, session.engine
        self.stdin, self.out = stdin, stdout
        self.colour = stdout.isatty() and "NO_COLOR" not in os.environ
        self.width = min(88, max(40, shutil.get_terminal_size((88, 24)).columns - 1))
        self.state: State | None = None

    # -- output ------------------------------------------------------------
    def say(self, text: str = "") -> None:
        self.out.write(printable(text) + "\n")

    def heading(self, text: str) -> None:
        self.say()
        if self.colour:
            self.out.write(f"\033[1m{printable(text)}\033[0m\n")
        else:
            self.say(text)
        self.say("=" * min(len(text), self.width))

    def para(self, text: str, indent: str = "") -> None:
        for block in markdown_paragraphs(text):
            self.say(
                textwrap.fill(
                    block,
                    self.width,
                    initial_indent=indent,
                    subsequent_indent=indent + ("  " if _is_item(block) else ""),
                    break_on_hyphens=False,
                )
            )
            if not _is_item(block):
                self.say()

    def ask(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        if not self.stdin.isatty():
            self.say(line.rstrip("\n"))  # echo scripted input, so output reads as a dialogue
        return line.strip()

    # -- flow --------------------------------------------------------------
    def run(self, persona: str | None, seed: int | None) -> int:
        sc = self.session.scenario
        try:
            if self.session.notice:
                self.say(self.session.notice)
            if self.session.resume is not None:
                self.state = self.session.resume
                self.say(f"Continuing your journey in {sc.title}.")
            else:
                self.intro()
                persona = persona or self.pick_persona()
                self.state = self.engine.start(persona, seed)
                self.save()
            self.play()
        except _Quit:
            if self.state is not None:
                self.save()
                self.say("Your journey is saved. Resume it with: journey play --continue")
            else:
                self.say("Goodbye.")
        except EOFError:
            self.say()
            if self.state is None:
                self.say("Input ended before the journey began.")
            elif not self.ended():
                self.save()
                self.say("Input ended. Your journey is saved; resume it with: journey play --continue")
        self.out.flush()
        return 0

    def ended(self) -> bool:
        assert self.state is not None
        return self.engine.view(self.state).ending is not None

    def intro(self) -> None:
        sc = self.session.scenario
        self.heading(sc.title)
        if sc.summary:
            self.para(sc.summary)
        if sc.audience:
            self.say(f"Audience: {sc.audience}")
        if sc.content_notes:
            self.say("Content notes: this journey includes " + "; ".join(sc.content_notes) + ".")
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
            self.say(f"{i}. {p.name}" + (f": {p.about}" if p.about else ""))
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
        while True:
            view = self.engine.view(self.state)
            if view.stage.id != last_stage:
                last_stage = view.stage.id
                place = f" ({view.stage.place})" if view.stage.place else ""
                self.heading(f"{view.stage.title}{place}")
            self.show_scene(view)
            if view.ending is not None:
                self.show_ending(self.engine.summary(self.state))
                self.offer_transcript()
                return
            self.take_turn(view)

    def show_scene(self, view: SceneView) -> None:
        self.say()
        if view.text:
            self.para(view.text)
        self.show_facts(view)
        if view.meters and view.ending is None:
            self.show_status(view)

    def show_facts(self, view: SceneView) -> None:
        for fact in view.facts:
            source = f" (Source: {fact.source.cite()})" if fact.source is not None else ""
            self.para(f"Learn more: {fact.title}. {fact.text}{source}", "  ")

    def show_status(self, view: SceneView) -> None:
        parts = []
        for m in view.meters:
            value = m.shown_value
            if m.max is not None and not isinstance(m.value, bool) and m.word is None:
                value += f" of {m.max}"
            parts.append(f"{m.label}: {value}")
        self.say("Status: " + "; ".join(parts))

    def show_choices(self, view: SceneView) -> None:
        self.say()
        if view.stuck:
            self.say(
                "There is no way on from here: every choice is closed. Type b to go "
                "back to the previous scene, or q to quit."
            )
            return
        for c in view.choices:
            if c.available:
                self.say(f"{c.number}. {c.text}")
            else:
                self.say(f"{c.number}. (locked) {c.text}: {c.locked_reason}")

    def take_turn(self, view: SceneView) -> None:
        assert self.state is not None
        self.show_choices(view)
        numbers = {c.number: c for c in view.choices}
        while True:
            answer = self.ask("> ").lower()
            if answer in ("q", "quit", "exit"):
                raise _Quit
            if answer in ("h", "?", "help"):
                self.say(
                    HELP + ("\n  b            go back (only when there is no way on)" if view.stuck else "")
                )
                continue
            if answer == "f":
                if view.facts:
                    self.show_facts(view)
                else:
                    self.say("This scene has no facts to learn more about.")
                continue
            if answer == "s":
                self.show_status(view) if view.meters else self.say("Nothing to show.")
                continue
            if answer == "b" and view.stuck:
                previous = self.engine.back(self.state)
                if previous is not None:
                    self.state = previous
                    self.save()
                    return
                self.say("This is the start; there is nowhere to go back to.")
                continue
            number = as_number(answer)
            if number is not None and number in numbers:
                choice = numbers[number]
                if not choice.available:
                    self.say(f"That choice is locked: {choice.locked_reason}")
                    continue
                self.take(choice.index)
                return
            count = len(view.choices)
            self.say(
                f"Please type a number from 1 to {count}, or h for help."
                if count and not view.stuck
                else "Type b to go back, or q to quit."
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
            self.say("  " + "; ".join(_change(c) for c in shown))
        self.save()

    def show_ending(self, summary: Summary) -> None:
        ending = summary.ending
        assert ending is not None
        self.heading(f"The end: {ending.title} ({ending.kind})")
        if summary.debrief:
            self.para(summary.debrief)
        self.heading("Your route")
        for stage, seen in summary.stages:
            mark = "[x]" if seen else "[ ]"
            self.say(f"{mark} {stage.title}" + (f" ({stage.place})" if stage.place else ""))
        self.say(f"Choices made: {summary.choices}")
        if summary.facts:
            self.heading("What you learned along the way")
            for fact in summary.facts:
                cite = f" ({fact.source.cite()})" if fact.source else ""
                self.say(f"- {fact.title}{cite}")
        questions = [(s, q) for s, seen in summary.stages if seen for q in s.discussion]
        if questions:
            self.heading("To think about")
            for stage, q in questions:
                self.para(f"- {stage.title}: {q}")
        self.say()

    def offer_transcript(self) -> None:
        answer = self.ask(
            "Type t to save a transcript of this journey (to hand in or discuss), or press Enter to finish: "
        ).lower()
        if answer not in ("t", "transcript"):
            return
        assert self.state is not None
        try:
            path = save_transcript(self.engine, self.state)
        except TranscriptError as exc:
            self.say(f"Could not save the transcript: {exc}")
            return
        self.say(f"Transcript saved to {path}")

    def save(self) -> None:
        assert self.state is not None
        problem = self.session.autosave(self.state)
        if problem:
            self.say(problem)


def _change(change: Change) -> str:
    if change.worded:
        return change.words()
    return f"{change.label}: {format_value(change.old)} -> {format_value(change.new)}"


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
) -> int:
    front = Plain(session, stdin or sys.stdin, stdout or sys.stdout)
    return front.run(persona, seed)
