"""`journey playtest`: play a scenario automatically and report.

`--random N` plays N journeys and says how often each ending, scene, choice and
fact card was reached (the never-reached first), the shortest and longest
journeys, and every journey that got stuck or went on past a bound of choices.
`--exhaustive` settles every scene, ending, choice and roll outcome: a journey
that shows it can happen, or a proof that it never can (and that an ending can
always be reached, or a journey into a dead end). Every journey reported comes
with a command line that replays it.
Exit 0 when nothing is wrong, 1 when something is (or the file has errors), 2
on misuse.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Hashable
from typing import Any

from .. import resources
from ..engine import Engine
from ..engine.explore import DEFAULT_MAX_STATES
from ..exit_codes import EXIT_ERRORS, EXIT_OK
from ..scenario import Scenario
from ..scenario.diagnostics import Mark, did_you_mean
from ..scenario.loader import display_path
from .autoplay import (
    DEFAULT_MAX_STEPS,
    DEFAULT_RUNS,
    ExhaustiveReport,
    Journey,
    RandomReport,
    exhaustive,
    quote,
    random_journeys,
)
from .plumbing import ToolError, emit, guarded, load_scenario, scenario_path
from .strategy import (
    DEFAULT_STRATEGY_RUNS,
    default_risk,
    strategy_journeys,
    strategy_json,
    strategy_text,
)


def run(args: argparse.Namespace) -> int:
    return guarded("playtest", lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    problem = _misuse(args)
    if problem:
        raise ToolError(problem)
    scenario = load_scenario(args.scenario)
    engine = Engine(scenario)
    file = _playable(args.scenario)
    json_out = getattr(args, "format", "text") == "json"
    if getattr(args, "strategy", None):
        return _strategy(args, scenario, engine, file, json_out)
    if args.exhaustive:
        report = exhaustive(engine, args.max_states or DEFAULT_MAX_STATES, args.seed)
        out = (
            json.dumps(exhaustive_json(scenario, file, report), indent=2, ensure_ascii=False)
            if json_out
            else exhaustive_text(scenario, file, report)
        )
        failed = bool(report.findings)
    else:
        runs = args.random if args.random is not None else DEFAULT_RUNS
        steps = getattr(args, "max_steps", None) or DEFAULT_MAX_STEPS
        found = random_journeys(engine, runs, args.seed, steps)
        out = (
            json.dumps(random_json(scenario, file, found), indent=2, ensure_ascii=False)
            if json_out
            else random_text(scenario, file, found)
        )
        failed = found.problems > 0
    emit(out + "\n", None, "playtest", "the report")
    return EXIT_ERRORS if failed else EXIT_OK


def _strategy(args: argparse.Namespace, sc: Scenario, engine: Engine, file: str, json_out: bool) -> int:
    """--strategy: journeys played as a cautious, bold or random player would."""
    risk = getattr(args, "risk", None) or default_risk(sc)
    if risk is not None and (risk not in sc.variables or sc.variables[risk].type != "int"):
        numbers = [n for n, v in sc.variables.items() if v.type == "int"]
        hint = did_you_mean(risk, numbers, "number variables")
        raise ToolError(f"--risk names no number variable of this scenario: `{risk}`; {hint}")
    runs = args.random if args.random is not None else DEFAULT_STRATEGY_RUNS
    steps = getattr(args, "max_steps", None) or DEFAULT_MAX_STEPS
    report = strategy_journeys(engine, args.strategy, runs, args.seed, risk, steps)
    shown = display_path(file)
    out = (
        json.dumps(strategy_json(sc, shown, report), indent=2, ensure_ascii=False)
        if json_out
        else strategy_text(sc, shown, report)
    )
    emit(out + "\n", None, "playtest", "the report")
    return EXIT_ERRORS if report.unfinished else EXIT_OK


def _playable(arg: str) -> str:
    """The scenario for the replay lines: a file as it was given, and a
    built-in by name (`builtin:NAME`), which `journey play` finds from any
    folder, where the installed file's path would be long and fragile."""
    if arg.startswith(resources.BUILTIN_PREFIX):
        scenario_path(arg)  # an unknown name was refused already; this keeps the check
        return arg
    return arg


def _misuse(args: argparse.Namespace) -> str:
    if args.random is not None and args.random < 1:
        return "--random needs a number of journeys of at least 1"
    if args.max_states is not None and (args.max_states < 1 or not args.exhaustive):
        return "--max-states goes with --exhaustive, and must be at least 1"
    if getattr(args, "risk", None) and not getattr(args, "strategy", None):
        return "--risk goes with --strategy"
    if getattr(args, "strategy", None) and args.exhaustive:
        return "--strategy plays journeys; it does not go with --exhaustive"
    steps = getattr(args, "max_steps", None)
    if steps is not None and (steps < 1 or args.exhaustive):
        return "--max-steps goes with --random, and must be at least 1"
    return ""


# -- random journeys: text --------------------------------------------------------------
def random_text(sc: Scenario, file: str, r: RandomReport) -> str:
    personas = ", ".join(sc.personas)
    lines = [
        f"Playtest of {sc.title} ({display_path(file)})",
        f"{_n(r.runs, 'random journey')} (seed {r.seed})"
        + (f", each persona in turn ({personas})" if personas else "")
        + f", at most {_n(r.max_steps, 'choice')} each.",
        "",
    ]
    for title, verb, rows in _coverage_sections(sc, r):
        lines += _coverage(title, verb, rows, r.runs)
    lines += _journeys_text(sc, file, r)
    return "\n".join(lines)


Row = tuple[Hashable, str, int]  # (key, how it reads, journeys that reached it)


def _coverage_sections(sc: Scenario, r: RandomReport) -> list[tuple[str, str, list[Row]]]:
    endings: list[Row] = [
        (e.id, f"`{e.id}` {quote(e.title)} ({e.kind})", r.endings[e.id]) for e in sc.endings.values()
    ]
    scenes: list[Row] = [(s.id, f"{s.mark}: `{s.id}`", r.scenes[s.id]) for s in sc.scenes.values()]
    choices: list[Row] = [
        (
            (s.id, c.index),
            f"{c.mark}: choice {c.index + 1} of `{s.id}` {quote(c.text.source)}",
            r.choices[(s.id, c.index)],
        )
        for s in sc.scenes.values()
        for c in s.choices
    ]
    facts: list[Row] = [
        ((s.id, i), f"{f.mark}: `{s.id}` {quote(f.title)}", r.facts[(s.id, i)])
        for s in sc.scenes.values()
        for i, f in enumerate(s.facts)
    ]
    return [
        ("Endings", "reached", endings),
        ("Scenes", "reached", scenes),
        ("Choices", "taken", choices),
        ("Fact cards", "met", facts),
    ]


def _coverage(title: str, verb: str, rows: list[Row], runs: int) -> list[str]:
    if not rows:
        return [f"{title}: none in this scenario", ""]
    never = [text for _, text, count in rows if count == 0]
    lines = [f"{title}: {len(rows) - len(never)} of {len(rows)} {verb}"]
    if never:
        lines.append(f"  never {verb}:")
        lines += [f"    {text}" for text in never]
    reached = sorted((row for row in rows if row[2]), key=lambda row: row[2])
    if reached:
        lines.append(f"  {verb} in how many journeys, fewest first:")
        width = len(f"{runs:,}")
        lines += [f"    {count:>{width},} {100 * count / runs:>4.0f}%  {text}" for _, text, count in reached]
    return [*lines, ""]


def _journeys_text(sc: Scenario, file: str, r: RandomReport) -> list[str]:
    stuck = sum(count for count, _ in r.stuck.values())
    lines = [
        f"Journeys: {r.ended:,} reached an ending, {stuck:,} got stuck, "
        f"{len(r.looped):,} went past {_n(r.max_steps, 'choice')}."
    ]
    if r.shortest is not None and r.longest is not None:
        lines.append(f"  mean length: {r.total_choices / max(1, r.ended):.1f} choices")
        for word, j in (("shortest", r.shortest), ("longest", r.longest)):
            lines.append(f"  {word}: {_n(j.length, 'choice')}, to the ending `{j.ending}`")
            lines.append(f"    {j.replay.line(file)}")
    lines.append("")
    if not r.problems:
        lines.append("No problems: no journey got stuck or went on past the bound.")
        return lines
    lines.append(f"Problems: {_n(r.problems, 'journey')}.")
    for sid, (count, first) in r.stuck.items():
        lines.append(
            f"  {sc.scenes[sid].mark}: stuck in `{sid}`, where every choice was "
            f"hidden, in {_n(count, 'journey')}; the shortest:"
        )
        lines.append(f"    {first.replay.line(file)}")
    if r.looped:
        first = r.looped[0]
        lines.append(
            f"  {_n(len(r.looped), 'journey')} went on past "
            f"{_n(r.max_steps, 'choice')} without an ending, circling through "
            + ", ".join(f"`{s}`" for s in first.circling)
            + "; the first, "
            "up to where it enters them:"
        )
        lines.append(f"    {first.replay.line(file, first.into_loop)}")
    return lines


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# -- random journeys: JSON --------------------------------------------------------------
def random_json(sc: Scenario, file: str, r: RandomReport) -> dict[str, Any]:
    def journey(j: Journey | None) -> dict[str, Any] | None:
        if j is None:
            return None
        return {
            "choices": j.length,
            "ending": j.ending or None,
            "scene": j.scene,
            "replay": j.replay.to_json(file),
        }

    return {
        "mode": "random",
        "scenario": sc.id,
        "file": display_path(file),
        "journeys": r.runs,
        "seed": r.seed,
        "max_steps": r.max_steps,
        "personas": {pid: r.personas[pid] for pid in sc.personas},
        "endings": [
            {"id": e.id, "title": e.title, "kind": e.kind, "journeys": r.endings[e.id], **_where(e.mark)}
            for e in sc.endings.values()
        ],
        "scenes": [{"id": s.id, "journeys": r.scenes[s.id], **_where(s.mark)} for s in sc.scenes.values()],
        "choices": [
            {
                "scene": s.id,
                "choice": c.index + 1,
                "text": c.text.source,
                "journeys": r.choices[(s.id, c.index)],
                **_where(c.mark),
            }
            for s in sc.scenes.values()
            for c in s.choices
        ],
        "facts": [
            {"scene": s.id, "fact": i + 1, "title": f.title, "journeys": r.facts[(s.id, i)], **_where(f.mark)}
            for s in sc.scenes.values()
            for i, f in enumerate(s.facts)
        ],
        "ended": r.ended,
        "mean_choices": round(r.total_choices / r.ended, 2) if r.ended else None,
        "shortest": journey(r.shortest),
        "longest": journey(r.longest),
        "stuck": [
            {"scene": sid, "journeys": count, "shortest": journey(first)}
            for sid, (count, first) in r.stuck.items()
        ],
        "looped": [journey(j) for j in r.looped],
        "problems": r.problems,
    }


def _where(mark: Mark) -> dict[str, Any]:
    return {"path": mark.path, "line": mark.line, "col": mark.col}


# -- the exhaustive search --------------------------------------------------------------
def exhaustive_text(sc: Scenario, file: str, r: ExhaustiveReport) -> str:
    found = r.found
    lines = [f"Exhaustive playtest of {sc.title} ({display_path(file)})"]
    if found.exact:
        lines.append(
            f"Searched every reachable state: {_n(found.states, 'state')}, within "
            f"the bound of {found.max_states:,}."
        )
    elif r.complete:
        lines.append(
            "Every scene, ending, choice and roll outcome is settled: shown by a journey, "
            f"or proved impossible ({_n(found.states, 'state')} tried, of a budget of "
            f"{found.max_states:,})."
        )
    else:
        lines.append(
            f"{_n(len(r.unsettled), 'thing')} could not be settled within the budget of "
            f"{_n(found.max_states, 'state')}: no journey found shows them, and no proof rules "
            "them out. Run it with a larger --max-states to try more:"
        )
        lines += [f"  {words}" for words in r.unsettled]
    lines.append(_told_apart(sc, r))
    lines.append("")
    lines += _proofs(sc, file, r)
    lines.append("")
    if not r.findings:
        lines.append("No problems found." if r.complete else "No problems found in what is settled.")
        return "\n".join(lines)
    lines.append(f"{_n(len(r.findings), 'problem')}:")
    for f in r.findings:
        lines.append(f"  {f.mark}: {f.message}" if f.mark else f"  {f.message}")
        if f.replay is not None:
            lines.append(f"    the shortest journey that {f.route_text}:")
            lines.append(f"      {f.replay.line(file)}")
    return "\n".join(lines)


def _told_apart(sc: Scenario, r: ExhaustiveReport) -> str:
    search = r.found.search
    parts = ["persona", "scene"] if sc.personas else ["scene"]
    if search.variables:
        parts.append("the values of " + ", ".join(search.variables))
    if search.read:
        parts.append("the visits to " + ", ".join(search.read))
    parts.append("the once-only choices taken")
    others = len(sc.variables) - len(search.variables)
    note = (
        (
            f" ({_n(others, 'other variable')} only change{'s' if others == 1 else ''} "
            "the words, never the way on)"
        )
        if others
        else ""
    )
    return "States differ in " + "; ".join(parts) + note + "."


def _proofs(sc: Scenario, file: str, r: ExhaustiveReport) -> list[str]:
    found = r.found
    choices = sum(len(s.choices) for s in sc.scenes.values())
    outcomes = sum(len(c.roll) for s in sc.scenes.values() for c in s.choices)
    lines = [
        _tally("Scenes", len(found.scenes), len(sc.scenes), "reachable", len(found.unknown_scenes)),
        _tally("Endings", len(found.endings), len(sc.endings), "reachable", len(found.unknown_endings)),
    ]
    lines += [f"  `{eid}`: {replay.line(file)}" for eid, replay in r.endings.items()]
    dead = len(found.stuck) + len(found.doomed)
    open_question = len(found.unknown_stuck) + len(found.unknown_doomed)
    if not dead:
        lines.append(
            "Dead ends: none; an ending can be reached from every reachable state"
            if not open_question
            else f"Dead ends: none found; {_n(open_question, 'scene')} not settled"
        )
    else:
        lines.append(f"Dead ends: {_n(dead, 'scene')} where a journey can end up with no way on to an ending")
    lines.append(_tally("Choices", len(found.choices), choices, "can be taken", len(found.unknown_choices)))
    if outcomes:
        lines.append(
            _tally(
                "Roll outcomes", len(found.outcomes), outcomes, "can be drawn", len(found.unknown_outcomes)
            )
        )
    return lines


def _tally(title: str, good: int, total: int, what: str, unknown: int) -> str:
    if good == total:
        return f"{title}: all {total} {what}"
    return f"{title}: {good} of {total} {what}" + (f", {unknown:,} not settled" if unknown else "")


def exhaustive_json(sc: Scenario, file: str, r: ExhaustiveReport) -> dict[str, Any]:
    found = r.found
    return {
        "mode": "exhaustive",
        "scenario": sc.id,
        "file": display_path(file),
        "complete": found.complete,
        "exact": found.exact,
        "states": found.states,
        "max_states": found.max_states,
        "scenes": {"total": len(sc.scenes), "reached": sorted(found.scenes)},
        "endings": [
            {
                "id": eid,
                "reached": eid in r.endings,
                "shortest": r.endings[eid].to_json(file) if eid in r.endings else None,
            }
            for eid in sc.endings
        ],
        "choices": {"total": sum(len(s.choices) for s in sc.scenes.values()), "taken": len(found.choices)},
        "outcomes": {
            "total": sum(len(c.roll) for s in sc.scenes.values() for c in s.choices),
            "drawn": len(found.outcomes),
        },
        "unsettled": r.unsettled,
        "problems": [
            {
                "kind": f.kind,
                "message": f.message,
                **(_where(f.mark) if f.mark else {}),
                "shortest": f.replay.to_json(file) if f.replay else None,
            }
            for f in r.findings
        ],
    }
