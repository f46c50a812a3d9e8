"""The footer of the first screen has its keys in the first frame."""

from __future__ import annotations

from textual.widgets import Footer

from journey.app.widgets.footer import ReadyFooter


def test_textual_footer_still_has_the_flag_ready_footer_sets() -> None:
    """ReadyFooter sets Textual's private `Footer._bindings_ready`. If a Textual
    release renames it, the footer still works, with its keys a frame late:
    this test says so, where a benchmark would only be slower."""
    assert Footer()._bindings_ready is False
    assert ReadyFooter()._bindings_ready is True
