"""The lesson part of the teacher's guide: a 45-minute plan with timings, how
to assign personas, safeguarding, an exercise per stage with answer notes,
and the discussion questions; then the scenes in full, for reference.

A scenario's format 1.1 `lesson:` (plan, safeguarding, before, after) and its
stages' `exercise:` and `answers:` are used when present; without them the
guide gives a plan built from the scenario itself, and says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..scenario.model import Branch, Choice, Scenario, Scene
from .guide import Block, Line, Span, heading, items, md, para, plain, strong

LESSON_MINUTES = 45
DEFAULT_PLAN = (
    (5, "Introduce the journey: read the summary and the content notes aloud; anyone may stop at any time."),
    (5, "Assign personas (below) and start: everyone opens the game and reaches the first scene."),
    (20, "Play, alone or in pairs. Walk round, and note the decisions that start arguments."),
    (
        10,
        "Debrief: which endings did the class reach, and where did it split? Project the class report "
        "(`journey class report`) and use the discussion questions.",
    ),
    (
        5,
        "Close: what in the journey was real? Point to the sources; each student writes down one thing "
        "they did not know.",
    ),
)
VARIATIONS = {
    "seq": "By visit, in turn (the last from then on)",
    "cycle": "By visit, in turn and round again",
    "shuffle": "One of these, drawn by chance",
    "once": "Only on the first visit",
}
SAFEGUARDING = (
    "Read the content notes to the class before anyone starts; the game shows them too, and a player "
    "can go back.",
    "Some students may have lived through displacement, detention, trafficking or a family torn apart, "
    "or have family who did. Never ask anyone to share their own story; keep the talk on the characters "
    "and the facts.",
    "Anyone can stop at any time (q saves the journey). Have another task ready, such as reading the fact "
    "library and its sources, so stopping is not singled out.",
    "Watch for students who go quiet or upset; follow up in private, and know your school's safeguarding "
    "lead and what to do.",
    "The characters are invented; the facts are real and sourced. Do not let role-play make fun of them or "
    "turn the dangers into a thrill.",
)


def lesson(scenario: Scenario) -> list[Block]:
    return [
        *_plan(scenario),
        *_personas(scenario),
        *_safeguarding(scenario),
        *_exercises(scenario),
        *_questions(scenario),
    ]


def _plan(scenario: Scenario) -> list[Block]:
    given = scenario.lesson
    steps: list[tuple[int | None, str]] = [(s.minutes, s.do) for s in given.plan] if given else []
    total = (given.minutes if given else None) or sum(m or 0 for m, _ in steps) or LESSON_MINUTES
    blocks = [heading(2, plain(f"The lesson ({total} minutes)"))]
    if given is not None and given.before:
        blocks += [heading(3, plain("Before the lesson")), para(md(given.before))]
    if not steps:
        steps = list(DEFAULT_PLAN)
        blocks.append(para(Span("em", "The scenario gives no lesson plan; this one fits any scenario.")))
    blocks.append(heading(3, plain("Plan")))
    clock = 0
    lines: list[Line] = []
    for minutes, do in steps:
        when = f"{clock}–{clock + minutes} min" if minutes else "Then"
        lines.append((strong(when), plain(": "), md(do)))
        clock += minutes or 0
    blocks += items("ul", lines)
    if given is not None and given.after:
        blocks += [heading(3, plain("After the lesson")), para(md(given.after))]
    return blocks


def _personas(scenario: Scenario) -> list[Block]:
    if not scenario.personas:
        return []
    people = list(scenario.personas.values())
    numbered = ", ".join(f"{n} for {p.name}" for n, p in enumerate(people, 1))
    return [
        heading(3, plain("Assigning personas")),
        para(
            plain(
                f"Count round the room from 1 to {len(people)} so that each persona is played by about "
                f"the same number of students; each student picks their number on the persona screen "
                f"({numbered}). In the debrief, group students by persona and compare how the same "
                "decision looked from each life."
            )
        ),
        *items(
            "ul",
            ((strong(p.name), *((plain(": "), md(p.about)) if p.about else ()), *_id(p.id)) for p in people),
        ),
    ]


def _id(persona: str) -> tuple[Span, ...]:
    return (plain(" ("), Span("code", persona), plain(")"))


def _safeguarding(scenario: Scenario) -> list[Block]:
    given = scenario.lesson
    blocks = [heading(3, plain("Safeguarding"))]
    if given is not None and given.safeguarding:
        blocks.append(para(md(given.safeguarding)))
    if scenario.content_notes:
        blocks.append(para(plain("This journey includes: " + "; ".join(scenario.content_notes) + ".")))
    blocks += items("ul", ((plain(text),) for text in SAFEGUARDING))
    return blocks


def _exercises(scenario: Scenario) -> list[Block]:
    blocks: list[Block] = []
    for number, stage in enumerate(scenario.route.values(), 1):
        exercise, answers = stage.exercise, stage.answers
        if not (exercise or answers):
            continue
        blocks.append(heading(4, plain(f"Stage {number}: {stage.title}")))
        if exercise:
            blocks.append(para(strong("Exercise: "), md(exercise)))
        if answers:
            blocks.append(para(strong("Answer notes (for the teacher): "), md(answers)))
    if not blocks:
        return []
    return [heading(3, plain("Exercises, stage by stage")), *blocks]


def _questions(scenario: Scenario) -> list[Block]:
    asked = [(stage, q) for stage in scenario.route.values() for q in stage.discussion]
    endings = [e for e in scenario.endings.values() if e.debrief]
    if not asked and not endings:
        return []
    blocks = [heading(3, plain("Discussion questions"))]
    blocks += items("ol", ((strong(stage.title + ": "), md(q)) for stage, q in asked))
    return blocks


# -- the scenes in full, for the reference part ------------------------------------------
def scene_blocks(scenario: Scenario, scene: Scene, shown: Any) -> list[Block]:
    """Every text part of a scene (with its condition) and every choice (with
    its condition and where it leads). `shown(text)` gives a Text's words with
    its placeholders marked."""
    title: list[Span] = [plain(scene.id)]
    if scene.id == scenario.start:
        title.append(Span("em", " (the start)"))
    if scene.ending:
        ending = scenario.endings[scene.ending]
        title.append(Span("em", f" (ends the journey: {ending.title}, {ending.kind})"))
    blocks = [heading(4, *title)]
    for part in scene.text:
        lead: list[Span] = []
        if part.cond is not None:
            lead = [Span("em", "Only if "), Span("code", part.cond.source), plain(": ")]
        if part.variation and part.texts:
            lead.append(Span("em", VARIATIONS.get(part.variation, part.variation) + ":"))
            blocks.append(para(*lead))
            blocks += items("ul", ((md(shown(text)),) for text in part.texts))
        else:
            blocks.append(para(*lead, md(shown(part.text))))
    blocks += items("ol", (_choice_line(scenario, c, shown) for c in scene.choices))
    return blocks


def _choice_line(scenario: Scenario, choice: Choice, shown: Any) -> Line:
    line: list[Span] = [md(shown(choice.text))]
    if choice.roll:
        targets = ", ".join(f"{_where(o.branches, o.goto)} (weight {o.weight.source})" for o in choice.roll)
        line.append(plain(f" → by chance: {targets}"))
    elif choice.branches or choice.goto:
        line.append(plain(f" → {_where(choice.branches, choice.goto or '')}"))
    notes: list[Span] = []
    if choice.cond is not None:
        notes += [plain("only if "), Span("code", choice.cond.source)]
        if choice.show_locked:
            notes.append(
                plain(
                    "; otherwise shown locked" + (f": “{choice.locked_text}”" if choice.locked_text else "")
                )
            )
    if choice.once:
        notes.append(plain("; once" if notes else "once"))
    if notes:
        line += [plain(" ("), *notes, plain(")")]
    return tuple(line)


def _where(branches: tuple[Branch, ...], goto: str) -> str:
    """Where a choice leads: a scene, or (format 1.1) the first branch that holds."""
    if not branches:
        return goto
    return ", else ".join(f"{b.goto} if {b.cond.source}" if b.cond else b.goto for b in branches)


def stage_scenes(scenario: Scenario, sid: str) -> Iterable[Scene]:
    return (s for s in scenario.scenes.values() if s.stage == sid)
