"""`journey graph`: scenes by stage, endings with their kind, conditions and
roll weights on the edges; labels escaped so that scenario text can never
change the structure of a Mermaid or DOT graph."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from journey.scenario import load
from journey.tools.graph import dot_string, edges, mermaid_label, render

ROOT = Path(__file__).resolve().parents[2]
WINTER = ROOT / "tests" / "fixtures" / "winter-pass.yaml"

# Scenario text that tries to break out of a label in every format.
HOSTILE = r"""
format: 1
id: hostile
title: "Title\" ]; } digraph x { <script>alert(1)</script> %%{init: {}}%% \\N `md`"
route:
  - id: one
    title: 'Stage "1"] end subgraph |x| #quot; & \G'
    place: "<b>bold</b>"
endings:
  out:
    title: 'Out"]) --> s0 %% comment'
    kind: safe
start: 'a"b]'
variables:
  n: {start: 1}
personas:
  - id: 'x"]'
    name: "<i>X</i>"
scenes:
  'a"b]':
    stage: one
    text: Start.
    choices:
      - text: 'Go "on" | now'
        if: n >= 1 and n < 5 and persona != "x\"]"
        goto: "c{d}|e"
      - text: Chance
        roll:
          - weight: n * 2
            goto: "c{d}|e"
          - weight: 1
            goto: "end"
  "c{d}|e":
    stage: one
    ending: out
  "end":
    stage: one
    text: The end.
    ending: out
"""


@pytest.fixture
def hostile(write: Callable[..., Path]) -> Path:
    path = write(HOSTILE, "hostile.yaml")
    loaded = load(path)
    assert loaded.ok, [d.format() for d in loaded.diagnostics.items]
    return path


def winter() -> object:
    scenario = load(WINTER).scenario
    assert scenario is not None
    return scenario


def test_text_lists_scenes_under_their_stage(cli: Callable) -> None:
    result = cli("graph", str(WINTER))
    assert result.code == 0, result.err
    out = result.out
    stages = [
        out.index(f"Stage {i} of 3: {t}") for i, t in enumerate(["The village", "The pass", "The refuge"], 1)
    ]
    assert stages == sorted(stages)
    village, the_pass = out[stages[0] : stages[1]], out[stages[1] : stages[2]]
    assert "  village-square  [start]" in village
    assert "  bulletin\n" in village
    assert "back-home  => ENDING turned-back (open): Back in the village" in village
    assert "-> village-square  if money >= 15 and not has_map, once" in village
    assert "-> roll: saddle (weight 3), lost (weight 1 + risk)" in the_pass
    assert "-> saddle  if has_map" in the_pass
    assert "refuge  => ENDING safe (safe)" in out[stages[2] :]


def test_text_flags_scenes_no_choice_reaches(write: Callable[..., Path], cli: Callable) -> None:
    text = (
        WINTER.read_text(encoding="utf-8")
        + """
  orphan:
    stage: pass
    text: Nobody comes here.
    choices:
      - text: Go
        goto: orphan
"""
    )
    result = cli("graph", str(write(text, "w.yaml")))
    assert "orphan  [no choice leads here]" in result.out


def test_mermaid_groups_by_stage_and_marks_endings(cli: Callable) -> None:
    result = cli("graph", "--format", "mermaid", str(WINTER))
    assert result.code == 0
    out = result.out
    assert out.startswith("flowchart TD\n")
    assert out.count("subgraph ") == 3 and out.count("\n  end\n") == 3
    refuge = out[out.index('subgraph g2["3. The refuge"]') :]
    assert refuge.split("\n")[1].strip() == ('s5(["refuge<br/>ending: Warm at the refuge (safe)"]):::safe')
    assert ":::hard" in out and ":::open" in out
    assert '-->|"1. Push on to the saddle befor#8230;; roll, weight 1 + risk"|' in out
    assert '-->|"1. Buy a map at the kiosk (15#8230;; if money #62;= 15 and not has_map; once"|' in out
    assert out.count("-->") == len(edges(winter())) + 1  # and the start arrow


def test_dot_has_a_cluster_per_stage_and_labelled_edges(cli: Callable) -> None:
    out = cli("graph", "--format", "dot", str(WINTER)).out
    assert out.startswith("digraph scenario {") and out.rstrip().endswith("}")
    assert [int(n) for n in re.findall(r"subgraph cluster_(\d+) \{", out)] == [0, 1, 2]
    assert 's2 -> s3 [label="1. Push on to the saddle befor…\\nroll, weight 1 + risk"];' in out
    assert 'label="rescue\\nending: Carried down by the rescue team (hard)", peripheries=2' in out


MERMAID_LABEL = r'"[^"<>%|`\n]*(?:<br/>[^"<>%|`\n]*)*"'
MERMAID_LINE = re.compile(
    rf"flowchart TD|  start_node\(\({MERMAID_LABEL}\)\) --> s\d+|  subgraph g\d+\[{MERMAID_LABEL}\]"
    rf"|    s\d+\[{MERMAID_LABEL}\]|    s\d+\(\[{MERMAID_LABEL}\]\)(?::::\w+)?|  end"
    rf"|  s\d+ -->(?:\|{MERMAID_LABEL}\|)? s\d+|  classDef \w+ [\w:#,.-]+"
)


def test_mermaid_of_hostile_text_keeps_its_structure(hostile: Path, cli: Callable) -> None:
    out = cli("graph", "--format", "mermaid", str(hostile)).out
    for line in out.splitlines():
        assert MERMAID_LINE.fullmatch(line), line
    assert "Stage #34;1#34;#93; end subgraph #124;x#124; #35;quot;" in out
    assert "Out#34;#93;) --#62; s0 #37;#37; comment" in out


DOT_STRING = r'"(?:[^"\\\n]|\\[\\"n])*"'
DOT_LINE = re.compile(
    rf"digraph scenario \{{|\}}|  \}}|  graph \[label={DOT_STRING}, [^\"]*\];"
    rf"|  (?:node|edge) \[[^\"]*\];|  start_node \[shape=circle, label=\"start\"\];"
    rf"|  start_node -> s\d+;|  subgraph cluster_\d+ \{{|    label={DOT_STRING};"
    rf"|    s\d+ \[label={DOT_STRING}(?:, peripheries=2, style=\"rounded,filled\", "
    rf"fillcolor=\"#\w+\")?\];|  s\d+ -> s\d+(?: \[label={DOT_STRING}\])?;"
)


def test_dot_of_hostile_text_keeps_its_structure(hostile: Path, cli: Callable) -> None:
    out = cli("graph", "--format", "dot", str(hostile)).out
    for line in out.splitlines():
        assert DOT_LINE.fullmatch(line), line
    assert "\\\\N" in out and '\\"' in out


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("name", ["winter", "hostile"])
def test_graphviz_reads_the_output(hostile: Path, cli: Callable, name: str) -> None:
    path = WINTER if name == "winter" else hostile
    out = cli("graph", "--format", "dot", str(path)).out
    done = subprocess.run(
        ["dot", "-Tsvg"], input=out, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "<script>" not in done.stdout


def test_label_escapers() -> None:
    assert mermaid_label('a"b') == '"a#34;b"'
    assert mermaid_label("x", "y") == '"x<br/>y"'
    assert dot_string('a"b\\N') == '"a\\"b\\\\N"'
    assert dot_string("a", "b") == '"a\\nb"'


def test_mermaid_in_a_markdown_file_is_fenced(tmp_path: Path, cli: Callable) -> None:
    out = tmp_path / "graph.md"
    result = cli("graph", "--format", "mermaid", "-o", str(out), str(WINTER))
    assert result.code == 0 and result.out == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("```mermaid\nflowchart TD\n") and text.endswith("```\n")
    scenario = winter()
    assert render(scenario, "mermaid") in text  # type: ignore[arg-type]


def test_scenario_errors_print_diagnostics_and_exit_1(write: Callable[..., Path], cli: Callable) -> None:
    text = WINTER.read_text(encoding="utf-8").replace("goto: bulletin", "goto: bulletn")
    path = write(text, "broken.yaml")
    result = cli("graph", str(path))
    assert result.code == 1 and result.out == ""
    assert re.search(r"broken\.yaml:\d+:\d+: error\[E120\]: `goto: bulletn` names no scene", result.err)
    assert "did you mean `bulletin`?" in result.err


@pytest.mark.parametrize(
    "content, code",
    [
        ("format: 1\ntitle: [unclosed\n", 1),
        (b"\xff\xfe\x00garbage", 1),
        ("", 1),
    ],
)
def test_broken_files_never_give_a_traceback(
    write: Callable[..., Path], cli: Callable, content: str | bytes, code: int
) -> None:
    result = cli("graph", str(write(content, "bad.yaml")))
    assert result.code == code
    assert "error[" in result.err and "Traceback" not in result.err


def test_missing_file_and_folder(tmp_path: Path, cli: Callable) -> None:
    missing = cli("graph", str(tmp_path / "nope.yaml"))
    assert missing.code == 2 and "no such file" in missing.err
    folder = cli("graph", str(tmp_path))
    assert folder.code == 2 and "is a folder" in folder.err
    builtin = cli("graph", "builtin:no-such-thing")
    assert builtin.code == 2 and "no built-in scenario" in builtin.err


def test_output_to_a_missing_folder(tmp_path: Path, cli: Callable) -> None:
    result = cli("graph", "-o", str(tmp_path / "no" / "g.txt"), str(WINTER))
    assert result.code == 2 and "does not exist" in result.err


def test_every_edge_names_its_choice_so_parallel_edges_differ(cli: Callable) -> None:
    """Two choices between the same scenes used to draw two edges no one could
    tell apart; each edge now starts with its choice's number and text."""
    out = cli("graph", "--format", "dot", str(WINTER)).out
    labels = re.findall(r"-> s\d+ \[label=\"(\d+\. [^\\\"]*)", out)
    assert len(labels) == out.count(" -> ") - 1  # every edge but the start arrow
    pairs = re.findall(r"(s\d+ -> s\d+) \[label=\"([^\"]*)\"", out)
    assert len({label for _, label in pairs}) == len(pairs)


def test_conditional_gotos_draw_one_edge_per_branch(write: Callable[..., Path], cli: Callable) -> None:
    path = write(
        """\
        format: 1.1
        id: fork
        title: Fork
        variables: {money: {start: 5, min: 0}}
        route: [{id: r, title: R}]
        endings: {a: {title: A, kind: safe}, b: {title: B, kind: open}}
        start: here
        scenes:
          here:
            stage: r
            choices:
              - text: Go on
                goto: [{if: money >= 10, goto: bus}, {goto: walk}]
              - text: Gamble
                roll:
                  - {weight: 1, goto: [{if: money > 3, goto: bus}, {goto: walk}]}
                  - {weight: 2, goto: here}
          bus: {stage: r, ending: a}
          walk: {stage: r, ending: b}
        """,
        "fork.yaml",
    )
    text = cli("graph", str(path)).out
    assert "-> bus if money >= 10, walk otherwise" in text
    assert "roll: bus if money > 3 / walk otherwise (weight 1), here (weight 2)" in text
    dot = cli("graph", "--format", "dot", str(path)).out
    assert 'label="1. Go on\\nthen if money >= 10"' in dot and 'label="1. Go on\\nthen otherwise"' in dot
    mermaid = cli("graph", "--format", "mermaid", str(path)).out
    assert mermaid.count("-->") == 1 + 2 + 3
