"""A class's debrief, made from the class record: how many students, which
endings and how many reached each, what share of the class chose what at each
decision, the time each took, and each student's transcript.

The report is built once as data (`Report`) and then written as text for a
terminal, Markdown, CSV, or one HTML page with inline SVG charts (no script,
nothing fetched) that a teacher can project. Student names and scenario text
are always escaped for the format they go into.
"""

from __future__ import annotations

import csv
import html
import io
import sqlite3
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .. import resources
from ..engine import Engine
from ..scenario import Scenario, load
from ..scenario.model import Text
from ..transcript import KINDS, TranscriptError, transcript
from . import record

BAR = "█"


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    note: str = ""  # e.g. an ending's kind


@dataclass(frozen=True)
class Decision:
    scene: str
    where: str  # the stage's title
    prompt: str  # the scene's opening words
    bars: tuple[Bar, ...]
    median_seconds: float

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)


@dataclass
class Part:
    """What the class did in one scenario."""

    title: str
    scenario_id: str
    journeys: int = 0
    endings: list[Bar] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


@dataclass(frozen=True)
class StudentLine:
    name: str
    scenario: str
    persona: str
    ending: str  # "" while unfinished
    choices: int
    minutes: float
    started: datetime
    anchor: str
    transcript: str  # Markdown, or why there is none


@dataclass
class Report:
    class_name: str
    database: Path
    created: datetime
    students: int
    lines: list[StudentLine]
    parts: list[Part]

    @property
    def journeys(self) -> int:
        return len(self.lines)

    @property
    def finished(self) -> int:
        return sum(1 for line in self.lines if line.ending)


class ReportError(Exception):
    """No such class, say; the message is for the teacher."""


def build(db: sqlite3.Connection, class_name: str, database: Path) -> Report:
    class_id = record.class_id(db, class_name)
    if class_id is None:
        known = [c.name for c in record.classes(db)]
        hint = f" The classes recorded: {', '.join(known)}." if known else " No class is recorded yet."
        raise ReportError(f"no class called “{class_name}” in {database}.{hint}")
    info = next(c for c in record.classes(db) if c.id == class_id)
    rows = record.journeys(db, class_id)
    scenarios = _scenarios({r.scenario_ref for r in rows})
    parts: dict[str, Part] = {}
    by_part: dict[str, list[record.JourneyRow]] = defaultdict(list)
    for row in rows:
        by_part[row.scenario_id].append(row)
    for sid, group in by_part.items():
        scenario = next((s for s in scenarios.values() if s and s.id == sid), None)
        parts[sid] = _part(sid, scenario, group)
    lines = [_line(n, row, scenarios.get(row.scenario_ref)) for n, row in enumerate(rows, 1)]
    return Report(
        info.name, database, datetime.fromtimestamp(info.created), info.students, lines, list(parts.values())
    )


def _scenarios(refs: set[str]) -> dict[str, Scenario | None]:
    found: dict[str, Scenario | None] = {}
    for ref in refs:
        path = resources.resolve(ref)
        try:
            found[ref] = load(path).scenario if path is not None and path.is_file() else None
        except OSError:
            found[ref] = None
    return found


def _part(sid: str, scenario: Scenario | None, rows: list[record.JourneyRow]) -> Part:
    part = Part(scenario.title if scenario else sid, sid, journeys=len(rows))
    reached = Counter(r.ending for r in rows if r.ending)
    if scenario is not None:  # every ending, reached or not, in the scenario's order
        part.endings = [
            Bar(e.title, reached.get(eid, 0), KINDS.get(e.kind, e.kind))
            for eid, e in scenario.endings.items()
        ]
    else:
        part.endings = [Bar(eid, n) for eid, n in sorted(reached.items())]
    unfinished = sum(1 for r in rows if not r.ending)
    if unfinished:
        part.endings.append(Bar("Not finished yet", unfinished))
    picks: dict[str, Counter[tuple[int, str]]] = defaultdict(Counter)
    seconds: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        for c in row.choices:
            picks[c.scene][(c.choice, c.label)] += 1
            seconds[c.scene].append(c.seconds)
    order = list(scenario.scenes) if scenario else sorted(picks)
    for scene_id in sorted(picks, key=lambda s: order.index(s) if s in order else len(order)):
        part.decisions.append(_decision(scenario, scene_id, picks[scene_id], seconds[scene_id]))
    return part


def _decision(
    scenario: Scenario | None, scene_id: str, picks: Counter[tuple[int, str]], seconds: list[float]
) -> Decision:
    where, prompt = "", ""
    labels: dict[int, str] = {}
    if scenario is not None and scene_id in scenario.scenes:
        scene = scenario.scenes[scene_id]
        stage = scenario.route.get(scene.stage)
        where = stage.title if stage is not None else scene.stage
        prompt = _opening(_marked(scene.text[0].text)) if scene.text else ""
        labels = {c.index: " ".join(c.text.source.split()) for c in scene.choices}
    counts: Counter[int] = Counter()
    said: dict[int, str] = {}
    for (index, label), n in picks.items():
        counts[index] += n
        said.setdefault(index, label)
    indexes = sorted(set(counts) | set(labels))
    bars = tuple(Bar(labels.get(i) or said.get(i) or f"choice {i + 1}", counts.get(i, 0)) for i in indexes)
    return Decision(scene_id, where, prompt, bars, statistics.median(seconds) if seconds else 0.0)


def _marked(text: Text) -> str:
    """A text's words with its placeholders shown as ⟨name⟩, as the guide does."""
    return "".join(s if isinstance(s, str) else f"⟨{s[1] or s[0]}⟩" for s in text.segments)


def _opening(text: str, limit: int = 90) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rsplit(" ", 1)[0] + "…"


def _line(n: int, row: record.JourneyRow, scenario: Scenario | None) -> StudentLine:
    ending, persona, text = row.ending or "", row.persona, ""
    if scenario is not None:
        if row.ending and row.ending in scenario.endings:
            ending = scenario.endings[row.ending].title
        if row.persona in scenario.personas:
            persona = scenario.personas[row.persona].name
        if row.state is not None:
            try:
                text = transcript(
                    Engine(scenario), row.state, datetime.fromtimestamp(row.updated), row.student
                )
            except TranscriptError as exc:
                text = f"No transcript: {exc}."
    if not text:
        text = "No transcript: the scenario file cannot be found any more."
    end = row.ended or row.updated
    return StudentLine(
        row.student,
        scenario.title if scenario else row.scenario_id,
        persona,
        ending,
        len(row.choices),
        max(0.0, end - row.started) / 60,
        datetime.fromtimestamp(row.started),
        f"journey-{n}",
        text,
    )


# -- text, for a terminal ------------------------------------------------------------------
def _share(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else "0%"


def _bar(count: int, most: int, width: int = 24) -> str:
    return BAR * (round(width * count / most) if most else 0)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _time(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def to_text(report: Report) -> str:
    out = [
        f"Class “{report.class_name}”: {_n(report.students, 'student')}, {_n(report.journeys, 'journey')} "
        f"({report.finished} finished). Recorded since {report.created:%Y-%m-%d %H:%M}.",
        f"Class record: {report.database} (it stays on this computer).",
    ]
    for part in report.parts:
        out += ["", f"== {part.title} ({_n(part.journeys, 'journey')})", "", "Endings:"]
        width = max((len(b.label) for b in part.endings), default=0)
        most = max((b.count for b in part.endings), default=0)
        for b in part.endings:
            note = f" ({b.note})" if b.note else ""
            out.append(f"  {b.label.ljust(width)}  {_bar(b.count, most)} {b.count}{note}")
        out += ["", "At each decision, what the class chose:"]
        for d in part.decisions:
            out += [
                "",
                f"  {d.where}: {d.prompt}" if d.prompt else f"  {d.scene}",
                f"  ({_n(d.total, 'choice')}, median {_time(d.median_seconds)} to decide)",
            ]
            for b in d.bars:
                share, bar = _share(b.count, d.total), _bar(b.count, d.total, 20)
                out.append(f"    {share:>4}  {bar:<20}  {b.label} ({b.count})")
    out += ["", "Students:"]
    width = max((len(line.name) for line in report.lines), default=0)
    for line in report.lines:
        out.append(
            f"  {line.name.ljust(width)}  {line.ending or 'not finished'}; {_n(line.choices, 'choice')} in "
            f"{_time(line.minutes * 60)}" + (f"; as {line.persona}" if line.persona else "")
        )
    out += ["", "Transcripts: write the report with -o report.html (or .md) to have them all."]
    return "\n".join(out) + "\n"


# -- Markdown --------------------------------------------------------------------------------
def _md(text: str) -> str:
    return (
        html.escape(" ".join(text.split()), quote=False)
        .replace("|", "\\|")
        .replace("*", "\\*")
        .replace("_", "\\_")
    )


def to_markdown(report: Report) -> str:
    out = [
        f"# Class {_md(report.class_name)}: the debrief",
        "",
        f"{_n(report.students, 'student')}, {_n(report.journeys, 'journey')} ({report.finished} finished). "
        f"Recorded since {report.created:%Y-%m-%d %H:%M}. The class record is `{report.database}`, on this "
        "computer; nothing was sent anywhere.",
    ]
    for part in report.parts:
        out += ["", f"## {_md(part.title)}", "", "### Endings", "", "| Ending | Journeys |", "| --- | ---: |"]
        out += [f"| {_md(b.label)}{f' ({b.note})' if b.note else ''} | {b.count} |" for b in part.endings]
        out += ["", "### What the class chose"]
        for d in part.decisions:
            out += [
                "",
                f"**{_md(d.where)}**: {_md(d.prompt)} ({_n(d.total, 'choice')}, median "
                f"{_time(d.median_seconds)} to decide)",
                "",
                "| Choice | Share | Students |",
                "| --- | ---: | ---: |",
            ]
            out += [f"| {_md(b.label)} | {_share(b.count, d.total)} | {b.count} |" for b in d.bars]
    out += [
        "",
        "## Students",
        "",
        "| Student | Ending | Choices | Time | Transcript |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for line in report.lines:
        out.append(
            f"| {_md(line.name)} | {_md(line.ending) or 'not finished'} | {line.choices} | "
            f"{_time(line.minutes * 60)} | [read](#{line.anchor}) |"
        )
    out += ["", "## Transcripts"]
    for line in report.lines:
        out += ["", f'<a id="{line.anchor}"></a>', "", f"### {_md(line.name)}: {_md(line.scenario)}", ""]
        out += [_demote(line.transcript)]
    return "\n".join(out).rstrip() + "\n"


def _demote(markdown: str) -> str:
    """A transcript's headings, three levels down, under the report's own."""
    return "\n".join("###" + line if line.startswith("#") else line for line in markdown.splitlines())


# -- CSV: one row per choice, for a spreadsheet ------------------------------------------------
def to_csv(report: Report, db: sqlite3.Connection) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "class",
            "student",
            "journey",
            "scenario",
            "persona",
            "step",
            "scene",
            "choice",
            "choice_text",
            "seconds",
            "ending",
            "finished",
        ]
    )
    class_id = record.class_id(db, report.class_name)
    assert class_id is not None
    for n, row in enumerate(record.journeys(db, class_id), 1):
        base = [report.class_name, row.student, n, row.scenario_id, row.persona]
        for c in row.choices:
            writer.writerow(
                [
                    *map(_cell, base),
                    c.step + 1,
                    c.scene,
                    c.choice + 1,
                    _cell(c.label),
                    f"{c.seconds:.1f}",
                    row.ending or "",
                    "yes" if row.ending else "no",
                ]
            )
    return buffer.getvalue()


def _cell(value: object) -> object:
    """A spreadsheet must not take a name for a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# -- HTML, with inline SVG charts ------------------------------------------------------------
def _e(text: str) -> str:
    return html.escape(text, quote=True)


def svg_bars(bars: list[Bar] | tuple[Bar, ...], total: int | None = None, title: str = "") -> str:
    """Horizontal bars with their labels and counts written out (colour is never
    the only signal); `total` shows shares."""
    row, label_w, bar_w = 28, 320, 300
    most = max((b.count for b in bars), default=0) or 1
    height = row * len(bars) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {label_w + bar_w + 110} {height}" '
        f'width="{label_w + bar_w + 110}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_e(title)}</title>",
    ]
    for i, b in enumerate(bars):
        y = 4 + i * row
        width = round(bar_w * b.count / (total or most)) if (total or most) else 0
        label = b.label if len(b.label) <= 44 else b.label[:43] + "…"
        value = f"{b.count}" + (f" ({_share(b.count, total)})" if total else "")
        parts += [
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end">{_e(label)}</text>',
            f'<rect x="{label_w}" y="{y + 4}" width="{max(width, 1)}" height="{row - 10}" rx="3"/>',
            f'<text x="{label_w + width + 6}" y="{y + 18}">{_e(value)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
  line-height: 1.5; color: #1b1b1b; }
h1, h2, h3 { line-height: 1.2; }
.chart { max-width: 100%; height: auto; font-size: 14px; }
.chart text { fill: #1b1b1b; }
.chart rect { fill: #2a6f97; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: .3rem .8rem; text-align: left; }
td.n { text-align: right; }
pre.transcript { white-space: pre-wrap; background: #f5f5f2; padding: 1rem; border-radius: 6px; }
.where { color: #555; }
@media print { section.transcript { break-before: page; } }
"""


def to_html(report: Report) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Class {_e(report.class_name)}: the debrief</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Class {_e(report.class_name)}: the debrief</h1>",
        f"<p>{_n(report.students, 'student')}, {_n(report.journeys, 'journey')} "
        f"({report.finished} finished). Recorded since {report.created:%Y-%m-%d %H:%M}.</p>",
        f'<p class="where">The class record is <code>{_e(str(report.database))}</code>, on this computer; '
        "nothing in this page was sent anywhere, and it loads nothing.</p>",
    ]
    for part in report.parts:
        out += [
            f"<h2>{_e(part.title)}</h2>",
            "<h3>Endings</h3>",
            svg_bars(
                [Bar(b.label + (f" ({b.note})" if b.note else ""), b.count) for b in part.endings],
                title=f"Endings of {part.title}",
            ),
            "<h3>What the class chose</h3>",
        ]
        for d in part.decisions:
            out += [
                f'<h4>{_e(d.where)}<span class="where">: {_e(d.prompt)}</span></h4>',
                f"<p>{_n(d.total, 'choice')}; median {_time(d.median_seconds)} to decide.</p>",
                svg_bars(d.bars, total=d.total, title=f"Choices at {d.where}: {d.prompt}"),
            ]
    out += [
        "<h2>Students</h2>",
        "<table><thead><tr><th>Student</th><th>Scenario</th><th>Persona</th><th>Ending</th>"
        "<th>Choices</th><th>Time</th><th>Transcript</th></tr></thead><tbody>",
    ]
    for line in report.lines:
        out.append(
            f"<tr><td>{_e(line.name)}</td><td>{_e(line.scenario)}</td><td>{_e(line.persona)}</td>"
            f"<td>{_e(line.ending) or '<em>not finished</em>'}</td><td class=n>{line.choices}</td>"
            f'<td class=n>{_time(line.minutes * 60)}</td><td><a href="#{line.anchor}">read</a></td></tr>'
        )
    out.append("</tbody></table>")
    out.append("<h2>Transcripts</h2>")
    for line in report.lines:
        out += [
            f'<section class="transcript" id="{line.anchor}">',
            f"<h3>{_e(line.name)}: {_e(line.scenario)}</h3>",
            f'<pre class="transcript">{_e(line.transcript)}</pre>',
            "</section>",
        ]
    out.append("</body></html>")
    return "\n".join(out) + "\n"
