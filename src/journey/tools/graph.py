"""`journey graph`: a scenario's scenes as a graph, grouped by stage.

Three renderings of one list of edges: `text` for a terminal, `mermaid` for
Markdown viewers that draw diagrams (GitHub, GitLab, many editors), and `dot`
for Graphviz. Scenario text is untrusted, so every label is escaped for the
format it goes into; node names are generated (`s0`, `s1`, ...), never taken
from the scenario.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..engine.explore import structure
from ..scenario.model import Branch, Choice, Scenario, Scene
from .plumbing import emit, guarded, load_scenario

TEXT_WIDTH = 48  # characters of a choice's text shown in the text format
LABEL_WIDTH = 28  # characters of a choice's text on an edge of a drawn graph
KIND_COLOURS = {"safe": "#d9f2d9", "hard": "#f6d5d5", "open": "#fdf1c7"}


@dataclass(frozen=True)
class Edge:
    """Where one choice (or one outcome of its roll) leads."""

    source: str
    target: str
    number: int  # the choice's place in its scene, from 1
    text: str  # the choice's text, on one line
    condition: str = ""  # the source of its `if`
    locked: bool = False  # shown locked when the condition is false
    once: bool = False
    weight: str | None = None  # the outcome's weight, for a roll
    branch: str | None = None  # a conditional goto's branch (format 1.1): "if ..." or "otherwise"
    outcome: int = -1  # which outcome of a roll

    def choice_notes(self) -> list[str]:
        """What holds for the choice: its condition, and `once`."""
        notes = []
        if self.condition:
            notes.append(f"if {self.condition}" + (" (else locked)" if self.locked else ""))
        if self.once:
            notes.append("once")
        return notes

    def notes(self) -> list[str]:
        """The edge's label: the choice's text (shortened), so parallel edges can be
        told apart; its notes; the weight of a roll outcome; a goto branch."""
        weight = [f"roll, weight {self.weight}"] if self.weight is not None else []
        branch = [f"then {self.branch}"] if self.branch is not None else []
        return [f"{self.number}. {one_line(self.text, LABEL_WIDTH)}", *self.choice_notes(), *weight, *branch]


def one_line(text: str, width: int | None = None) -> str:
    """Text on one line, shortened to `width` characters with an ellipsis."""
    flat = " ".join(text.split())
    if width is not None and len(flat) > width:
        flat = flat[: width - 1].rstrip() + "…"
    return flat


def choice_edges(scene: Scene, choice: Choice) -> Iterator[Edge]:
    def edge(target: str, weight: str | None = None, branch: str | None = None, outcome: int = -1) -> Edge:
        return Edge(
            source=scene.id,
            target=target,
            number=choice.index + 1,
            text=one_line(choice.text.source),
            condition=one_line(choice.cond.source) if choice.cond else "",
            locked=choice.show_locked,
            once=choice.once,
            weight=weight,
            branch=branch,
            outcome=outcome,
        )

    if choice.roll:
        for i, outcome in enumerate(choice.roll):
            weight = one_line(outcome.weight.source)
            if outcome.branches:
                yield from (edge(b.goto, weight, _branch(b), i) for b in outcome.branches)
            else:
                yield edge(outcome.goto, weight, None, i)
    elif choice.branches:
        yield from (edge(b.goto, None, _branch(b)) for b in choice.branches)
    elif choice.goto:
        yield edge(choice.goto)


def _branch(branch: Branch) -> str:
    return f"if {one_line(branch.cond.source)}" if branch.cond else "otherwise"


def edges(scenario: Scenario) -> list[Edge]:
    return [
        e
        for scene in scenario.scenes.values()
        for choice in scene.choices
        for e in choice_edges(scene, choice)
    ]


def by_stage(scenario: Scenario) -> list[tuple[int, str, list[Scene]]]:
    """(number from 1, stage id, its scenes in file order), in route order."""
    return [
        (i, sid, [s for s in scenario.scenes.values() if s.stage == sid])
        for i, sid in enumerate(scenario.route, 1)
    ]


# -- text ----------------------------------------------------------------------


def render_text(scenario: Scenario) -> str:
    reach, can_end = structure(scenario)
    stages = len(scenario.route)
    lines = [
        f"{one_line(scenario.title)}: {_count(len(scenario.scenes), 'scene')} in "
        f"{_count(stages, 'stage')}, {_count(len(scenario.endings), 'ending')}",
        f"Start: {scenario.start}",
    ]
    for number, sid, scenes in by_stage(scenario):
        stage = scenario.route[sid]
        place = f", {one_line(stage.place)}" if stage.place else ""
        lines += ["", f"Stage {number} of {stages}: {one_line(stage.title)} ({sid}){place}"]
        if not scenes:
            lines.append("  (no scenes yet)")
        for scene in scenes:
            lines += _text_scene(scenario, scene, reach, can_end)
    return "\n".join(lines) + "\n"


def _text_scene(scenario: Scenario, scene: Scene, reach: set[str], can_end: set[str]) -> list[str]:
    tags = ["start"] if scene.id == scenario.start else []
    if scene.id not in reach:
        tags.append("no choice leads here")
    elif scene.id not in can_end:
        tags.append("no ending can be reached from here")
    head = f"  {scene.id}" + (f"  [{'; '.join(tags)}]" if tags else "")
    if scene.ending:
        ending = scenario.endings[scene.ending]
        return [f"{head}  => ENDING {scene.ending} ({ending.kind}): {one_line(ending.title)}"]
    lines = [head]
    for choice in scene.choices:
        found = list(choice_edges(scene, choice))
        if not found:
            continue
        first = found[0]
        if first.weight is None:
            where = ", ".join(_where(e) for e in found)
        else:
            outcomes: dict[int, list[Edge]] = {}
            for e in found:
                outcomes.setdefault(e.outcome, []).append(e)
            where = "roll: " + ", ".join(
                " / ".join(_where(e) for e in group) + f" (weight {group[0].weight})"
                for group in outcomes.values()
            )
        notes = first.choice_notes()
        extra = f"  {', '.join(notes)}" if notes else ""
        lines.append(f'    -> {where}{extra}  "{one_line(first.text, TEXT_WIDTH)}"')
    return lines


def _where(edge: Edge) -> str:
    return edge.target if edge.branch is None else f"{edge.target} {edge.branch}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- mermaid -------------------------------------------------------------------

_MERMAID_SAFE = re.compile(r"[\w .,:;!?'()/+*=-]")


def mermaid_label(*lines: str) -> str:
    """A quoted Mermaid label: every character that Mermaid or HTML could read
    as syntax (quotes, <, &, #, %, |, backticks, brackets) becomes an entity code."""
    escaped = [
        "".join(c if _MERMAID_SAFE.fullmatch(c) else f"#{ord(c)};" for c in one_line(line)) for line in lines
    ]
    return '"' + "<br/>".join(escaped) + '"'


def render_mermaid(scenario: Scenario) -> str:
    ids = {sid: f"s{i}" for i, sid in enumerate(scenario.scenes)}
    lines = [
        "flowchart TD",
        f"  start_node(({mermaid_label('start')})) --> {ids[scenario.start]}"
        if scenario.start in ids
        else "  start_node((start))",
    ]
    for number, sid, scenes in by_stage(scenario):
        title = f"{number}. {scenario.route[sid].title}"
        lines.append(f"  subgraph g{number - 1}[{mermaid_label(title)}]")
        for scene in scenes:
            lines.append("    " + _mermaid_node(scenario, scene, ids[scene.id]))
        lines.append("  end")
    for edge in edges(scenario):
        notes = edge.notes()
        arrow = f"-->|{mermaid_label('; '.join(notes))}|" if notes else "-->"
        lines.append(f"  {ids[edge.source]} {arrow} {ids[edge.target]}")
    for kind, colour in KIND_COLOURS.items():
        lines.append(f"  classDef {kind} fill:{colour},stroke:#333,stroke-width:2px")
    return "\n".join(lines) + "\n"


def _mermaid_node(scenario: Scenario, scene: Scene, node: str) -> str:
    if not scene.ending:
        return f"{node}[{mermaid_label(scene.id)}]"
    ending = scenario.endings[scene.ending]
    label = mermaid_label(scene.id, f"ending: {ending.title} ({ending.kind})")
    style = f":::{ending.kind}" if ending.kind in KIND_COLOURS else ""
    return f"{node}([{label}]){style}"


# -- dot -----------------------------------------------------------------------


def dot_string(*lines: str) -> str:
    """A quoted DOT string: backslashes and quotes escaped, so that no text can
    end the string or be read as a Graphviz escape (\\N, \\G, \\l ...)."""
    escaped = [one_line(s).replace("\\", "\\\\").replace('"', '\\"') for s in lines]
    return '"' + "\\n".join(escaped) + '"'


def render_dot(scenario: Scenario) -> str:
    ids = {sid: f"s{i}" for i, sid in enumerate(scenario.scenes)}
    lines = [
        "digraph scenario {",
        f"  graph [label={dot_string(scenario.title)}, labelloc=t, fontname=Helvetica, rankdir=TB];",
        "  node [shape=box, style=rounded, fontname=Helvetica];",
        "  edge [fontname=Helvetica, fontsize=10];",
        '  start_node [shape=circle, label="start"];',
    ]
    if scenario.start in ids:
        lines.append(f"  start_node -> {ids[scenario.start]};")
    for number, sid, scenes in by_stage(scenario):
        lines += [
            f"  subgraph cluster_{number - 1} {{",
            f"    label={dot_string(f'{number}. {scenario.route[sid].title}')};",
        ]
        lines += ["    " + _dot_node(scenario, scene, ids[scene.id]) for scene in scenes]
        lines.append("  }")
    for edge in edges(scenario):
        notes = edge.notes()
        attrs = f" [label={dot_string(*notes)}]" if notes else ""
        lines.append(f"  {ids[edge.source]} -> {ids[edge.target]}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_node(scenario: Scenario, scene: Scene, node: str) -> str:
    if not scene.ending:
        return f"{node} [label={dot_string(scene.id)}];"
    ending = scenario.endings[scene.ending]
    colour = KIND_COLOURS.get(ending.kind, "white")
    label = dot_string(scene.id, f"ending: {ending.title} ({ending.kind})")
    return f'{node} [label={label}, peripheries=2, style="rounded,filled", fillcolor="{colour}"];'


RENDERERS: dict[str, Callable[[Scenario], str]] = {
    "text": render_text,
    "mermaid": render_mermaid,
    "dot": render_dot,
}


def render(scenario: Scenario, fmt: str, output: str | None = None) -> str:
    """The graph in `fmt`; Mermaid written to a .md file goes in a fenced block."""
    text = RENDERERS[fmt](scenario)
    if fmt == "mermaid" and output and output.lower().endswith((".md", ".markdown")):
        text = f"```mermaid\n{text}```\n"
    return text


def run(args: argparse.Namespace) -> int:
    def body() -> int:
        scenario = load_scenario(args.scenario)
        text = render(scenario, args.format, args.output)
        return emit(text, args.output, "graph", f"the {args.format} graph", keep=scenario.files)

    return guarded("graph", body)
