"""The web server of `journey serve`, built on textual-serve.

Each browser tab gets its own process running the real Textual app (textual-
serve's `AppService`, started with our own command and environment). In front
of it sits a join page: the class's join code and the student's name, checked
here, so no game process starts for someone without the code. Pages are our
own templates with the font files textual-serve ships: nothing is fetched from
anywhere but this server.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import secrets
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .. import saves
from ..classroom import record
from .session import ENV, Config

HERE = Path(__file__).parent
COOKIE = "journey_student"
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O: they look like 1 and 0
FREE_TRIES = 3  # wrong codes before each further try from that device waits
WRONG_CODE_PAUSE = 1.0  # seconds every wrong code waits, so guessing is slow
STOP_TIMEOUT = 10.0


def new_code() -> str:
    letters = "".join(secrets.choice(CODE_LETTERS) for _ in range(4))
    return f"{letters}-{secrets.randbelow(10_000):04d}"


def normal_code(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Options:
    scenario: str | None
    folder: str | None
    title: str
    class_name: str
    host: str = "127.0.0.1"
    port: int = 8000
    code: str | None = None  # None: no code asked (--open, loopback only)
    max_players: int = 40
    idle_seconds: float = 20 * 60
    wrong_code_pause: float = WRONG_CODE_PAUSE  # a test makes it short
    database: Path = field(default_factory=record.default_path)


@dataclass(frozen=True)
class Student:
    id: int
    name: str


@dataclass
class Live:
    """A student's game being played now."""

    student: Student
    websocket: web.WebSocketResponse
    service: StudentService
    last_input: float = field(default_factory=time.monotonic)


@dataclass
class Tries:
    wrong: int = 0
    wait_until: float = 0.0


class StudentService(AppService):
    """textual-serve's app process, started without a shell, with the student's
    environment, and in its own session so the teacher's Ctrl-C reaches the
    server, which ends every game in order."""

    def __init__(self, argv: list[str], env: dict[str, str], **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv, self.extra_env = argv, env
        self.drawn = False  # the game has drawn its first screen

    async def on_data(self, payload: bytes) -> None:
        self.drawn = True
        await super().on_data(payload)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment.update(self.extra_env)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
            start_new_session=True,
        )
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def kill(self) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.kill()


class ClassServer(Server):
    def __init__(self, options: Options, out: Callable[[str], None] = print) -> None:
        super().__init__(command="journey", host=options.host, port=options.port, title=options.title)
        self.options, self.out = options, out
        self.db = record.connect(options.database)
        class_id = record.class_id(self.db, options.class_name, create=True)
        assert class_id is not None
        self.class_id = class_id
        self.tokens: dict[str, Student] = {}
        self.live: dict[int, Live] = {}
        self.tries: dict[str, Tries] = {}
        self.stopping = asyncio.Event()
        self.port = options.port

    # -- the web application ---------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.post("/join", self.handle_join),
                web.get("/leave", self.handle_leave),
                web.get("/ws", self.handle_websocket),
                web.get("/download/{key}", self.handle_download),
                web.get("/favicon.ico", self.handle_favicon),
                web.static("/journey", HERE / "static"),
                web.static("/static", self.statics_path),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    def _page(self, request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
        context.setdefault("title", self.options.title)
        response = aiohttp_jinja2.render_template(template, request, context, status=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
            "connect-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'"
        )
        return response

    def _message(
        self, request: web.Request, heading: str, message: str, status: int, retry: int = 0
    ) -> web.Response:
        return self._page(request, "message.html", status, heading=heading, message=message, retry=retry)

    def _join_page(
        self, request: web.Request, problem: str = "", name: str = "", status: int = 200
    ) -> web.Response:
        welcome = f"Welcome to the class “{self.options.class_name}”."
        return self._page(
            request,
            "join.html",
            status,
            welcome=welcome,
            problem=problem,
            name=name,
            ask_code=self.options.code is not None,
        )

    def _full(self, request: web.Request) -> web.Response:
        return self._message(
            request,
            "The class is full",
            f"{self.options.max_players} students are playing now, the most this class "
            "takes. Tell your teacher; you can join as soon as someone leaves.",
            503,
            retry=20,
        )

    def student_of(self, request: web.Request) -> Student | None:
        return self.tokens.get(request.cookies.get(COOKIE, ""))

    async def handle_index(self, request: web.Request) -> web.Response:
        student = self.student_of(request)
        if student is None:
            return self._join_page(request)
        if self._is_full(student):
            return self._full(request)
        font = request.query.get("fontsize", "16")
        return self._page(
            request, "play.html", student=student.name, font_size=int(font) if font.isdigit() else 16
        )

    def _is_full(self, student: Student | None) -> bool:
        playing = student is not None and student.id in self.live
        return not playing and len(self.live) >= self.options.max_players

    async def handle_join(self, request: web.Request) -> web.Response:
        form = await request.post()
        name = record.clean_name(str(form.get("name", "")))
        device = request.remote or "?"
        tries = self.tries.setdefault(device, Tries())
        wait = tries.wait_until - time.monotonic()
        if wait > 0:
            return self._message(
                request,
                "Too many wrong codes",
                f"Too many wrong join codes came from this device. Try again in {int(wait) + 1} seconds, "
                "with the code your teacher shows.",
                429,
                retry=int(wait) + 1,
            )
        if self.options.code is not None and not hmac.compare_digest(
            normal_code(str(form.get("code", ""))), normal_code(self.options.code)
        ):
            tries.wrong += 1
            if tries.wrong >= FREE_TRIES:
                tries.wait_until = time.monotonic() + min(300.0, 5.0 * 2 ** (tries.wrong - FREE_TRIES))
            await asyncio.sleep(self.options.wrong_code_pause)
            return self._join_page(
                request,
                "that join code is not right. Check it on the board (letters, a dash, then numbers).",
                name,
                403,
            )
        self.tries.pop(device, None)
        if not name:
            return self._join_page(request, "type your name or a nickname (up to 40 characters).", "", 400)
        student = Student(record.student_id(self.db, self.class_id, name), name)
        if student.id in self.live and self.student_of(request) != student:
            return self._join_page(
                request,
                f"someone called “{name}” is playing right now. If that is you in another tab or on "
                "another computer, close it first (or wait a minute after a crash); otherwise add an "
                "initial to your name.",
                name,
                409,
            )
        if self._is_full(student):
            return self._full(request)
        token = secrets.token_urlsafe(24)
        self.tokens[token] = student
        response = web.HTTPSeeOther("/")
        response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", max_age=12 * 3600)
        raise response

    async def handle_leave(self, request: web.Request) -> web.Response:
        self.tokens.pop(request.cookies.get(COOKIE, ""), None)
        response = web.HTTPSeeOther("/")
        response.del_cookie(COOKIE)
        raise response

    async def handle_favicon(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(HERE / "static" / "favicon.svg", headers={"Content-Type": "image/svg+xml"})

    # -- a student's game ------------------------------------------------------------
    def student_home(self, student: Student) -> Path:
        return saves.home() / "classes" / str(self.class_id) / str(student.id)

    def _service(self, student: Student, websocket: web.WebSocketResponse) -> StudentService:
        config = Config(
            self.options.scenario, self.options.folder, str(self.options.database), student.id, student.name
        )
        env = {ENV: config.to_env(), "JOURNEY_HOME": str(self.student_home(student))}
        return StudentService(
            [sys.executable, "-m", "journey.serve.session"],
            env,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        student = self.student_of(request)
        origin = request.headers.get("Origin")
        if student is None or (origin is not None and origin.split("//", 1)[-1] != request.host):
            raise web.HTTPForbidden(text="Join the class first.")
        if self._is_full(student) or self.stopping.is_set():
            raise web.HTTPServiceUnavailable(text="The class is full.")
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        old = self.live.get(student.id)
        if old is not None:  # a reload, or the same student in a new tab: one game each
            await self.end(old)
        service = self._service(student, websocket)
        live = Live(student, websocket, service)
        self.live[student.id] = live
        try:
            width = _int(request.query.get("width"), 80)
            height = _int(request.query.get("height"), 24)
            await service.start(width, height)
            await self._relay(live)
        except Exception as error:  # a broken connection must not stop the class
            self.out(f"journey serve: a session of {student.name} failed: {error}")
        finally:
            await self.end(live)
        return websocket

    async def _relay(self, live: Live) -> None:
        """The browser's keys and size to the game: textual-serve's protocol."""
        service = live.service
        async for message in live.websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1]
            except (ValueError, IndexError, KeyError, TypeError):
                continue
            if kind == "stdin" and isinstance(data, str):
                live.last_input = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(_int(data.get("width"), 80), _int(data.get("height"), 24))
            elif kind == "ping":
                await live.websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def end(self, live: Live) -> None:
        """End a game: the app is told to quit (every choice is saved already)
        and is stopped for good if it does not within a few seconds."""
        if self.live.get(live.student.id) is live:
            del self.live[live.student.id]
        try:
            await asyncio.wait_for(live.service.stop(), STOP_TIMEOUT)
        except (TimeoutError, ConnectionError, RuntimeError):
            live.service.kill()
        if not live.websocket.closed:
            await live.websocket.close()

    async def _end_idle(self) -> None:
        every = max(0.2, min(30.0, self.options.idle_seconds / 4))
        while not self.stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), every)
            now = time.monotonic()
            for live in list(self.live.values()):
                if not live.service.drawn:  # still starting (a busy laptop): not idle yet
                    live.last_input = now
                elif now - live.last_input > self.options.idle_seconds:
                    self.out(f"journey serve: {live.student.name} was idle; their session ended (saved).")
                    await self.end(live)

    async def on_shutdown(self, app: web.Application) -> None:
        sessions = list(self.live.values())
        await asyncio.gather(*(self.end(live) for live in sessions))
        self.out(f"Stopped. {len(sessions)} open journeys were saved and ended.")

    # -- running -------------------------------------------------------------------------
    async def run(self, ready: Callable[[int], None] | None = None) -> int:
        app = await self._make_app()
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.options.host, self.options.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            print(
                f"journey serve: cannot listen on {self.options.host}:{self.options.port} "
                f"({exc.strerror or exc}); choose another port with --port",
                file=sys.stderr,
            )
            return 1
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.options.port
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, self.stopping.set)
        self._announce()
        if ready is not None:
            ready(self.port)
        idle = asyncio.create_task(self._end_idle())
        await self.stopping.wait()
        self.out("\nStopping: saving and ending every journey...")
        await runner.cleanup()
        await idle
        self.db.close()
        return 0

    def _announce(self) -> None:
        o = self.options
        self.out(f"journey serve: the class “{o.class_name}” plays {o.title}.")
        self.out("Students open, in a browser on this network:" if not is_loopback(o.host) else "Open:")
        for address in addresses(o.host):
            self.out(f"    http://{address}:{self.port}/")
        if o.code is not None:
            self.out(f"Join code: {o.code}")
        else:
            self.out("No join code (--open): only this computer can join.")
        self.out(f"Up to {o.max_players} players; idle sessions end after {_minutes(o.idle_seconds)}.")
        self.out(f"Class record: {o.database} (see it with: journey class report {_quoted(o.class_name)})")
        self.out("Press Ctrl-C to stop; every journey is saved.")


def addresses(host: str) -> list[str]:
    """What students type: the host itself, or for a wildcard the machine's own
    addresses (found locally: nothing is sent)."""
    if host not in ("0.0.0.0", "::", ""):
        return [f"[{host}]" if ":" in host else host]
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.254.254.254", 1))  # picks the outgoing interface; UDP sends nothing
        found.append(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    ordered = [a for a in dict.fromkeys(found) if not a.startswith("127.")]
    return ordered or ["127.0.0.1"]


def _int(value: object, default: int) -> int:
    try:
        return max(1, min(1000, int(str(value))))
    except ValueError:
        return default


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} minutes" if seconds >= 60 else f"{seconds:g} seconds"


def _quoted(name: str) -> str:
    return name if name.replace("-", "").isalnum() else json.dumps(name)
