"""Wait until a Textual app has nothing left to do, by asking it.

Textual's Pilot waits for "idle" by sleeping in 20 ms steps until the process
uses almost no CPU: each wait sleeps 20 ms or more, a test waits several times
a key, and on a busy machine a starved process looks idle too early. These tests ask the app instead:
no message queued or being handled, no callback pending, every widget mounted,
no worker or animation running. Textual is pinned in the test extra, so its
private queues can be read safely."""

from __future__ import annotations

import asyncio
import time

from textual import _wait
from textual._context import active_app
from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import WorkerState

TIMEOUT = 10.0  # seconds: an app that never settles is a failure, not a hang
_UNFINISHED = (WorkerState.PENDING, WorkerState.RUNNING)


def _waiting_for_messages(node: MessagePump) -> bool:
    """Whether `node`'s message loop waits for a message (not working on one)."""
    task = node._task
    if task is None or task.done():
        return True
    waiter = task._fut_waiter  # type: ignore[attr-defined]  # what the task is blocked on; None: about to run
    return waiter is not None and waiter in node._message_queue.ready_event._waiters  # type: ignore[attr-defined]


def busy(app: App[object]) -> str | None:
    """What `app` still has to do, or None when it is quiet."""
    for node in (app, *app._registry):
        if not node._message_queue.empty():
            return f"{node!r} has messages to handle"
        if not _waiting_for_messages(node):
            return f"{node!r} is handling a message"
        if node._next_callbacks:
            return f"{node!r} has callbacks to run"
        if node._running and not node._is_mounted:
            return f"{node!r} is mounting"
    if app._resize_timer is not None:
        return "a resize is pending (Textual waits 1/120 s for the next one)"
    if any(worker.state in _UNFINISHED for worker in app.workers):
        return "a worker is running"
    if app.animator._animations or app.animator._scheduled:
        return "an animation is running"
    return None


def _needs_drawing(app: App[object]) -> bool:
    screen = app.screen
    return screen.is_current and bool(
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._dirty_widgets
        or screen._recompose_required
        or screen._callbacks  # to run after the next refresh
    )


async def until_quiet(app: App[object], draw: bool = True) -> None:
    """Let `app` handle everything it has to do, then (with `draw`) draw it
    once, as its next frame would; fail after TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    quiet_rounds = 0
    reason: str | None = None
    while True:
        if not app.is_running or app._exception is not None or not app._screen_stack:
            return
        # a queued message runs at the next turn of the loop; a thread needs time
        await asyncio.sleep(0 if reason is None or "message" in reason else 0.001)
        reason = busy(app)
        if reason is not None:
            quiet_rounds = 0
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not settle in {TIMEOUT} s: {reason}")
            continue
        quiet_rounds += 1
        if quiet_rounds < 2:  # quiet twice in a row: nothing was about to start
            continue
        if not draw or not _needs_drawing(app):
            return
        app.screen._on_timer_update()  # lay out and draw now, not at the next frame
        quiet_rounds = 0


_original_wait_for_idle = _wait.wait_for_idle


async def wait_for_quiet(min_sleep: float = 0, max_sleep: float = 1) -> None:
    """Textual's `wait_for_idle`, answered by the app itself when there is one."""
    try:
        app = active_app.get()
    except LookupError:
        await _original_wait_for_idle(min_sleep, max_sleep)
        return
    await until_quiet(app)
