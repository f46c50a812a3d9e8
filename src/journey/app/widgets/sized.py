"""Widgets that the layout sizes once.

Textual's `virtual_size` (the size of a widget's content) asks for another
layout and a repaint whenever it changes, and the layout itself sets it, so
every widget whose content changed size in a layout asked for a second one:
after a new scene, most of them. A widget that never sets its virtual size
itself (Textual's ScrollView does, the option list among them: not these)
is already placed, with its content, by the layout that set it; a scrollbar
that must now come or go asks for its own layout, and a new size repaints."""

from __future__ import annotations

from typing import TypeVar

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget

W = TypeVar("W", bound=Widget)


def laid_out_once() -> Reactive[Size]:
    """A `virtual_size` that asks for no second layout and no repaint."""
    return Reactive(Size(0, 0), layout=False, repaint=False)


def sized_once(widget_class: type[W]) -> type[W]:
    """A subclass of `widget_class` (same name, so the same styles apply)
    whose virtual size is `laid_out_once`: for widgets made by Textual, such
    as the blocks of its Markdown."""
    namespace = {"virtual_size": laid_out_once(), "__module__": __name__, "__doc__": widget_class.__doc__}
    return type(widget_class.__name__, (widget_class,), namespace)
