"""The reachability diagnostics (W210-W216, N300): the engine's facts in an author's words.

`journey.engine.reach` settles what can and cannot happen; this module only
words it, with where it is and a journey that shows it where there is one.
"""

from __future__ import annotations

from ..engine.explore import DEFAULT_MAX_STATES, structure
from ..engine.reach import Reachability, reachability
from ..scenario.diagnostics import Diagnostic, Diagnostics, Mark
from ..scenario.loader import display_path
from ..scenario.model import Scenario

UNKNOWN_SHOWN = 5  # what N300 names before "and N more"


def check(scenario: Scenario, max_states: int = DEFAULT_MAX_STATES) -> tuple[list[Diagnostic], Reachability]:
    """The validator's reachability diagnostics, and the facts they word."""
    found = reachability(scenario, max_states)
    return diagnose(scenario, found), found


def diagnose(scenario: Scenario, found: Reachability) -> list[Diagnostic]:
    diags = Diagnostics()
    sc = scenario
    _, can_end = structure(sc)
    maybe_scenes = set(found.scenes) | set(found.unknown_scenes)
    maybe_endings = set(found.endings) | set(found.unknown_endings)
    for sid, scene in sc.scenes.items():
        if sid not in maybe_scenes:
            diags.add(
                scene.mark,
                "W210",
                f"no path from the start reaches the scene `{sid}`",
                "add a choice that leads here, or remove the scene",
            )
        elif sid not in can_end:
            diags.add(
                scene.mark,
                "W212",
                f"from the scene `{sid}` no ending can be reached",
                "give it, or the scenes after it, a way on to an ending",
            )
    for eid, ending in sc.endings.items():
        if eid not in maybe_endings:
            diags.add(
                ending.mark,
                "W211",
                f"no path reaches the ending `{eid}`",
                "add a scene with `ending: " + eid + "` that a path reaches",
            )
    for sid, index in found.doomed.items():
        if sid in can_end and sid not in found.stuck:
            diags.add(
                sc.scenes[sid].mark,
                "W212",
                f"the scene `{sid}` can be reached in a state from which no ending can be reached",
                "players get stuck after: " + found.witness(index).describe(sc),
            )
    for sid, index in found.stuck.items():
        diags.add(
            sc.scenes[sid].mark,
            "W216",
            f"every choice of the scene `{sid}` can be hidden at once",
            "it happens after: " + found.witness(index).describe(sc) + "; add a choice without an `if`",
        )
    _never(sc, found, diags)
    if found.unknown:
        diags.add(
            Mark(display_path(sc.path), 1, 1),
            "N300",
            f"the checker tried {found.states:,} game situation{'' if found.states == 1 else 's'} "
            "and could not settle "
            f"{_unsettled(sc, found)}: it found no journey that reaches "
            f"{'it' if found.unknown == 1 else 'them'}, and could not prove that none does",
            f"run `journey validate --max-states N` with N above {found.max_states:,} to try more "
            "situations; `journey playtest --exhaustive` lists what is left",
        )
    return diags.sorted()


def _never(sc: Scenario, found: Reachability, diags: Diagnostics) -> None:
    """W213 and W215: choices never open, and roll outcomes never drawn, in scenes reached."""
    unknown_choices = set(found.unknown_choices)
    unknown_outcomes = set(found.unknown_outcomes)
    for sid in found.scenes:
        for choice in sc.scenes[sid].choices:
            key = (sid, choice.index)
            if key not in found.choices and key not in unknown_choices:
                diags.add(
                    choice.mark,
                    "W213",
                    f"choice {choice.index + 1} of `{sid}` can "
                    "never be taken: its condition is never true when the scene "
                    "is shown",
                    "check the condition against the variables' starts, bounds and effects",
                )
                continue
            for i, outcome in enumerate(choice.roll):
                if (sid, choice.index, i) not in found.outcomes and (
                    sid,
                    choice.index,
                    i,
                ) not in unknown_outcomes:
                    diags.add(
                        outcome.mark,
                        "W215",
                        f"roll outcome {i + 1} of choice "
                        f"{choice.index + 1} of `{sid}` is never drawn: its weight "
                        "is never above 0",
                        "give it a positive weight, or remove it",
                    )


def unsettled(sc: Scenario, found: Reachability) -> list[str]:
    """What is left unsettled, in words, in the scenario's order."""
    words = [f"the scene `{s}`" for s in found.unknown_scenes]
    words += [f"the ending `{e}`" for e in found.unknown_endings]
    words += [f"choice {i + 1} of `{s}`" for s, i in found.unknown_choices]
    words += [f"roll outcome {o + 1} of choice {i + 1} of `{s}`" for s, i, o in found.unknown_outcomes]
    words += [f"whether every choice of `{s}` can be hidden at once" for s in found.unknown_stuck]
    words += [f"whether an ending can always be reached from `{s}`" for s in found.unknown_doomed]
    return words


def _unsettled(sc: Scenario, found: Reachability) -> str:
    words = unsettled(sc, found)
    shown = ", ".join(words[:UNKNOWN_SHOWN])
    more = len(words) - UNKNOWN_SHOWN
    return shown + (f" and {more:,} more" if more > 0 else "")
