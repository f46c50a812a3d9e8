"""A footer whose keys are drawn with the rest of the first screen."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class ReadyFooter(Footer):
    """Textual's Footer composes empty and fills its keys in only after its
    screen's first refresh, so the first screen the app draws shows an empty
    footer, and its keys a frame later (about 35 ms on a 2-core machine,
    benchmarks/app_startup.py). This one composes its keys at once: the app's
    and the screen's bindings are known when it is mounted. Textual still
    recomposes it when the bindings change (focus moving), as any footer.

    `_bindings_ready` is private to Textual 8's Footer; with a Textual
    without it, this is Textual's own Footer, keys a frame later."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hasattr(self, "_bindings_ready"):
            self._bindings_ready = True
