"""Warnings about parts of a scenario that nothing uses: glossary terms that no
text contains, sources that no fact cites, personas that nothing tells apart.

They live with the tools, not the loader, because finding a term in text is the
engine's rule (`engine.glossary`), shared with both front ends."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.glossary import find_terms
from ..scenario.diagnostics import Diagnostic, Diagnostics, Mark
from ..scenario.expr import Binary, Expr, Lit, PersonaRef, Unary
from ..scenario.model import Scenario, expression_trees


def check_usage(scenario: Scenario) -> list[Diagnostic]:
    diags = Diagnostics()
    _glossary(scenario, diags, scenario.glossary_marks)
    _sources(scenario, diags)
    _personas(scenario, diags)
    return diags.items


def shown_texts(scenario: Scenario) -> Iterator[str]:
    """Every text a player can be shown, as written."""
    yield scenario.summary
    for scene in scenario.scenes.values():
        for part in scene.text:
            yield part.text.source
            yield from (t.source for t in part.texts)
        for fact in scene.facts:
            yield fact.title
            yield fact.text
        for choice in scene.choices:
            yield choice.text.source
            yield choice.locked_text
    for ending in scenario.endings.values():
        yield ending.title
        yield ending.debrief
    for stage in scenario.route.values():
        yield stage.title
        yield from stage.discussion


def _glossary(scenario: Scenario, diags: Diagnostics, marks: dict[str, Mark]) -> None:
    if not scenario.glossary:
        return
    every = "\n|\n".join(t for t in shown_texts(scenario) if t)  # one search; no term spans a "|"
    used = {s.term for s in find_terms(every, scenario.glossary)}
    for term in scenario.glossary:
        if term not in used:
            aliases = scenario.aliases.get(term, ())
            diags.add(
                marks.get(term, Mark(_path(scenario))),
                "W220",
                f"the glossary term `{term}`"
                + (f" (or {', '.join(f'`{a}`' for a in aliases)})" if aliases else "")
                + " is in no text players see, so it is never marked",
                "use the word in a scene, choice or fact, give the entry the `aliases` the text uses "
                "(format 1.1), or remove it",
            )


def _sources(scenario: Scenario, diags: Diagnostics) -> None:
    cited = {f.source for s in scenario.scenes.values() for f in s.facts}
    for sid, source in scenario.sources.items():
        if sid not in cited:
            diags.add(
                source.mark,
                "W221",
                f"no fact cites the source `{sid}`",
                "add a fact with `source: " + sid + "`, or remove the source",
            )


def _personas(scenario: Scenario, diags: Diagnostics) -> None:
    """Personas that play exactly alike: the same start values, and no expression
    names them (`persona == "id"`)."""
    named = {id_ for tree in expression_trees(scenario, text=True, facts=True) for id_ in _compared(tree)}
    seen: dict[tuple[tuple[str, int | bool], ...], str] = {}
    for persona in scenario.personas.values():
        if persona.id in named:
            continue
        start = tuple(sorted(persona.set.items()))
        twin = seen.setdefault(start, persona.id)
        if twin != persona.id:
            diags.add(
                persona.mark,
                "W222",
                f"the personas `{twin}` and `{persona.id}` play exactly alike: nothing tells them apart",
                f'give one of them a `set:`, or text or choices with `if: persona == "{persona.id}"`',
            )


def _compared(tree: Expr) -> Iterator[str]:
    todo = [tree]
    while todo:
        t = todo.pop()
        if isinstance(t, Binary):
            for a, b in ((t.left, t.right), (t.right, t.left)):
                if isinstance(a, PersonaRef) and isinstance(b, Lit) and isinstance(b.value, str):
                    yield b.value
            todo += (t.left, t.right)
        elif isinstance(t, Unary):
            todo.append(t.operand)


def _path(scenario: Scenario) -> str:
    from ..scenario.loader import display_path

    return display_path(scenario.path)
