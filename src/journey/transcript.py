"""A journey as a Markdown transcript, for handing in or discussing in class.

The journey is replayed from its persona, seed and choices, so each scene's
text is exactly what the player saw (conditions and `{placeholders}` as they
were then). Scenario text is Markdown already and goes in as written, except
that raw HTML and entities are escaped, since the game shows them as text;
control characters were removed when the scenario loaded. Front-end neutral:
plain mode, the app and `journey transcript` all use it.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from .engine import Engine, EngineError, FactView, SceneView, State, format_value, retrace
from .engine.core import Change, Summary
from .scenario.links import allowed_url, safe_markdown

KINDS = {"safe": "a safe ending", "hard": "a hard ending", "open": "an open ending"}
FOLDER = "journey-transcripts"


class TranscriptError(Exception):
    """Why a transcript cannot be made or saved; the message is for the player."""


def transcript(engine: Engine, state: State, when: datetime | None = None, player: str = "") -> str:
    """The journey that led to `state`, as Markdown; `player` is the student's
    name (or nickname), when known."""
    views, picks = _replay(engine, state)
    sc = engine.scenario
    summary = engine.summary(state)
    ending = summary.ending
    out = [f"# {_line(sc.title)}", "", "A journey transcript.", ""]
    player = "".join(c for c in player if c.isprintable())  # typed by a student: no escapes
    if player.strip():
        out.append(f"- Student: {_line(player)}")
    persona = sc.personas.get(state.persona)
    if persona is not None:
        out.append(
            f"- Persona: {_line(persona.name)}" + (f" ({_line(persona.about)})" if persona.about else "")
        )
    out.append(f"- Date: {(when or datetime.now()).date().isoformat()}")
    out.append(f"- Choices made: {len(state.path)}")
    out.append(
        "- Ending: "
        + (
            f"{_line(ending.title)} ({KINDS.get(ending.kind, ending.kind)})"
            if ending
            else "not reached (the journey is not finished)"
        )
    )
    stage = ""
    for view, pick in zip(views, [*picks, None], strict=True):
        if view.stage.id != stage:
            stage = view.stage.id
            place = f" ({_line(view.stage.place)})" if view.stage.place else ""
            out += ["", f"## {_line(view.stage.title)}{place}"]
        out += _scene(view, pick)
    if ending is None:
        out += ["", "*The journey stops here: it is not finished yet.*"]
    else:
        out += [
            "",
            f"## The end: {_line(ending.title)}",
            "",
            f"*{KINDS.get(ending.kind, ending.kind).capitalize()}.*",
        ]
        if summary.debrief.strip():
            out += ["", "### Debrief", "", _shown(summary.debrief.strip())]
    out += _facts(summary.facts)
    out += _questions(summary)
    return "\n".join(out).rstrip("\n") + "\n"


Pick = tuple[str, tuple[Change, ...], bool]  # (choice text, changes, rolled)


def _replay(engine: Engine, state: State) -> tuple[list[SceneView], list[Pick]]:
    """Every scene the player saw, and what they chose in each but the last."""
    try:
        first, results = retrace(engine, state)
    except EngineError:
        raise TranscriptError(
            "this journey no longer replays on the scenario as it is now "
            "(the file has changed since it was played)"
        ) from None
    views, picks = [engine.view(first)], []
    for step, result in zip(state.path, results, strict=True):
        text = next((c.text for c in views[-1].choices if c.index == step.choice), "")
        views.append(engine.view(result.state))
        picks.append((text, result.changes, result.rolled))
    return views, picks


def _scene(view: SceneView, pick: Pick | None) -> list[str]:
    out = [""]
    if view.text:
        out += [_shown(view.text), ""]
    for fact in view.facts:
        out.append(f"> Learn more: {_line(fact.title)}")
    if view.facts:
        out.append("")
    if pick is not None:
        text, changes, rolled = pick
        out.append(f"**You chose:** {_line(text)}")
        shown = [
            _line(c.words())
            if c.worded
            else f"{_line(c.label)}: {format_value(c.old)} → {format_value(c.new)}"
            for c in changes
            if c.visible
        ]
        notes = (["Chance played a part in where this led."] if rolled else []) + (
            ["; ".join(shown) + "."] if shown else []
        )
        for note in notes:  # each its own paragraph: Markdown joins adjacent lines
            out += ["", f"*{note}*"]
    return out[:-1] if out[-1] == "" else out


def _facts(facts: tuple[FactView, ...]) -> list[str]:
    if not facts:
        return []
    out = ["", "## Facts met", ""]
    for fact in facts:
        line = f"- **{_line(fact.title)}.** {_line(fact.text)}"
        if fact.source is not None:
            line += f" Source: {_line(fact.source.cite())}"
            url = fact.source.url
            line += f", <{url}>." if allowed_url(url) else f", {_line(url)}." if url else "."
        out.append(line)
    return out


def _questions(summary: Summary) -> list[str]:
    asked = [(s.title, q) for s, q in summary.prompts]
    if not asked:
        return []
    return ["", "## To think about", "", *(f"- {_line(t)}: {_line(q)}" for t, q in asked)]


def _line(text: str) -> str:
    """Text for one line of Markdown: line breaks would end a list item or heading."""
    return _shown(" ".join(text.split()))


_ENTITY = re.compile(r"&(?=#?\w+;)")  # an & that would start an HTML entity


def _shown(text: str) -> str:
    """The author's Markdown as the game shows it: raw HTML and entities are
    text there, so they are escaped here rather than rendered by a viewer; and
    links go only to http(s) and mailto addresses."""
    return safe_markdown(_ENTITY.sub("&amp;", text).replace("<", "&lt;"))


# -- saving ---------------------------------------------------------------------------
def transcripts_dir() -> Path:
    """Where transcripts are saved: JOURNEY_HOME/transcripts when that is set,
    else a `journey-transcripts` folder in the user's documents, where a student
    can find it to hand in."""
    override = os.environ.get("JOURNEY_HOME")
    if override:
        return Path(override) / "transcripts"
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / FOLDER


def save(engine: Engine, state: State, when: datetime | None = None, player: str = "") -> Path:
    """Write the transcript to a new file in `transcripts_dir()`; its path."""
    when = when or datetime.now()
    text = transcript(engine, state, when, player)
    folder = transcripts_dir()
    stem = f"{state.scenario}-{when.strftime('%Y-%m-%d-%H%M')}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(1, 1000):
            path = folder / (f"{stem}.md" if n == 1 else f"{stem}-{n}.md")
            try:
                with open(path, "x", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
                return path
            except FileExistsError:
                continue
    except OSError as exc:
        raise TranscriptError(f"cannot write the transcript in {folder}: {exc.strerror or exc}") from None
    raise TranscriptError(f"too many transcripts named {stem} in {folder}")
