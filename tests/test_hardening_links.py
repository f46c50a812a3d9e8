"""Links in Markdown outputs (issue 13): guides and transcripts link only to
http(s) and mailto addresses, however a scenario spells a link; bad addresses
are warned about (W230) where the scenario is loaded."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journey import saves
from journey.engine import Engine
from journey.scenario import load
from journey.scenario.links import allowed_url, link_targets, safe_markdown
from journey.transcript import transcript

HOSTILE = Path(__file__).parent / "regressions" / "hostile-links.yaml"
SAFE = {"https://example.org/fine", "https://example.org/ok", "mailto:teacher@example.org"}


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.org/x", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("mailto:a@b.org", True),
        ("mailto:", False),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,x", False),
        ("file:///etc/passwd", False),
        ("example.org", False),
        ("//example.org", False),
        ("https://example.org/<script>", False),
        ("https://example.org/\\x", False),
        ("https://", False),
    ],
)
def test_allowed_urls(url: str, ok: bool) -> None:
    assert allowed_url(url) is ok


@pytest.mark.parametrize(
    "text",
    [
        "[a](javascript\\:alert(1))",  # a backslash escape
        "[a][x\\]]\n\n[x\\]]: javascript:alert(1)",  # a label with an escaped bracket
        "[a][x]\n\n> [x]: javascript:alert(1)",  # a definition inside a quote
        "[a](JaVaScRiPt:alert(1))",
        "[a](java&#115;cript:alert(1))",
        "![i](data:text/html,x)",
        "[a](<javascript:alert(1)>)",
        "<javascript:alert(1)>",
        "[a](page.html)",
    ],
)
def test_safe_markdown_leaves_no_bad_link(text: str) -> None:
    assert link_targets(text)  # the viewer would have made a link of it
    assert link_targets(safe_markdown(text)) == []


def test_safe_markdown_keeps_good_links_and_plain_text() -> None:
    for text in ("[ok](https://example.org) and [m](mailto:a@b.org)", "Just [brackets] here", "a < b"):
        assert safe_markdown(text) == text


@given(st.text(alphabet="[]()<>:\\!&#;/ ajvsciptrx\n>-", max_size=60))
def test_no_text_yields_a_link_that_is_not_allowed(text: str) -> None:
    assert all(allowed_url(t) for t in link_targets(safe_markdown(text)))


def test_loading_warns_about_every_bad_link() -> None:
    loaded = load(HOSTILE)
    assert loaded.scenario is not None  # warnings: still playable
    found = [d for d in loaded.diagnostics.items if d.code == "W230"]
    assert len(found) == 9
    assert all(d.mark.line > 0 for d in found)


def test_the_guide_links_only_to_allowed_addresses(cli: Callable, tmp_path: Path) -> None:
    md = cli("guide", str(HOSTILE)).out
    # a text holding a bad link loses all its links (here the scene's `ok` one)
    assert set(link_targets(md)) == SAFE - {"https://example.org/ok"}
    assert "<script>" not in md
    cli("guide", str(HOSTILE), "-o", str(tmp_path / "g.html"))
    page = (tmp_path / "g.html").read_text("utf-8")
    assert "javascript:" not in page.replace("javascript:alert", "")  # shown only as text
    assert 'href="javascript' not in page.lower() and "<script>" not in page


def _finished(scenario_path: Path) -> tuple[Engine, object]:
    scenario = load(scenario_path).scenario
    assert scenario is not None
    engine = Engine(scenario)
    state = engine.choose(engine.start(None, 1), 0).state
    return engine, state


def test_the_transcript_links_only_to_allowed_addresses() -> None:
    engine, state = _finished(HOSTILE)
    md = transcript(engine, state)  # type: ignore[arg-type]
    assert set(link_targets(md)) <= SAFE and "https://example.org/fine" in link_targets(md)
    assert "<script>" not in md and "javascript:alert(2)" in md  # as text


def test_journey_transcript_command_too(cli: Callable) -> None:
    assert cli("play", "--plain", str(HOSTILE), stdin="\n1\n\n").code == 0
    (save,) = saves.saves_dir().glob("*.json")
    assert json.loads(save.read_text("utf-8"))["state"]["scenario"] == "links"
    md = cli("transcript", str(save)).out
    assert set(link_targets(md)) <= SAFE and "<script>" not in md
