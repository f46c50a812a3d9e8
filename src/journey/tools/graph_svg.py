"""The scenario graph as one inline SVG, for the teacher's guide: stages as
bands from top to bottom in route order, each stage's scenes as boxes, and
each choice as an arrow. Endings and the start are marked in words, not only
in colour. Every label is escaped; nothing is loaded from anywhere."""

from __future__ import annotations

import html

from ..scenario.model import Scenario
from .graph import by_stage, edges, one_line

COLUMNS = 4
BOX_W, BOX_H = 180, 38
GAP_X, GAP_Y = 30, 26
BAND_TOP = 30  # room for the stage's title
MARGIN = 20


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_svg(scenario: Scenario) -> str:
    where: dict[str, tuple[float, float]] = {}  # scene -> box's top-left
    parts: list[str] = []
    y: float = MARGIN
    width = MARGIN * 2 + COLUMNS * BOX_W + (COLUMNS - 1) * GAP_X
    for number, sid, scenes in by_stage(scenario):
        stage = scenario.route[sid]
        rows = max(1, -(-len(scenes) // COLUMNS))
        height = BAND_TOP + rows * (BOX_H + GAP_Y)
        band = f'x="{MARGIN / 2}" y="{y}" width="{width - MARGIN}" height="{height}"'
        parts.append(f'<rect class="band" {band} rx="6"/>')
        label = f"Stage {number}: {one_line(stage.title, 60)}"
        parts.append(f'<text class="stage" x="{MARGIN}" y="{y + 20}">{_e(label)}</text>')
        for i, scene in enumerate(scenes):
            bx: float = MARGIN + (i % COLUMNS) * (BOX_W + GAP_X)
            by = y + BAND_TOP + (i // COLUMNS) * (BOX_H + GAP_Y)
            where[scene.id] = (bx, by)
        y += height + GAP_Y
    total_h = y
    arrows = []
    for edge in edges(scenario):
        if edge.source not in where or edge.target not in where:
            continue
        (sx, sy), (tx, ty) = where[edge.source], where[edge.target]
        x1, y1 = sx + BOX_W / 2, sy + BOX_H
        x2, y2 = tx + BOX_W / 2, ty
        back = ty <= sy
        if edge.source == edge.target:
            loop = f"M{sx + BOX_W} {sy + 10} c 22 0 22 18 0 18"
            arrows.append(f'<path class="edge back" d="{loop}" marker-end="url(#arrow)"/>')
            continue
        if back:  # going back up: leave from the side, arrive at the bottom
            x1, y1, y2 = sx + BOX_W, sy + BOX_H / 2, ty + BOX_H
        arrows.append(
            f'<line class="edge{" back" if back else ""}" x1="{x1:.0f}" y1="{y1:.0f}" '
            f'x2="{x2:.0f}" y2="{y2:.0f}" marker-end="url(#arrow)"/>'
        )
    boxes = []
    for scene in scenario.scenes.values():
        if scene.id not in where:
            continue
        bx, by = where[scene.id]
        note = ""
        kind = "scene"
        if scene.ending:
            ending = scenario.endings.get(scene.ending)
            note = f"ending: {ending.kind}" if ending else "ending"
            kind = f"scene ending {ending.kind if ending else ''}"
        elif scene.id == scenario.start:
            note, kind = "start", "scene start"
        boxes.append(
            f'<g><title>{_e(scene.id)}</title><rect class="{kind}" x="{bx}" y="{by}" width="{BOX_W}" '
            f'height="{BOX_H}" rx="4"/><text x="{bx + 8}" y="{by + 16}">{_e(one_line(scene.id, 24))}</text>'
            + (f'<text class="note" x="{bx + 8}" y="{by + 31}">{_e(note)}</text>' if note else "")
            + "</g>"
        )
    return "\n".join(
        [
            f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {width} {total_h}" width="{width}" height="{total_h}">',
            f"<title>{_e(one_line(scenario.title))}: every scene, by stage, and where each choice "
            "leads</title>",
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>',
            "<style>.band{fill:#f4f6f8;stroke:#d0d5da}.stage{font:bold 14px sans-serif;fill:#1b1b1b}"
            ".scene{fill:#fff;stroke:#44525e;stroke-width:1.5}.ending{stroke-width:3}.safe{fill:#e6f4ea}"
            ".hard{fill:#fbe9e7}.open{fill:#fff8e1}.start{stroke-dasharray:5 3}"
            "text{font:12px sans-serif;fill:#1b1b1b}.note{font-style:italic;fill:#444}"
            ".edge{stroke:#6b7f8c;stroke-width:1;fill:none;opacity:.7}.back{stroke-dasharray:3 3}"
            "marker path{fill:#6b7f8c}</style>",
            *parts,
            *arrows,
            *boxes,
            "</svg>",
        ]
    )
