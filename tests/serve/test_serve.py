"""`journey serve` end to end: the installed command serves the real Textual
app; a scripted student joins over HTTP and plays over the websocket, reading
the screen through a terminal emulator, to an ending; then the class record,
the report, reloads, limits, idle sessions and Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from wsclient import Served, Student

from journey.serve.server import ClassServer, Options, new_code

CLASS = "Period 3"


@pytest.fixture
def starter(tmp_path: Path, cli: Callable[..., Any]) -> Path:
    """`journey new`'s starter: town -> river -> two endings, two personas."""
    path = tmp_path / "route.yaml"
    assert cli("new", str(path)).code == 0
    return path


@pytest.fixture
def serve(journey_exe: str, journey_home: Path, starter: Path) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*args: str) -> Served:
        served = Served(journey_exe, *args, home=journey_home, scenario=str(starter))
        started.append(served)
        return served

    yield start
    for served in started:  # as a teacher would: Ctrl-C, which ends every game
        if served.proc.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                served.stop(timeout=30)


@contextlib.asynccontextmanager
async def in_process(starter: Path, **options: Any) -> AsyncIterator[tuple[ClassServer, str]]:
    """The class server running in this process, for tests of its web pages
    that start no game (a game is a process of its own): it and its address."""
    fields = {"title": "Route", "class_name": CLASS, "port": 0, "code": new_code(), **options}
    server = ClassServer(Options(scenario=str(starter), folder=None, **fields), out=lambda line: None)
    ports: asyncio.Queue[int] = asyncio.Queue()
    running = asyncio.create_task(server.run(ready=ports.put_nowait))
    port = asyncio.create_task(ports.get())
    await asyncio.wait([running, port], timeout=30, return_when=asyncio.FIRST_COMPLETED)
    assert port.done(), "the server did not start"
    try:
        yield server, f"http://127.0.0.1:{port.result()}"
    finally:
        server.stopping.set()
        assert await running == 0


async def play_to_ending(student: Student) -> str:
    await student.wait_for("Begin"), await student.press("\r")  # the content notes
    await student.wait_for("Who will you be"), await student.press("1")  # Sam
    await student.wait_for("Walk to the river"), await student.press("2")
    await student.wait_for("Wade straight across"), await student.press("2")  # back to town
    return await student.wait_for("The end: Back in the town")


def test_a_student_joins_plays_to_an_ending_and_the_teacher_reports(
    serve: Callable[..., Served], cli: Callable[..., Any], tmp_path: Path
) -> None:
    served = serve("--class", CLASS)
    assert served.code is not None and len(served.code) == 9

    async def session() -> None:
        ana = Student(served.base, "Ana Kim")
        status, page = await ana.join("WRONG-0000")
        assert status == 403 and "join code is not right" in page
        status, page = await ana.join(served.code.lower().replace("-", " "))  # forgiving about form
        assert status == 200 and "Starting your journey, Ana Kim" in page
        await ana.connect()
        ending = await play_to_ending(ana)
        assert "an open ending" in ending
        await ana.press("t")  # the transcript: saved, and downloaded in the browser
        text = await ana.download()
        assert "- Student: Ana Kim\n- Persona: Sam" in text and "## The end: Back in the town" in text
        await ana.close()

    asyncio.run(session())
    assert served.stop() == 0
    assert any("Stopped." in line for line in served.output)

    db = sqlite3.connect(served.home / "classes.sqlite3")
    rows = db.execute(
        "SELECT s.name, j.persona, j.ending, (SELECT COUNT(*) FROM choices c WHERE c.journey_id = j.id) "
        "FROM journeys j JOIN students s ON s.id = j.student_id"
    ).fetchall()
    assert rows == [("Ana Kim", "traveller", "turned-back", 2)]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    text = cli("class", "report", CLASS)
    assert text.code == 0, text.err
    out = text.out
    assert "1 student, 1 journey (1 finished)" in out
    assert "100%" in out and "Walk to the river (1)" in out
    assert str(served.home / "classes.sqlite3") in out  # says where the record is

    page = tmp_path / "debrief.html"
    made = cli("class", "report", CLASS, "-o", str(page))
    assert made.code == 0, made.err
    html = page.read_text()
    assert html.count("<svg") >= 3 and "<script" not in html
    assert " src=" not in html and 'href="http' not in html  # the page loads nothing
    assert 'href="#journey-1"' in html and 'id="journey-1"' in html and "Student: Ana Kim" in html

    listed = cli("class", "list").out
    assert CLASS in listed and "1 students, 1 journeys (1 finished)" in listed


def test_a_reload_resumes_the_journey_where_it_was(serve: Callable[..., Served]) -> None:
    served = serve("--class", CLASS)

    async def session() -> None:
        bo = Student(served.base, "Bo")
        await bo.join(served.code)
        await bo.connect()
        await bo.wait_for("Begin"), await bo.press("\r")
        await bo.wait_for("Who will you be"), await bo.press("2")  # Alex
        await bo.wait_for("Walk to the river"), await bo.press("2")
        await bo.wait_for("Wade straight across")
        await bo.close()  # the tab is closed
        again = Student(served.base, "bo ")  # the same student, typed a little differently
        status, _ = await again.join(served.code)
        assert status == 200
        await again.connect()
        screen = await again.wait_for("Wade straight across")
        assert "The river" in screen
        await again.close()

    asyncio.run(session())
    assert served.stop() == 0
    db = sqlite3.connect(served.home / "classes.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM students").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM journeys").fetchone()[0] == 1


def test_wrong_codes_are_slowed_then_refused_for_a_while(starter: Path) -> None:
    pause = 0.05  # a second in class; short here, and still measured

    async def session() -> None:
        async with in_process(starter, wrong_code_pause=pause) as (server, base):
            eve = Student(base, "Eve")
            began = time.monotonic()
            statuses = [(await eve.join(f"ABCD-{n:04d}"))[0] for n in range(3)]
            assert statuses == [403, 403, 403]
            assert time.monotonic() - began >= 3 * pause  # each wrong code waited
            status, page = await eve.join(server.options.code)  # even the right code waits now
            assert status == 429 and "Too many wrong join codes" in page
            await eve.close()

    asyncio.run(session())


def test_a_full_class_says_so(serve: Callable[..., Served]) -> None:
    served = serve("--max-players", "1")

    async def session() -> None:
        first, second = Student(served.base, "One"), Student(served.base, "Two")
        await first.join(served.code)
        await first.connect()
        await first.wait_for("Begin")
        status, page = await second.join(served.code)
        assert status == 503 and "The class is full" in page and "1 students are playing" in page
        await first.close()
        await second.close()

    asyncio.run(session())


def test_an_idle_session_ends_saved(serve: Callable[..., Served]) -> None:
    # 1.8 seconds from the last key (a slow start does not count): long enough
    # for the game to answer a key on a busy machine, short for a test
    served = serve("--idle-minutes", "0.03")

    async def session() -> None:
        cy = Student(served.base, "Cy")
        await cy.join(served.code)
        await cy.connect()
        await cy.wait_for("Begin"), await cy.press("\r")
        await cy.wait_for("Who will you be"), await cy.press("1")
        await cy.wait_for("Walk to the river")
        await asyncio.wait_for(cy.closed.wait(), 30)  # the server ended it
        await cy.close()

    asyncio.run(session())
    served.wait_line("was idle")
    saves = list((served.home / "classes").glob("*/*/saves/*.json"))
    assert len(saves) == 1


def test_ctrl_c_ends_every_game_and_keeps_every_choice(serve: Callable[..., Served]) -> None:
    served = serve()

    async def session() -> list[Student]:
        players = [Student(served.base, f"P{n}") for n in range(3)]
        for p in players:
            await p.join(served.code)
            await p.connect()
        for p in players:
            await p.wait_for("Begin"), await p.press("\r")
            await p.wait_for("Who will you be"), await p.press("1")
            await p.wait_for("Walk to the river"), await p.press("2")
            await p.wait_for("Wade straight across")
        return players

    async def stop(players: list[Student]) -> None:
        assert await asyncio.to_thread(served.stop) == 0
        for p in players:
            await asyncio.wait_for(p.closed.wait(), 10)
            await p.close()

    async def both() -> None:
        await stop(await session())

    asyncio.run(both())
    assert any("3 open journeys were saved and ended" in line for line in served.output)
    db = sqlite3.connect(served.home / "classes.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM choices").fetchone()[0] == 3


def test_open_is_only_for_this_computer(cli: Callable[..., Any]) -> None:
    done = cli("serve", "--open", "--host", "0.0.0.0")
    assert done.code == 2
    assert "only for this computer" in done.err


def test_misuse_and_a_busy_port_are_explained(
    cli: Callable[..., Any], run_exe: Callable[..., subprocess.CompletedProcess[bytes]], starter: Path
) -> None:
    for args, word in [
        (["--port", "99999"], "--port must be"),
        (["--max-players", "0"], "--max-players must be"),
        (["--idle-minutes", "0"], "--idle-minutes must be"),
        (["no-such.yaml"], "No such scenario file"),
        (["--dir", "no-such-folder"], "no such folder"),
    ]:
        done = cli("serve", *args)  # in this process: a traceback would fail the test
        assert done.code == 2 and word in done.err, args

    async def busy() -> None:
        async with in_process(starter) as (_, base):
            port = base.rsplit(":", 1)[1]
            done = await asyncio.to_thread(run_exe, "serve", "--port", port)  # the installed command
            assert done.returncode == 1 and b"choose another port with --port" in done.stdout + done.stderr
            assert b"Traceback" not in done.stderr

    asyncio.run(busy())


def test_no_code_asked_with_open(serve: Callable[..., Served]) -> None:
    served = serve("--open")
    assert served.code is None

    async def session() -> None:
        me = Student(served.base, "<b>Teacher</b>\x1b[31m")
        status, page = await me.join(None)
        assert status == 200 and "Starting your journey, &lt;b&gt;Teacher&lt;/b&gt;[31m" in page
        await me.close()

    asyncio.run(session())


def test_a_report_never_writes_over_the_class_record(cli: Callable[..., Any], journey_home: Path) -> None:
    from journey.classroom import record

    db = record.connect(journey_home / "classes.sqlite3")
    record.class_id(db, "7B", create=True)
    db.close()
    before = (journey_home / "classes.sqlite3").read_bytes()
    link = journey_home / "debrief.html"  # a link to the record, as a slip could make
    link.symlink_to(journey_home / "classes.sqlite3")
    done = cli("class", "report", "7B", "-o", str(link))
    assert done.code == 2 and "is a database" in done.err
    assert (journey_home / "classes.sqlite3").read_bytes() == before
    wrong = cli("class", "report", "7C")
    assert wrong.code == 1 and "no class called" in wrong.err and "7B" in wrong.err
    assert cli("class", "delete", "7B").code == 2  # asks first; no terminal here: --yes
    assert cli("class", "delete", "7B", "--yes").code == 0
    assert "No classes yet" in cli("class", "list").out


def games_of(server: int) -> list[int]:
    """The game processes a server started (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(
                server
            ):
                found.append(int(entry.name))
        except (OSError, IndexError):
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_games_end_when_the_server_is_killed(serve: Callable[..., Served]) -> None:
    served = serve()

    async def session() -> list[int]:
        kim = Student(served.base, "Kim")
        await kim.join(served.code)
        await kim.connect()
        await kim.wait_for("Begin")
        games = games_of(served.proc.pid)
        served.proc.kill()  # no Ctrl-C: the server is gone at once
        await asyncio.wait_for(kim.closed.wait(), 30)
        await kim.close()
        return games

    games = asyncio.run(session())
    served.proc.wait()
    assert len(games) == 1
    for _ in range(300):  # the game notices within a second or two
        if (
            not Path(f"/proc/{games[0]}").exists()
            or "Z" in Path(f"/proc/{games[0]}/stat").read_text().split()[2]
        ):
            break
        time.sleep(0.1)  # polling another process's exit: there is no event to await
    else:
        raise AssertionError("the game outlived its server")
