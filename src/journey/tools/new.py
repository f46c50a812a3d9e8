"""`journey new PATH`: write a small, commented starter scenario.

The starter validates with no warnings and plays as it is, and it shows, once
each, what a scenario is made of: a route of stages, two endings, personas, a
fact with its source, a glossary term, a choice with `if`, and a roll. Beside
it goes the JSON Schema (if no copy is there yet), so that an editor's YAML
language server can check the file offline through the hint on its first line.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
from pathlib import Path

from ..exit_codes import EXIT_OK
from ..scenario.schema import SLUG
from ..scenario.text import printable, strip_controls
from .plumbing import ToolError, check_writable, guarded, safe, say, write_text
from .schema import SCHEMA_FILE, schema_text

SUFFIXES = (".yaml", ".yml")

# `<<...>>` marks what is filled in; everything else is written as it is.
STARTER = """\
# yaml-language-server: $schema=<<schema>>
#
# A starter scenario for journey (scenario format 1.1). It plays as it is:
#     journey play <<file>>
# Change it bit by bit, and check it after each change:
#     journey validate <<file>>
# See its scenes as a map with `journey graph <<file>>`, and write a guide
# for teachers with `journey guide <<file>> -o guide.html`.
#
# Lines that start with # are comments: players never see them.
# Indenting matters in YAML: use spaces, never tabs.

format: 1.1
id: <<id>>
title: <<title>>
summary: >-
  Two or three sentences that tell players and teachers what this journey is
  about. They are shown on the scenario picker and in the teacher's guide.
audience: ages 12 and up
content_notes: [getting lost, cold]   # shown before play; players can back out

# The works that the "learn more" cards cite, each under an id you choose.
sources:
  river-guide:
    title: Crossing Rivers Safely
    publisher: Example Outdoor Association
    year: 2024
    url: https://example.org/crossing-rivers

# Words players can look up during play: found in any text, whole word.
glossary:
  ford: A shallow place where a river can be crossed on foot.

# What the journey keeps track of. `shown: true` puts it in the status panel.
variables:
  supplies: {start: 3, min: 0, max: 5, label: Days of food, shown: true}
  has_guide: {start: false, label: Travelling with a guide}

# Who the player can be. `set` changes a variable's start for that persona.
personas:
  - id: traveller
    name: Sam
    about: Travelling alone, with a full bag.
  - id: latecomer
    name: Alex
    about: Left in a hurry, with little food.
    set: {supplies: 1}

# The stages of the journey, in order: they make the route map, and their
# discussion questions appear in the debrief.
route:
  - id: departure
    title: Setting out
    place: The town
    discussion:
      - What would you take with you, and who would you tell?
  - id: river
    title: The river
    place: The river crossing
    discussion:
      - Why might someone cross a river they know is dangerous?
  - id: far-side
    title: The far side
    place: Across the river

# How a journey can end. `kind` is safe, hard or open; the debrief says what
# the outcome means in reality.
endings:
  arrived:
    title: Safe on the far side
    kind: safe
    debrief: Write what this outcome means for real travellers, in a few sentences.
  turned-back:
    title: Back in the town
    kind: open
    debrief: Turning back is a real choice too. Say what it costs, and what it saves.

# The scene where every journey begins.
start: town

# The scenes, each under an id you choose. `{name}` is the persona's name;
# `{supplies}` is the value of that variable.
scenes:
  town:
    stage: departure
    text: |
      It is early morning in the town. {name} has food for {supplies} days
      and a long way to go. The river is half a day's walk away.
    facts:
      - title: Tell someone your route
        text: People who are lost are found sooner when someone knows where they went.
        source: river-guide
    choices:
      # `if` hides a choice until its condition is true; with `show_locked`
      # it is shown, locked, with the reason below. `once` hides it after use.
      - text: Pay a guide with a day of food
        if: supplies >= 2
        show_locked: true
        locked_text: You need food for at least 2 days to pay a guide.
        once: true
        set: {has_guide: true}
        add: {supplies: -1}
        goto: town
      - text: Walk to the river
        goto: riverbank

  riverbank:
    stage: river
    text:
      - The river is wide and fast after the spring rain.
      # A part with `if` is shown only when its condition is true.
      - if: has_guide
        text: Your guide points upstream, to a ford where the water is shallow.
    choices:
      - text: Follow your guide to the ford
        if: has_guide
        goto: far-bank
      # A roll draws one outcome at random: here 3 chances in 5 to get
      # across, 2 in 5 to be pushed back.
      - text: Wade straight across
        roll:
          - weight: 3
            goto: far-bank
          - weight: 2
            add: {supplies: -1}
            goto: swept-back
      - text: Go back to the town
        goto: back-in-town

  swept-back:
    stage: river
    text:
      # `seq` shows one text per visit, in turn; the last one stays.
      - seq:
          - The current knocks you off your feet. You crawl back to the bank,
            soaked, and part of your food is gone.
          - Swept back again. The bank is churned to mud where you fell before.
      - Food left for {supplies} days.
    choices:
      - text: Try again
        goto: riverbank
      - text: Go back to the town
        goto: back-in-town

  # A scene with `ending` ends the journey; it has no choices.
  far-bank:
    stage: far-side
    ending: arrived
    text: You climb out on the far side, cold but safe.

  back-in-town:
    stage: departure
    ending: turned-back
    text: You are back in the town by evening, tired but dry.
"""


def starter(title: str, scenario_id: str, file_name: str, schema: str) -> str:
    """The starter scenario's text."""
    fill = {
        "title": json.dumps(title, ensure_ascii=False),
        "id": scenario_id,
        "file": file_name,
        "schema": schema,
    }
    return re.sub(r"<<(\w+)>>", lambda m: fill[m.group(1)], STARTER)


def title_from(path: Path) -> str:
    words = re.sub(r"[-_\s]+", " ", path.stem).strip()
    return (words[:1].upper() + words[1:]) if words else "My scenario"


def slug_from(*texts: str) -> str:
    """The first text that makes a slug, or a default."""
    for text in texts:
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        if slug and SLUG.match(slug):
            return slug[:60].strip("-")
    return "my-scenario"


def _clean(text: str) -> str:
    """One line of valid text, without control characters."""
    return " ".join(strip_controls(safe(text))[0].split())


def _out(text: str) -> None:
    print(printable(safe(text)))


def run(args: argparse.Namespace) -> int:
    return guarded("new", lambda: _new(args.path, args.title, args.force))


def _new(target: str, title_arg: str | None, force: bool) -> int:
    path = Path(target)
    if not path.name:
        raise ToolError("give the name of the file to write, for example `journey new my-route.yaml`")
    if path.suffix.lower() not in SUFFIXES:
        raise ToolError(
            f"{target}: a scenario file's name ends in .yaml, for example "
            f"`journey new {path.with_suffix('.yaml')}`"
        )
    if path.exists() and not force and not path.is_dir():
        raise ToolError(f"{target} already exists; choose another name, or add --force to replace it")
    check_writable(target)
    title = _clean(title_arg) if title_arg is not None else title_from(path)
    if not title:
        raise ToolError('the title is empty; give one, for example --title "The Salt Road"')
    file_name = shlex.quote(_clean(path.name))
    text = starter(title, slug_from(path.stem, title), file_name, SCHEMA_FILE)
    write_text(path, text, exclusive=not force)
    _out(f"Wrote {target}: a starter scenario that plays as it is.")
    _write_schema(path.parent / SCHEMA_FILE)
    _out("Next:")
    for command, why in (
        ("play", "play it"),
        ("validate", "check it after each change"),
        ("graph", "see its scenes and where each choice leads"),
    ):
        _out(f"  journey {command} {shlex.quote(target)}".ljust(40) + f"  {why}")
    return EXIT_OK


def _write_schema(path: Path) -> None:
    """The schema beside the scenario, for editors; an existing copy is kept."""
    if path.exists():
        _out(
            f"Kept the existing {path}: the schema that editors check the file with "
            "(`journey schema -o FILE` writes the current one)."
        )
        return
    try:
        write_text(path, schema_text(), exclusive=True)
    except ToolError as err:  # the scenario is written; the schema is a convenience
        say(f"Note: the schema for editors was not written ({err.message}).")
        return
    _out(
        f"Wrote {path}: the JSON Schema of the format, so that editors with a YAML "
        "language server check the file as you type, offline."
    )
