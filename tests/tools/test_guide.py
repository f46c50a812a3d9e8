"""`journey guide`: a teacher's guide with everything a teacher needs, in
Markdown or as a self-contained HTML page where scenario text never becomes
markup."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from journey.scenario import load
from journey.scenario.links import link_targets
from journey.tools.guide import md_plain, render, web_url

ROOT = Path(__file__).resolve().parents[2]
WINTER = ROOT / "tests" / "fixtures" / "winter-pass.yaml"

HOSTILE = r"""
format: 1
id: hostile
title: "<script>alert('t')</script> # Not a heading"
summary: "A **bold** claim with <img src=x onerror=alert(1)> and [a](javascript:alert(2))"
audience: "<b>everyone</b>"
content_notes: ["<iframe>", "&amp; & &lt;"]
language: 'en"><script>'
sources:
  bad:
    title: "</li><li>Injected"
    url: "javascript:alert(3)"
  good:
    title: Good source
    url: "https://example.org/a?b=1&c=<2>"
  fine:
    title: Fine source
    url: https://example.org/fine
glossary:
  "<term>": "a <definition>"
route:
  - id: one
    title: "Stage </h2><h1>"
    place: "*emphasis* and _under_"
    discussion: ["Why <u>this</u>?"]
endings:
  out:
    title: "Out <!--"
    kind: hard
    debrief: "-->\n\nSecond paragraph with *emphasis* and [a link][x].\n\n[x]: javascript:alert(4)"
start: a
scenes:
  a:
    stage: one
    text: "Start <a href=x>link</a>."
    facts:
      - title: "Fact <em>"
        text: "Text \" ' ` \\"
        source: bad
      - title: Second fact
        text: Plain.
        source: good
      - title: Third fact
        text: Plain.
        source: fine
    choices:
      - text: Go
        goto: b
  b:
    stage: one
    ending: out
"""

ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "h1",
    "h2",
    "h3",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "code",
    "a",
    "figure",
    "h4",
}
VOID = {"meta"}
SVG_TAGS = {"svg", "title", "defs", "marker", "path", "style", "rect", "text", "line", "g"}
SVG_ATTRIBUTES = {
    "class",
    "xmlns",
    "role",
    "viewbox",
    "width",
    "height",
    "id",
    "refx",
    "refy",
    "markerwidth",
    "markerheight",
    "orient",
    "d",
    "x",
    "y",
    "rx",
    "x1",
    "y1",
    "x2",
    "y2",
    "marker-end",
    "text-anchor",
}


class Checker(HTMLParser):
    """Checks that every tag is allowed and properly nested; collects text and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if "svg" in self.stack or tag == "svg":  # the graph: drawing only, no links, scripts or loads
            if tag not in SVG_TAGS or any(name not in SVG_ATTRIBUTES for name, _ in attrs):
                self.problems.append(f"in the graph: <{tag}> {attrs}")
            if any("url(" in (value or "") and value != "url(#arrow)" for _, value in attrs):
                self.problems.append(f"in the graph: a url in <{tag}>")
            self.stack.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        elif tag not in ("html", "meta") and attrs:
            self.problems.append(f"attributes on <{tag}>: {attrs}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"misnested </{tag}>")

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] != "style" and "svg" not in self.stack:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.problems.append("a comment")


def check_html(page: str) -> Checker:
    checker = Checker()
    checker.feed(page)
    checker.close()
    assert not checker.problems, checker.problems
    assert checker.stack == []
    return checker


@pytest.fixture
def hostile(write: Callable[..., Path]) -> Path:
    path = write(HOSTILE, "hostile.yaml")
    loaded = load(path)
    assert loaded.ok, [d.format() for d in loaded.diagnostics.items]
    return path


def test_markdown_guide_has_everything_a_teacher_needs(cli: Callable) -> None:
    result = cli("guide", str(WINTER))
    assert result.code == 0, result.err
    out = result.out
    for expected in [
        "# The Winter Pass\n",
        "Cross a mountain pass in winter",
        "**Audience:** ages 12 and up",
        "## Content notes",
        "- cold injury",
        "- getting lost",
        "- **Ana**: A student on her first winter crossing",
        "## The lesson (45 minutes)",
        "- **0–5 min**: Introduce the journey",
        "- **40–45 min**: Close",
        "### Assigning personas",
        "(1 for Ana, 2 for Tomas)",
        "### Safeguarding",
        "This journey includes: cold injury; getting lost.",
        "### Discussion questions\n\n1. **The village:** What would you check before leaving",
        "## The route",
        "```text\nThe Winter Pass: 8 scenes in 3 stages, 3 endings",
        "## Reference: the scenes and the fact library",
        "### Stage 1: The village",
        "**Place:** Valley floor, 900 m",
        "#### village-square *(the start)*",
        "#### bulletin\n\nDanger level 3 of 5: *considerable*.",
        # every choice, with its condition and where it leads
        "1. Buy a map at the kiosk (15 EUR) → village-square (only if `money >= 15 and not has_map`; once)",
        "2. Read the [avalanche bulletin] pinned to the door → bulletin (once)",
        "→ by chance: saddle (weight 3), lost (weight 1 + risk)",
        "- **Tell someone your route**: Rescue teams find people fastest",
        "*(source: Winter Mountain Safety Handbook, Example Mountain Rescue Association, 2021)*",
        "## Glossary",
        "- **hypothermia**: A fall in body temperature",
        "## Endings",
        "### Carried down by the rescue team (hard)",
        "Volunteer rescue teams answer thousands of calls each winter.",
        "*Reached at: rescue.*",
        "## Sources",
        "- **Winter Mountain Safety Handbook**. Example Mountain Rescue Association, 2021. "
        "<https://example.org/winter-safety>",
        "- **Avalanche bulletins explained**. Example Weather Service, 2023.",
    ]:
        assert expected in out, expected
    stages = [out.index(f"### Stage {i}:") for i in (1, 2, 3)]
    assert stages == sorted(stages)
    assert out.index("#### rescue") > stages[1]  # a scene is listed under its own stage
    lesson, reference = out.index("## The lesson"), out.index("## Reference")
    assert lesson < out.index("### Safeguarding") < out.index("## The route") < reference
    assert "⟨name⟩ has ⟨money⟩ EUR" in out  # placeholders shown, not filled


def test_html_guide_is_a_self_contained_page(cli: Callable, tmp_path: Path) -> None:
    out = tmp_path / "guide.html"
    result = cli("guide", str(WINTER), "-o", str(out))
    assert result.code == 0 and result.out == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<style>" in page and "<link" not in page and "src=" not in page
    checker = check_html(page)
    assert checker.links == ["https://example.org/winter-safety"]
    text = "".join(checker.text)
    assert "Warm at the refuge (safe)" in text
    assert "Danger level 3 of 5: considerable." in text
    assert "<em>considerable</em>" in page


def test_html_of_hostile_text_is_only_text(hostile: Path, cli: Callable, tmp_path: Path) -> None:
    out = tmp_path / "guide.htm"
    assert cli("guide", str(hostile), "-o", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    checker = check_html(page)
    text = "".join(checker.text)
    assert "<script>alert('t')</script> # Not a heading" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "</li><li>Injected" in text and "Stage </h2><h1>" in text
    assert "Out <!--" in text and "-->" in text
    assert checker.links == ["https://example.org/fine"]  # no javascript:, no odd characters
    assert '<html lang="en">' in page
    assert "<strong>bold</strong>" in page and "<em>emphasis</em>" in page
    assert page.count("<p>Second paragraph") == 1


def test_markdown_of_hostile_text_holds_no_html(hostile: Path, cli: Callable) -> None:
    out = cli("guide", str(hostile)).out
    # the graph is a fenced code block, whose text a viewer shows as it is, never as HTML
    fence = re.search(r"^(`{3,})text\n.*?^\1$", out, re.M | re.S)
    assert fence is not None and "<script>" in fence.group(0)
    prose = out[: fence.start()] + out[fence.end() :]
    tags = re.findall(r"(?<!\\)<(?!https://example\.org/fine>)[A-Za-z/!?][^>]*>?", prose)
    assert tags == []  # no raw HTML: only escaped `\<` or `&lt;`, and the one autolink
    assert "# \\<script\\>alert('t')\\</script\\> \\# Not a heading" in out
    assert "javascript:alert(3)" in out and "<javascript:" not in out
    assert "<https://example.org/fine>" in out
    assert "- &amp;amp; & &amp;lt;\n" in out  # entities show as written
    assert "\\[a\\](javascript:alert(2))" in out
    assert "\n\\[x\\]: javascript:alert(4)" in out
    assert link_targets(out) == ["https://example.org/fine"]  # as a CommonMark viewer reads it


def test_markdown_and_html_from_one_build(cli: Callable, tmp_path: Path) -> None:
    scenario = load(WINTER).scenario
    assert scenario is not None
    md = tmp_path / "guide.md"
    cli("guide", str(WINTER), "-o", str(md))
    assert md.read_text(encoding="utf-8") == render(scenario) == cli("guide", str(WINTER)).out


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.org/x", True),
        ("http://a.b", True),
        ("javascript:alert(1)", False),
        ("https://", False),
        ("ftp://example.org", False),
        ("https://a.b/<x>", False),
        ("data:text/html,x", False),
        ("https://a.b/ x", False),
    ],
)
def test_only_web_addresses_become_links(url: str, ok: bool) -> None:
    assert web_url(url) is ok


def test_markdown_escaping_of_plain_text() -> None:
    assert md_plain("a*b_c [d] <e> #f |g `h` \\") == "a\\*b\\_c \\[d\\] \\<e\\> \\#f \\|g \\`h\\` \\\\"


def test_every_built_in_scenario_gets_a_guide(cli: Callable) -> None:
    from journey.resources import builtin_scenarios

    for name, path in builtin_scenarios().items():
        if not load(path).ok:
            continue  # test_builtin_scenario reports it
        result = cli("guide", f"builtin:{name}")
        assert result.code == 0 and result.out.startswith("# "), name


def test_errors(cli: Callable, tmp_path: Path, write: Callable[..., Path]) -> None:
    assert cli("guide", str(tmp_path / "none.yaml")).code == 2
    broken = cli("guide", str(write("format: 1\nid: x\n", "b.yaml")))
    assert broken.code == 1 and re.search(r"b\.yaml:1:1: error\[E111\]", broken.err)
    unwritable = cli("guide", str(WINTER), "-o", str(tmp_path))
    assert unwritable.code == 2 and "is a folder" in unwritable.err


def test_never_writes_over_the_scenario(cli: Callable, write: Callable[..., Path]) -> None:
    main = write(
        WINTER.read_text(encoding="utf-8").replace("scenes:\n", "include: [more.yaml]\nscenes:\n", 1),
        "main.yaml",
    )
    more = write("scenes:\n  extra: {stage: village, ending: safe}\n", "more.yaml")
    before = main.read_text(encoding="utf-8"), more.read_text(encoding="utf-8")
    for target in (main, more, main.parent / "." / main.name):
        for command in (["guide"], ["graph", "--format", "dot"]):
            result = cli(*command, str(main), "-o", str(target))
            assert result.code == 2 and "is the scenario itself" in result.err, result.err
    assert (main.read_text(encoding="utf-8"), more.read_text(encoding="utf-8")) == before


def test_a_format_1_1_lesson_exercises_and_variations(cli: Callable, write: Callable[..., Path]) -> None:
    """Format 1.1's `lesson:` plan with its timings, each stage's exercise with
    the teacher's answer notes, and text variations shown in full."""
    text = WINTER.read_text(encoding="utf-8")
    text = text.replace(
        "format: 1\n",
        "format: 1.1\nlesson:\n  minutes: 40\n  plan:\n"
        "    - {minutes: 10, do: Read the *bulletin* together.}\n"
        "    - {minutes: 30, do: Play.}\n    - {do: Collect the maps.}\n"
        "  safeguarding: Talk to the class first.\n  before: Print the map.\n",
        1,
    )
    text = text.replace(
        "    title: The village\n",
        "    title: The village\n"
        "    exercise: Mark the route on the map.\n"
        "    answers: The marked path avoids the gullies.\n",
        1,
    )
    text = text.replace(
        "    text: |\n      The bus leaves you in the square at dawn.",
        "    text:\n    - seq: [First light., Second light.]\n"
        "    - |\n      The bus leaves you in the square at dawn.",
        1,
    )
    path = write(text, "lesson.yaml")
    loaded = load(path)
    assert loaded.scenario is not None, [d.format() for d in loaded.diagnostics.items]
    out = cli("guide", str(path)).out
    assert "## The lesson (40 minutes)" in out
    assert "### Before the lesson\n\nPrint the map." in out
    assert (
        "- **0–10 min**: Read the *bulletin* together.\n- **10–40 min**: Play.\n- **Then**: Collect the maps."
        in out
    )
    assert "Talk to the class first." in out
    assert "**Exercise:** Mark the route on the map." in out
    assert "**Answer notes (for the teacher):** The marked path avoids the gullies." in out
    assert "*By visit, in turn (the last from then on):*\n\n- First light.\n- Second light." in out
    assert "no lesson plan" not in out
