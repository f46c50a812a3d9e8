"""A class of simulated students on `journey serve`: memory per game session,
keypress-to-screen latency (median, p95) with the whole class against one
student alone (measured in the same run), and whether any journey was lost.

Each student joins with the code, plays over the websocket (reading the screen
with a terminal emulator, as the browser's terminal would) and takes a random
choice every few seconds. At the end the server is stopped with Ctrl-C and
every student's choices are compared with the class record.

    python benchmarks/serve_players.py [--students 30] [--seconds 45] [--think 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "serve"))
from wsclient import Served, Student  # noqa: E402

SCENARIO = HERE.parent / "tests" / "fixtures" / "winter-pass.yaml"
CHOICE = re.compile(r"^│ (\d)\. ")  # a choice's first line, in the "What do you do?" box
QUIET = 0.15  # seconds without new bytes: the screen has been drawn


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    at: list[float] = field(default_factory=list)  # when each keypress was sent
    ready: float = 0.0  # when the student's game first showed a scene
    choices: int = 0
    finished: int = 0
    error: str = ""


def choices(screen: str) -> list[str]:
    """The numbers of the choices on the screen: only inside the choice box."""
    lines = screen.splitlines()
    start = next((i for i, line in enumerate(lines) if "What do you do" in line), None)
    if start is None:
        return []
    found = []
    for line in lines[start + 1 :]:
        if line.startswith("╰"):
            break
        match = CHOICE.match(line)
        if match:
            found.append(match.group(1))
    return found


async def settle(student: Student, sent: float) -> float:
    """Seconds from the keypress to the last byte of the screen it caused."""
    while True:
        student.changed.clear()
        try:
            await asyncio.wait_for(student.changed.wait(), QUIET)
        except TimeoutError:
            if student.last_bytes > sent:
                return student.last_bytes - sent
            if time.perf_counter() - sent > 30:
                raise
        else:
            continue


async def play(base: str, code: str, name: str, seconds: float, think: float, seed: int) -> Outcome:
    """One student: join, start, then choose for `seconds` once the game is up."""
    rng = random.Random(seed)
    out = Outcome()
    student = Student(base, name)
    try:
        await student.join(code)
        await student.connect()
        await student.wait_for("Begin", 120)
        await student.press("\r")
        await student.wait_for("Who will you be", 60)
        await student.press("1")
        await student.wait_for("What do you do", 60)
        out.ready = time.perf_counter()
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            screen = student.text()
            if "The end" in screen:  # play again, as a student would
                out.finished += 1
                await student.press("p")
                await student.wait_for("Who will you be", 60)
                await student.press("1")
                await student.wait_for("What do you do", 60)
                continue
            numbers = choices(screen)
            if not numbers:
                await student.wait_for(lambda s: bool(choices(s)) or "The end" in s, 30)
                continue
            await asyncio.sleep(think * (0.5 + rng.random()))
            sent = time.perf_counter()
            await student.press(rng.choice(numbers))
            out.latencies.append(await settle(student, sent))
            out.at.append(sent)
            out.choices += 1
    except (AssertionError, TimeoutError, OSError) as exc:
        out.error = f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        await student.close()
    return out


def session_memory(server_pid: int) -> list[int]:
    """Proportional set size (bytes) of each game process the server started."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid != server_pid:
                continue
            rollup = (entry / "smaps_rollup").read_text()
        except (OSError, IndexError, ValueError):
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
        if found:
            sizes.append(int(found.group(1)) * 1024)
    return sizes


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


async def round_of(
    served: Served, students: int, seconds: float, think: float, stagger: float
) -> list[Outcome]:
    assert served.code is not None

    async def one(n: int) -> Outcome:
        await asyncio.sleep(stagger * n / max(1, students))
        return await play(served.base, served.code or "", f"student {n + 1}", seconds, think, n)

    memory: list[int] = []

    async def measure() -> None:
        await asyncio.sleep(stagger + seconds / 2)
        memory.extend(session_memory(served.proc.pid))

    results = await asyncio.gather(*(one(n) for n in range(students)), measure())
    round_of.memory = memory  # type: ignore[attr-defined]
    return list(results[:-1])


def recorded(home: Path) -> dict[str, int]:
    db = sqlite3.connect(home / "classes.sqlite3")
    try:
        rows = db.execute(
            "SELECT s.name, COUNT(c.id) FROM students s JOIN journeys j ON j.student_id = s.id "
            "LEFT JOIN choices c ON c.journey_id = j.id AND c.undone = 0 GROUP BY s.id"
        ).fetchall()
    finally:
        db.close()
    return {name: count for name, count in rows}


def run(exe: str, students: int, seconds: float, think: float) -> None:
    home = Path(tempfile.mkdtemp(prefix="journey-bench-"))
    try:
        alone = Served(exe, "--class", "alone", home=home / "alone", scenario=str(SCENARIO))
        solo = asyncio.run(round_of(alone, 1, min(seconds, 20), think / 3, 0))
        alone.stop()
        served = Served(
            exe,
            "--class",
            "bench",
            "--max-players",
            str(students),
            home=home / "class",
            scenario=str(SCENARIO),
        )
        started = time.monotonic()
        class_results = asyncio.run(
            round_of(served, students, seconds, think, stagger=min(20.0, students * 0.5))
        )
        memory = list(round_of.memory)  # type: ignore[attr-defined]
        stop_code = served.stop()
        wall = time.monotonic() - started
        kept = recorded(home / "class")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    report(students, solo, class_results, memory, kept, stop_code, wall)


def report(
    students: int,
    solo: list[Outcome],
    many: list[Outcome],
    memory: list[int],
    kept: dict[str, int],
    stop_code: int,
    wall: float,
) -> None:
    alone = [x for o in solo for x in o.latencies]
    together = [x for o in many for x in o.latencies]
    made = {f"student {n + 1}": o.choices for n, o in enumerate(many)}
    lost = [name for name, count in made.items() if kept.get(name, 0) != count]
    errors = [o.error for o in [*solo, *many] if o.error]
    ms = 1000.0
    joined = max((o.ready for o in many), default=0.0)
    steady = [x for o in many for x, t in zip(o.latencies, o.at, strict=True) if t > joined]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"journey serve: {students} simulated students for {wall:.0f} s on {os.cpu_count()} cores "
        f"(load average at the end: {load})"
    )
    if memory:
        print(
            f"  memory per game session (PSS): median {statistics.median(memory) / 2**20:.0f} MiB, "
            f"max {max(memory) / 2**20:.0f} MiB, over {len(memory)} sessions"
        )
    print(
        f"  keypress to screen, one student alone: median {statistics.median(alone) * ms:.0f} ms, "
        f"p95 {percentile(alone, 0.95) * ms:.0f} ms ({len(alone)} keypresses)"
    )
    if together:
        med, p95 = statistics.median(together), percentile(together, 0.95)
        print(
            f"  keypress to screen, whole class:      median {med * ms:.0f} ms "
            f"({med / statistics.median(alone):.1f}x alone), p95 {p95 * ms:.0f} ms "
            f"({p95 / percentile(alone, 0.95):.1f}x alone) ({len(together)} keypresses)"
        )
    if steady:  # once every game has started, no start-up competes for the cores
        print(
            f"  the same, once every student had joined: median {statistics.median(steady) * ms:.0f} ms, "
            f"p95 {percentile(steady, 0.95) * ms:.0f} ms ({len(steady)} keypresses)"
        )
    print(
        f"  choices made {sum(made.values())}, recorded {sum(kept.get(n, 0) for n in made)}; "
        f"journeys finished {sum(o.finished for o in many)}; journeys lost: {len(lost)}"
        + (f" ({', '.join(lost)})" if lost else "")
    )
    print(f"  Ctrl-C: exit status {stop_code}; students with errors: {len(errors)}")
    for error in errors[:5]:
        print(f"    {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=45, help="how long the class plays (default 45)")
    parser.add_argument("--think", type=float, default=3, help="mean seconds between a student's choices")
    args = parser.parse_args()
    exe = shutil.which("journey") or str(Path(sys.executable).parent / "journey")
    run(exe, args.students, args.seconds, args.think)


if __name__ == "__main__":
    main()
