"""`journey guide`: a teacher's guide to a scenario, in Markdown or HTML.

The guide is built once as a list of blocks (headings, paragraphs, lists) of
spans that say what each piece of text is: plain text from the scenario (a
title, an id), the author's Markdown (summaries, facts, debriefs), a link. Each
output format then escapes each kind of span in its own way, so scenario text
can never become markup: in HTML nothing the author wrote becomes a tag, and a
link is made only of an http(s) or mailto address.
"""

from __future__ import annotations

import argparse
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import resources
from ..scenario.links import allowed_url, safe_markdown
from ..scenario.model import Fact, Scenario, Scene, Source, Text
from .plumbing import emit, guarded, load_scenario

SHORT_SCENE = 200  # characters of a scene's text in the guide


@dataclass(frozen=True)
class Span:
    kind: str  # "plain", "strong", "em", "code", "md" (the author's Markdown) or "url"
    text: str


Line = tuple[Span, ...]


@dataclass(frozen=True)
class Block:
    kind: str  # "h1".."h4", "p" (a paragraph), "ul" or "ol" (a list), "figure" (the graph)
    lines: tuple[Line, ...]


def plain(text: str) -> Span:
    return Span("plain", text)


def strong(text: str) -> Span:
    return Span("strong", text)


def md(text: str) -> Span:
    return Span("md", text)


def heading(level: int, *spans: Span) -> Block:
    return Block(f"h{level}", (spans,))


def para(*spans: Span) -> Block:
    return Block("p", (spans,))


def items(kind: str, lines: Iterable[Line]) -> list[Block]:
    """A list block, or nothing when there are no lines."""
    found = tuple(lines)
    return [Block(kind, found)] if found else []


# -- what the guide says -------------------------------------------------------------


def build(scenario: Scenario) -> list[Block]:
    """The lesson first (plan, personas, safeguarding, exercises, questions),
    then the route and its graph, then the reference: every scene in full, the
    fact cards, endings, glossary and sources."""
    from .lesson import lesson  # it builds on this module's blocks

    return [
        *_front(scenario),
        *lesson(scenario),
        *_route(scenario),
        heading(2, plain("Reference: the scenes and the fact library")),
        *(b for sid in scenario.route for b in _stage(scenario, sid)),
        *_endings(scenario),
        *_glossary(scenario),
        *_sources(scenario),
        *_footer(scenario),
    ]


def _front(scenario: Scenario) -> list[Block]:
    blocks = [
        heading(1, plain(scenario.title)),
        para(Span("em", "A teacher's guide to this journey scenario")),
    ]
    if scenario.summary:
        blocks.append(para(md(scenario.summary)))
    facts = [
        (strong("Audience:"), plain(" " + scenario.audience)) if scenario.audience else (),
        (strong("Language:"), plain(f" {scenario.language}")),
        (strong("Written by:"), plain(" " + ", ".join(scenario.authors))) if scenario.authors else (),
        (
            strong("Length:"),
            plain(
                f" {_n(len(scenario.route), 'stage')}, "
                f"{_n(len(scenario.scenes), 'scene')}, "
                f"{_n(len(scenario.endings), 'ending')}"
            ),
        ),
    ]
    blocks += items("ul", (line for line in facts if line))
    blocks.append(heading(2, plain("Content notes")))
    if scenario.content_notes:
        blocks.append(para(plain("Players see these notes before the journey starts, and can back out:")))
        blocks += items("ul", ((md(note),) for note in scenario.content_notes))
    else:
        blocks.append(para(plain("The scenario gives no content notes.")))
    return blocks


def _personas(scenario: Scenario) -> list[Block]:
    if not scenario.personas:
        return []
    return [
        heading(2, plain("Who the player can be")),
        *items(
            "ul",
            (
                (strong(p.name), *((plain(": "), md(p.about)) if p.about else ()))
                for p in scenario.personas.values()
            ),
        ),
    ]


def _route(scenario: Scenario) -> list[Block]:
    from .graph import render_text
    from .graph_svg import render_svg

    return [
        heading(2, plain("The route")),
        *items(
            "ol",
            (
                (strong(stage.title), *((plain(f" ({stage.place})"),) if stage.place else ()))
                for stage in scenario.route.values()
            ),
        ),
        Block("figure", ((Span("svg", render_svg(scenario)),), (Span("pre", render_text(scenario)),))),
    ]


def _stage(scenario: Scenario, sid: str) -> list[Block]:
    from .lesson import scene_blocks

    stage = scenario.route[sid]
    number = list(scenario.route).index(sid) + 1
    scenes = [s for s in scenario.scenes.values() if s.stage == sid]
    blocks = [heading(3, plain(f"Stage {number}: {stage.title}"))]
    if stage.place:
        blocks.append(para(strong("Place:"), plain(" " + stage.place)))
    if not scenes:
        blocks.append(para(plain("No scenes in this stage.")))
    for scene in scenes:
        blocks += scene_blocks(scenario, scene, _placeholders_shown)
    facts = _facts(scenes)
    if facts:
        blocks.append(heading(4, plain(f"Fact cards of stage {number}")))
        blocks += items("ul", (_fact_line(scenario, f) for f in facts))
    return blocks


def _scene_line(scenario: Scenario, scene: Scene) -> Line:
    text = short_text(scene)
    line: list[Span] = [strong(scene.id)]
    if text:
        line += [plain(": "), md(text)]
    if scene.ending:
        ending = scenario.endings[scene.ending]
        line.append(Span("em", f" (ends the journey: {ending.title}, {ending.kind})"))
    return tuple(line)


def short_text(scene: Scene) -> str:
    """The start of a scene's text, with `{placeholders}` shown as ⟨name⟩."""
    parts = [p for p in scene.text if p.cond is None] or list(scene.text)
    if not parts:
        return ""
    flat = " ".join(_placeholders_shown(parts[0].text).split())
    if len(flat) <= SHORT_SCENE:
        return flat
    cut = flat[:SHORT_SCENE].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def _placeholders_shown(text: Text) -> str:
    return "".join(s if isinstance(s, str) else f"⟨{s[1] or s[0]}⟩" for s in text.segments)


def _facts(scenes: list[Scene]) -> list[Fact]:
    seen: dict[tuple[str, str], Fact] = {}
    for scene in scenes:
        for fact in scene.facts:
            seen.setdefault((fact.title, fact.source), fact)
    return list(seen.values())


def _fact_line(scenario: Scenario, fact: Fact) -> Line:
    source = scenario.sources.get(fact.source)
    cite = (Span("em", f" (source: {source.cite()})"),) if source else ()
    return (strong(fact.title), plain(": "), md(fact.text), *cite)


def _endings(scenario: Scenario) -> list[Block]:
    blocks = [
        heading(2, plain("Endings")),
        para(
            plain(
                "Each ending has a kind (safe, hard or open) and a debrief that "
                "players read when they reach it."
            )
        ),
    ]
    for eid, ending in scenario.endings.items():
        scenes = [s.id for s in scenario.scenes.values() if s.ending == eid]
        blocks.append(heading(3, plain(f"{ending.title} ({ending.kind})")))
        if ending.debrief:
            blocks.append(para(md(ending.debrief)))
        where = ", ".join(scenes) if scenes else "no scene (it cannot be reached)"
        blocks.append(para(Span("em", f"Reached at: {where}.")))
    return blocks


def _glossary(scenario: Scenario) -> list[Block]:
    if not scenario.glossary:
        return []
    return [
        heading(2, plain("Glossary")),
        *items(
            "ul",
            (
                (strong(term), plain(": "), md(text))
                for term, text in sorted(scenario.glossary.items(), key=lambda kv: kv[0].lower())
            ),
        ),
    ]


def _sources(scenario: Scenario) -> list[Block]:
    if not scenario.sources:
        return []
    return [heading(2, plain("Sources")), *items("ul", (_source_line(s) for s in scenario.sources.values()))]


def _source_line(source: Source) -> Line:
    line = [strong(source.title)]
    rest = [p for p in (source.publisher, str(source.year) if source.year is not None else "") if p]
    if rest:
        line.append(plain(". " + ", ".join(rest)))
    line.append(plain("."))
    if source.url:
        line += [plain(" "), Span("url", source.url)]
    return tuple(line)


def play_command(scenario: Scenario) -> str:
    """A command that plays the scenario from any folder: a built-in by name
    (`journey` alone for the default one), else its file."""
    for name, main in resources.builtin_scenarios().items():
        if scenario.path and Path(scenario.path).resolve() == main.resolve():
            return "journey" if name == resources.DEFAULT else f"journey play builtin:{name}"
    return f"journey play {Path(scenario.path).name}"


def _footer(scenario: Scenario) -> list[Block]:
    name = Path(scenario.path).name
    return [
        para(
            plain("Made with "),
            Span("code", "journey guide"),
            plain(f" from {name} (scenario {scenario.id}, format {scenario.format}). Play it with "),
            Span("code", play_command(scenario)),
            plain("."),
        )
    ]


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def web_url(url: str) -> bool:
    """True for an http(s) or mailto address that is safe to make a link of."""
    return allowed_url(url)


# -- Markdown -----------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")  # an & that would start an HTML entity


def md_plain(text: str) -> str:
    """Plain text in Markdown: characters Markdown would read as syntax escaped."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def md_author(text: str) -> str:
    """The author's Markdown, as written, except that it cannot hold raw HTML
    nor any link but to an http(s) or mailto address (see scenario.links)."""
    return safe_markdown(_ENTITY.sub("&amp;", text.strip()).replace("<", "&lt;"))


def _md_span(span: Span) -> str:
    if span.kind == "md":
        return md_author(span.text)
    if span.kind == "url":
        return f"<{span.text}>" if web_url(span.text) else md_plain(span.text)
    marks = {"strong": "**", "em": "*", "code": "`"}.get(span.kind, "")
    if span.kind == "code" and "`" in span.text:
        marks = ""
    text = md_plain(span.text) if span.kind != "code" else re.sub(r"\s+", " ", span.text)
    if not marks or not text.strip():
        return text
    # Markdown ignores `* text*`: the spaces go outside the marks.
    core = text.strip()
    before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{before}{marks}{core}{marks}{after}"


def _md_line(line: Line, one_line: bool = True) -> str:
    text = "".join(_md_span(s) for s in line)
    return " ".join(text.split()) if one_line else text


def to_markdown(blocks: list[Block]) -> str:
    out = []
    for block in blocks:
        if block.kind.startswith("h"):
            out.append("#" * int(block.kind[1]) + " " + _md_line(block.lines[0]))
        elif block.kind == "p":
            out.append(_md_line(block.lines[0], one_line=False))
        elif block.kind == "figure":  # Markdown gets the graph as text
            text = block.lines[1][0].text
            fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", text)), default=0))
            out.append(f"{fence}text\n{text.rstrip()}\n{fence}")
        else:
            out.append(
                "\n".join(
                    (f"{i}. " if block.kind == "ol" else "- ") + _md_line(line)
                    for i, line in enumerate(block.lines, 1)
                )
            )
    return "\n\n".join(out) + "\n"


# -- HTML ----------------------------------------------------------------------------

_EMPHASIS = (
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"<em>\1</em>"),
)

CSS = """\
body { font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b;
       background: #fff; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 2rem; margin-bottom: .2rem; line-height: 1.2; }
h2 { margin-top: 2.4rem; padding-bottom: .2rem; border-bottom: 2px solid #d8d8d8; }
h3 { margin-top: 1.6rem; }
h4 { margin: 1.2rem 0 .4rem; }
li { margin: .35rem 0; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
em { color: #3d3d3d; }
a { color: #0b57a4; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; }
}
"""


def html_author(text: str) -> str:
    """The author's Markdown as HTML: escaped, with **strong** and *emphasis*."""
    out = html.escape(text.strip(), quote=False)
    for pattern, repl in _EMPHASIS:
        out = pattern.sub(repl, out)
    return out


def _html_span(span: Span) -> str:
    if span.kind == "md":
        return html_author(span.text)
    text = html.escape(span.text, quote=False)
    if span.kind == "url" and web_url(span.text):
        return f'<a href="{html.escape(span.text, quote=True)}">{text}</a>'
    if span.kind in ("strong", "em", "code"):
        return f"<{span.kind}>{text}</{span.kind}>"
    return text


def _html_line(line: Line) -> str:
    return "".join(_html_span(s) for s in line)


def _html_block(block: Block) -> str:
    if block.kind == "figure":  # our own SVG, every label in it escaped
        return f"<figure>\n{block.lines[0][0].text}\n</figure>"
    if block.kind == "p":
        paragraphs = re.split(r"\n\s*\n", _html_line(block.lines[0]).strip())
        return "\n".join(f"<p>{p}</p>" for p in paragraphs if p.strip())
    if block.kind.startswith("h"):
        return f"<{block.kind}>{_html_line(block.lines[0])}</{block.kind}>"
    rows = "\n".join(f"  <li>{_html_line(line)}</li>" for line in block.lines)
    return f"<{block.kind}>\n{rows}\n</{block.kind}>"


def to_html(blocks: list[Block], title: str, language: str) -> str:
    lang = language if re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", language) else "en"
    body = "\n".join(_html_block(b) for b in blocks)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n"
        f"<title>{html.escape(title)}: a teacher's guide</title>\n"
        f"<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def render(scenario: Scenario, fmt: str = "markdown") -> str:
    blocks = build(scenario)
    if fmt == "html":
        return to_html(blocks, scenario.title, scenario.language)
    return to_markdown(blocks)


def run(args: argparse.Namespace) -> int:
    def body() -> int:
        scenario = load_scenario(args.scenario)
        is_html = bool(args.output) and args.output.lower().endswith((".html", ".htm"))
        text = render(scenario, "html" if is_html else "markdown")
        return emit(text, args.output, "guide", "the teacher's guide", keep=scenario.files)

    return guarded("guide", body)
