"""Scene text updated in place: it must look exactly as Textual's own Markdown
widget shows the same text, whatever came before, and a keypress between
scenes of the same shape must reuse the blocks and draw once."""

from __future__ import annotations

import random
from pathlib import Path
from typing import ClassVar

import pytest
from helpers import Frames, make_app, on_screen, press, screen_text, settle
from quiet import _needs_drawing, until_quiet
from textual import events
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

from journey.app import JourneyApp
from journey.app.screens import scene
from journey.app.screens.scene import SceneScreen
from journey.app.widgets import choices, scene_text
from journey.app.widgets.choices import ChoiceList
from journey.app.widgets.scene_text import SceneText
from journey.launch import open_session

# Each text follows the one before it, so every kind of change is met: the
# same shape (reused), a different one, a longer and a shorter document,
# numbering that starts elsewhere, nesting, code, rules, quotes, nothing.
TEXTS = [
    "## East\n\nThe road *bends*. Visit 1.\n\n- a list item\n- another with `code`\n",
    "## West\n\nThe river **runs** [fast](glossary:river). Visit 2.\n\n- one more item\n- the last `[b]`\n",
    "Just one paragraph, with [a link](https://example.org/) and [b]markup[/b].",
    "1. one\n2. two\n3. three\n",
    "3. three\n4. four\n5. five\n",
    "> a quote\n\n```\ncode [b]x[/b]\n```\n\n---\n\nAfter.\n",
    "> another quote, longer than the first one by far\n\n```\nmore code\n```\n\n---\n\nAfter two.\n",
    "",
    "- nested\n  - inner\n    - deepest\n- out\n\n# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "- nested, again\n  - inner\n    - deepest\n- out\n\n# Other title\n\nA paragraph now.\n",
    "# One\n\n# Two\n\n# Three\n\nText.\n",
    "# One\n\nText.\n",
    "# One\n\nA new paragraph first.\n\n- a list\n\nText, moved down.\n\n---\n",
    "# One again\n\n- a list\n\nText.\n\n---\n\nAnd a last one.\n",
    "<b>html</b>\n\nText after HTML.\n\n    indented code\n",
    "Text after HTML, with the HTML gone.\n\n    indented code\n\n> quote\n",
]


class SideBySide(App[None]):
    CSS: ClassVar[str] = "Horizontal > * { width: 1fr; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield SceneText(id="ours")
            yield Markdown(id="theirs", open_links=False)


def halves(app: App[object]) -> tuple[list[str], list[str]]:
    width = app.size.width // 2
    lines = screen_text(app).splitlines()
    return [line[:width].rstrip() for line in lines], [line[width:].rstrip() for line in lines]


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "textual-update"])
async def test_text_updated_in_place_looks_as_textual_shows_it(
    in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also with a Textual that lacks the parts the in-place update reads:
    then Textual's own update shows the text."""
    assert scene_text.IN_PLACE  # the pinned Textual has them
    monkeypatch.setattr(scene_text, "IN_PLACE", in_place)
    app = SideBySide()
    async with app.run_test(size=(120, 40)) as pilot:
        ours, theirs = app.query_one(SceneText), app.query_one("#theirs", Markdown)
        for text in TEXTS:
            await ours.update(text)
            await theirs.update(text)
            await settle(pilot)
            left, right = halves(app)
            assert left == right, text
            assert ours.source == text


async def test_a_text_of_the_same_shape_reuses_the_blocks() -> None:
    app = SideBySide()
    async with app.run_test(size=(120, 40)) as pilot:
        ours = app.query_one(SceneText)
        await ours.update(TEXTS[0])
        await settle(pilot)
        before = list(ours.query(MarkdownBlock))
        await ours.update(TEXTS[1])
        await settle(pilot)
        assert list(ours.query(MarkdownBlock)) == before
        assert "The river runs fast. Visit 2." in screen_text(app)
        await ours.update(TEXTS[2])  # one paragraph: the heading and the list go
        await settle(pilot)
        assert list(ours.query(MarkdownBlock)) == [
            b for b in before if b.parent is ours and b.name == "paragraph_open"
        ]
        assert "and [b]markup[/b]." in screen_text(app)


async def test_a_link_updated_in_place_goes_where_the_new_text_says() -> None:
    app = SideBySide()
    async with app.run_test(size=(120, 40)) as pilot:
        ours = app.query_one(SceneText)
        await ours.update("Go [there](https://example.org/one) now.")
        await settle(pilot)
        await ours.update("Go [where](https://example.org/two) now.")
        await settle(pilot)
        block = ours.query_one("MarkdownParagraph")
        await pilot.click(block, offset=(4, 0))
        await settle(pilot)
        said = [str(n.message) for n in app._notifications]
        assert said == ["Link: https://example.org/two"]  # an author's link is said, not opened


SCENE = """
  {id}:
    stage: {stage}
    text: |
      ## {title}

      The road bends. *Every* choice costs, and **hypothermia** is near. Step {{count}}.

      - a list item
      - another item with `code`
    facts:
      - {{title: A fact, text: Facts come with sources., source: book}}
    choices:
      - {{text: Go on to the {other}, add: {{count: 1}}, goto: {other}}}
      - {{text: Locked, if: count < 0, show_locked: true, goto: {other}}}
"""
LOOP = (
    """format: 1
id: loop
title: Loop
sources: {book: {title: A book}}
glossary: {hypothermia: Cold.}
variables:
  count: {start: 0, min: 0, label: Steps, shown: true}
  warmth: {start: 5, min: 0, max: 10, label: Warmth, shown: true}
route:
  - {id: one, title: One}
  - {id: two, title: Two}
endings: {never: {title: Never, kind: open}}
start: east
scenes:"""
    + SCENE.format(id="east", stage="one", title="East", other="west")
    + SCENE.format(id="west", stage="two", title="West", other="east")
)


@pytest.fixture
def loop_app(tmp_path: Path) -> JourneyApp:
    path = tmp_path / "loop.yaml"
    path.write_text(LOOP, encoding="utf-8")
    return make_app(path)


async def first_scene_untimed(pilot: Pilot[object], monkeypatch: pytest.MonkeyPatch) -> SceneScreen:
    """Past the notes to the first scene; from then on Textual's frame timer
    never draws, so every frame counted is one the screen drew itself."""
    await press(pilot, "enter")
    await on_screen(pilot, SceneScreen)
    screen = pilot.app.screen
    assert isinstance(screen, SceneScreen)
    monkeypatch.setattr(screen._update_timer, "resume", lambda: None)  # the timer never draws
    return screen


async def test_a_choice_draws_the_next_scene_once_reusing_its_blocks(loop_app: JourneyApp) -> None:
    app = loop_app
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        await press(pilot, "1")  # the line saying what a choice changed appears: a new size, a new layout
        frames = Frames(app)
        blocks = list(app.screen.query(MarkdownBlock))
        for step in range(2, 12):
            frames.count = 0
            await press(pilot, "1")
            assert f"Step {step}." in screen_text(app)
            assert list(app.screen.query(MarkdownBlock)) == blocks
            assert frames.count == 1  # not a first frame with half the scene and a second with the rest


# The west scene has a paragraph more: going there mounts one.
LONGER = LOOP.replace(
    "  west:\n    stage: two\n    text: |\n",
    "  west:\n    stage: two\n    text: |\n      The ice is thin this far upstream.\n\n",
)


async def test_a_new_block_is_drawn_in_full_without_waiting_for_the_frame_timer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A block mounted for a longer text is laid out a second time once it has
    a size (Textual's rule for a new widget): that layout is done as soon as
    the screen is idle, not left to Textual's frame timer, which runs at the
    tick after next (17 to 33 ms later), and before the scene is drawn, so the
    key draws one frame. The timer is stopped here: the key's work must leave
    nothing to draw."""
    path = tmp_path / "longer.yaml"
    path.write_text(LONGER, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        await press(pilot, "1")
        screen = app.screen
        assert isinstance(screen, SceneScreen)
        monkeypatch.setattr(screen._update_timer, "resume", lambda: None)  # the timer never draws
        frames = Frames(app)
        for step in range(2, 8):
            frames.count = 0
            app.post_message(events.Key("1", "1"))
            await until_quiet(app, draw=False)  # the app's own work only: nothing drawn for it
            assert f"Step {step}." in screen_text(app)
            assert not _needs_drawing(app) and not screen._owed, f"step {step}: a frame was left undrawn"
            assert ("The ice is thin" in screen_text(app)) == (step % 2 == 1)
            assert frames.count == 1  # a block mounted: laid out twice, drawn once


async def test_a_scene_left_while_it_holds_a_frame_lets_the_app_draw_again(loop_app: JourneyApp) -> None:
    """A key storm once left the scene (to the start) in the same turn as a
    choice: the screen was unmounted while holding repaints, and releasing
    them looked for widgets already gone."""
    app = loop_app
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        scene = app.screen
        assert isinstance(scene, SceneScreen)
        scene._hold_frame()
        assert app._batch_count == 1
        await app.switch_screen(ElsewhereScreen())  # the scene is popped and unmounted while held
        await settle(pilot)
        assert not scene.is_attached
        assert app._batch_count == 0  # repaints are allowed again
        assert app._exception is None


class ElsewhereScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Markdown("Elsewhere.")


# A short scene with one choice and no facts, and a long one (its text needs
# a scrollbar, its facts make the side panel scroll) with three choices: each
# key changes the height of the choices, and makes the text's and the panel's
# scrollbars come or go, each of which asked Textual for another layout.
LONG_TEXT = "\n\n".join(f"      Paragraph {n} of the long scene, which goes on and on." for n in range(1, 25))
MANY_FACTS = "\n".join(f"      - {{title: Fact {n}, text: A fact., source: book}}" for n in range(1, 9))
SHORT_AND_LONG = f"""format: 1
id: short-long
title: Short and long
sources: {{book: {{title: A book}}}}
variables:
  count: {{start: 0, min: 0, label: Steps, shown: true}}
route:
  - {{id: one, title: One}}
endings: {{never: {{title: Never, kind: open}}}}
start: short
scenes:
  short:
    stage: one
    text: "A short scene. Step {{count}}."
    choices:
      - {{text: Go on to the long one, add: {{count: 1}}, goto: long}}
  long:
    stage: one
    text: |
{LONG_TEXT}
    facts:
{MANY_FACTS}
    choices:
      - {{text: Back to the short one, add: {{count: 1}}, goto: short}}
      - {{text: Also back to the short one, add: {{count: 1}}, goto: short}}
      - {{text: Locked, if: count < 0, show_locked: true, goto: short}}
"""


async def test_every_key_between_a_short_and_a_long_scene_draws_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Laying a new scene out makes widgets ask for another layout (a
    scrollbar comes or goes, the choices change height): the screen lays out
    again before drawing, so each key draws one frame, and leaves nothing to
    draw for Textual's frame timer (stopped here) or for later."""
    path = tmp_path / "short-long.yaml"
    path.write_text(SHORT_AND_LONG, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await first_scene_untimed(pilot, monkeypatch)
        frames = Frames(app)
        text, side = screen.query_one("#text-scroll"), screen.query_one("#side")
        for step in range(1, 9):
            frames.count = 0
            app.post_message(events.Key("1", "1"))
            await until_quiet(app, draw=False)  # the app's own work only: nothing drawn for it
            long = step % 2 == 1
            assert ("Paragraph 1 of the long scene" in screen_text(app)) == long
            assert text.show_vertical_scrollbar == side.show_vertical_scrollbar == long
            assert screen.query_one("#more").display == long  # the "more below" cue, in the same frame
            assert not _needs_drawing(app) and not screen._owed, f"step {step}: a frame was left undrawn"
            assert frames.count == 1, f"step {step}: {frames.count} frames"


@pytest.mark.parametrize("private", ["PROMPT", "KEEPS_MEASURES"])
async def test_without_textuals_private_parts_the_scenes_are_still_drawn_right(
    private: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one-frame drawing and the choices' kept measures use private parts
    of Textual (checked at import). Without them, Textual's own timer and
    resize handling draw every scene as before: more frames, the same text."""
    monkeypatch.setattr(scene if private == "PROMPT" else choices, private, False)
    path = tmp_path / "short-long.yaml"
    longer = "Also back to the short one by the long way past the mill"  # one line at 100 columns, two at 80
    path.write_text(SHORT_AND_LONG.replace("Also back to the short one", longer), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "enter")
        await on_screen(pilot, SceneScreen)
        screen = app.screen
        for step in range(1, 5):
            await press(pilot, "1")
            long = step % 2 == 1
            for width in (100, 80, 100):  # the choices, measured again for each width
                await pilot.resize_terminal(width, 30)
                await settle(pilot)
                shown = screen_text(app)
                assert ("Paragraph 1 of the long scene" in shown) == long
                assert ("past the mill" in shown) == long  # the choices, wrapped for this width
                assert ("1. Go on to the long one" in shown) != long
                assert screen.query_one("#more").display == long


async def test_every_key_of_the_built_in_journey_draws_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Random open choices through the built-in scenario (seeded), as
    benchmarks/app_keypress.py --builtin takes them, journey after journey:
    each key that leads to another scene draws it in one frame and leaves
    nothing to draw."""
    rng = random.Random(4)
    checked = 0
    for _journey in range(6):
        checked += await _play_built_in(rng, monkeypatch)
        if checked >= 20:
            break
    assert checked >= 20


async def _play_built_in(rng: random.Random, monkeypatch: pytest.MonkeyPatch) -> int:
    """Play one journey to its end (or 30 keys); how many keys were checked."""
    session = open_session(None, resume=False)
    persona = rng.choice(sorted(session.scenario.personas))
    app = JourneyApp(session, direct=True, seed=rng.randrange(1000), blink=False, persona=persona)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await first_scene_untimed(pilot, monkeypatch)
        frames = Frames(app)
        for checked in range(30):
            choices = screen.query_one(ChoiceList)
            shown = [c for c in screen.view.choices if c.available and c.number <= 9]
            shown = [c for c in shown if choices.out_of_view(choices.position_of(c.index) or 0) is None]
            if not shown:
                return checked
            was = screen.view
            frames.count = 0
            app.post_message(events.Key(str(rng.choice(shown).number), None))
            await until_quiet(app, draw=False)
            if app.screen is not screen:  # an ending: another screen, not counted
                return checked
            assert screen.view is not was
            where = f"key {checked} ({screen.view.scene})"
            assert not _needs_drawing(app) and not screen._owed, f"{where}: left undrawn"
            assert frames.count == 1, f"{where}: {frames.count} frames"
    return 30
