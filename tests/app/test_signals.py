"""SIGTERM (issue 13): the installed app, in a real pseudo-terminal, saves the
journey and restores the terminal (leaves the alternate screen, stops mouse
reporting, shows the cursor) before it exits with 128 + 15."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ALT_SCREEN_ON, ALT_SCREEN_OFF = b"\x1b[?1049h", b"\x1b[?1049l"
CURSOR_SHOWN = b"\x1b[?25h"
MOUSE_OFF = b"\x1b[?1000l"


def _read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    got = b""
    deadline = time.monotonic() + seconds
    while wanted not in got and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            got += chunk
    return got


def test_sigterm_restores_the_terminal_and_saves(journey_exe: str, journey_home: Path) -> None:
    import pty

    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"JOURNEY_HOME": str(journey_home), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"})
    proc = subprocess.Popen(
        [journey_exe, "play", "--app"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    try:
        before = _read_until(main, ALT_SCREEN_ON, 60)
        assert ALT_SCREEN_ON in before, before[-300:]
        _read_until(main, b"\x00never", 2)  # let it draw and settle
        proc.send_signal(signal.SIGTERM)
        after = _read_until(main, ALT_SCREEN_OFF, 30)
        after += _read_until(main, b"\x00never", 1)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
    assert code == 128 + signal.SIGTERM
    assert ALT_SCREEN_OFF in after and CURSOR_SHOWN in after
    assert MOUSE_OFF in after
