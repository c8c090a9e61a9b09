"""The ASGI application: the student page, the JSON API and, in class mode, the lecturer's dashboard."""
import asyncio
import contextlib
import json
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from symbackprop.checking.claims import number_from_text
from symbackprop.web import pages
from symbackprop.web.checks import MAX_ENTRY_CHARS, NumberVerdicts, RequestError, read_entries, validate_names
from symbackprop.web.exercise import ExerciseSet, UnknownVariant
from symbackprop.web.messages import fill, languages, messages, negotiate
from symbackprop.web.pool import JobTimeout, PoolBusy, WorkerPool
from symbackprop.web.records import keys
from symbackprop.web.records.committer import GroupCommitter
from symbackprop.web.records.store import StorageError, rows_for
from symbackprop.web.worker import Checkers

MAX_BODY = 16 * 1024
MAX_ID_CHARS = 80
MAX_REMEMBERED_SLOW = 10_000
MAX_REMEMBERED_STUDENTS = 100_000
SUBMISSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff",
                    "referrer-policy": "no-referrer", "x-frame-options": "DENY"}


@dataclass(frozen=True)
class ServeOptions:
    """How the server answers: reveal correct values, default language, worker processes and their hard limit."""

    reveal: bool = False
    lang: str | None = None  # the language when the browser asks for none we have
    workers: int = 3
    limit: float = 3.0  # seconds one symbolic job may run before its worker is killed
    teacher_token: str | None = None


class SecurityHeaders:
    """Adds the Content-Security-Policy (no inline script) and related headers to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    headers[key] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def error(status: int, message: str, **extra) -> JSONResponse:
    """{"error": message} with a status."""
    return JSONResponse({"error": message, **extra}, status_code=status)


async def read_json(request: Request) -> dict:
    """The JSON object of a request body, refused past MAX_BODY bytes."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        raise RequestError(413, f"the request body is {length} bytes; the limit is {MAX_BODY}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise RequestError(413, f"the request body is over {MAX_BODY} bytes; the limit is {MAX_BODY}")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise RequestError(400, "expected a JSON object") from None
    if not isinstance(data, dict):
        raise RequestError(400, "expected a JSON object")
    return data


def identifier(value, what: str, required: bool) -> str | None:
    """A variant or student id as typed (trimmed), at most MAX_ID_CHARS printable characters."""
    if value is None or value == "":
        if required:
            raise RequestError(400, f'"{what}" is required')
        return None
    if not isinstance(value, str):
        raise RequestError(400, f'"{what}": expected text')
    value = value.strip()
    if not value or len(value) > MAX_ID_CHARS or not value.isprintable():
        raise RequestError(400, f'"{what}": expected 1 to {MAX_ID_CHARS} printable characters')
    return value


class Server:
    """The state behind the routes: the exercises, the in-process checkers, the worker pool and the class store."""

    def __init__(self, exercises: ExerciseSet, options: ServeOptions, store=None):
        self.exercises, self.options, self.store = exercises, options, store
        specs = {key: e.spec for key, e in exercises.exercises.items()}
        self.checkers = Checkers(specs)
        self.numbers: dict[str, NumberVerdicts] = {}
        self.slow: set = set()  # expressions that ran past the hard limit, answered at once when sent again
        self.digests: dict[str, str] = {}  # student id -> digest of their secret (never changes once stored)
        self.committer = GroupCommitter(store) if store is not None else None
        self.pool = WorkerPool(specs, size=options.workers, limit=options.limit)

    def exercise(self, variant):
        """The exercise of a request's variant, or a 404 naming the problem."""
        try:
            return self.exercises.get(variant)
        except UnknownVariant:
            if variant is None:
                raise RequestError(400, '"variant" is required: this server serves an exam\'s variants') from None
            raise RequestError(404, f"unknown variant {variant!r}") from None

    # -- pages -------------------------------------------------------------------------------------
    async def student_page(self, request: Request) -> Response:
        lang = negotiate(request.query_params.get("lang"), request.headers.get("accept-language"), self.default_lang)
        words = messages(lang)
        variant = request.query_params.get("variant", "").strip()[:MAX_ID_CHARS] or None
        student = request.query_params.get("student", "").strip()[:MAX_ID_CHARS] or None
        problem, exercise = "", None
        has_variant = variant is not None or not self.exercises.needs_variant
        ready = has_variant and (student is not None or self.store is None)
        if ready:
            try:
                exercise = self.exercises.get(variant)
            except UnknownVariant:
                problem = fill(words["unknown_variant"], variant=variant)
        keep = {key: value for key, value in (("variant", variant), ("student", student)) if value}
        links = [{"code": code, "name": messages(code)["language_name"], "current": code == lang,
                  "href": "?" + urlencode({**keep, "lang": code})} for code in languages()]
        # a variant's first view computes its precisions (tens of milliseconds): off the event loop
        html = await asyncio.to_thread(
            pages.student_page, self.exercises, exercise, lang, links, variant=variant, student=student,
            problem=problem, record=self.store is not None, reveal=self.options.reveal)
        return HTMLResponse(html)

    @property
    def default_lang(self) -> str:
        return self.options.lang or "en"

    # -- API ---------------------------------------------------------------------------------------
    async def api_exercise(self, request: Request) -> Response:
        lang = negotiate(request.query_params.get("lang"), request.headers.get("accept-language"), self.default_lang)
        exercise = self.exercise(request.query_params.get("variant") or None)
        return JSONResponse(await asyncio.to_thread(pages.view, self.exercises, exercise, lang))

    async def api_check(self, request: Request) -> Response:
        body = await read_json(request)
        exercise = self.exercise(identifier(body.get("variant"), "variant", False))
        student = identifier(body.get("student"), "student", self.store is not None)
        entries = read_entries(body.get("claims"))
        entry = body.get("entry")
        if entry is not None and entry not in {e.name for e in entries}:
            raise RequestError(400, '"entry" must name one of the claims')
        validate_names(self.checkers.get(exercise.id), entries)
        answer = await self.check(exercise.id, entries)
        if self.store is not None and body.get("record", True) is not False:
            issued = await self.admit(request, student, body.get("secret"))
            try:
                answer.update(await self.record(request, body, exercise.id, student, entries, entry, answer))
            except RequestError as err:
                if issued:  # the student is registered: the secret must reach them even though this is not saved
                    return error(err.status, err.message, secret=issued)
                raise
            if issued:
                answer["secret"] = issued
        return JSONResponse(answer)

    async def admit(self, request, student: str, secret) -> str | None:
        """Check the secret of a student id (403 when it is not theirs); a student id used for the first time is
        registered with the secret sent, or with a new one, which is returned to be shown once."""
        if secret is not None and (not isinstance(secret, str) or not keys.SECRET.fullmatch(secret)):
            raise RequestError(400, '"secret": expected 16 to 128 letters, digits, - or _')
        stored = self.digests.get(student)
        try:
            if stored is None:
                stored = await asyncio.to_thread(self.store.digest, student)
            issued = None
            if stored is None:
                issued = secret or keys.new_secret()
                stored = await asyncio.to_thread(self.store.register, student, keys.digest(issued))
                secret, issued = issued, (issued if secret is None else None)
        except StorageError:
            raise RequestError(503, self.words(request)["not_saved"]) from None
        if not keys.matches(secret, stored):
            raise RequestError(403, fill(self.words(request)["student_taken"], student=student))
        if len(self.digests) < MAX_REMEMBERED_STUDENTS:
            self.digests[student] = stored
        return issued

    def words(self, request) -> dict:
        """The page words in the language of a request's Accept-Language."""
        return messages(negotiate(None, request.headers.get("accept-language"), self.default_lang))

    async def check(self, variant: str, entries) -> dict:
        """Numbers in process (fast); anything with an expression in a worker under the hard limit."""
        reveal = self.options.reveal
        exercise = self.exercises.exercises[variant]
        if not any(e.symbolic for e in entries):
            if variant not in self.numbers:
                self.numbers[variant] = NumberVerdicts(self.checkers.get(variant), exercise.judged,
                                                       frozenset(exercise.answers))
            return self.numbers[variant].check(entries, reveal)
        slow_key = (variant, tuple(sorted((e.name, e.value) for e in entries if e.symbolic)))
        try:
            if slow_key in self.slow:  # ran past the limit before: not run again
                raise JobTimeout()
            judged = {e.name: exercise.judged(e.name) for e in entries if not e.symbolic}
            outcome = await self.pool.run(("check", variant, (entries, judged), reveal))
        except JobTimeout:
            if len(self.slow) < MAX_REMEMBERED_SLOW:
                self.slow.add(slow_key)
            numbers = [e for e in entries if not e.symbolic]
            answer = await self.check(variant, numbers) if numbers else {"claims": [], "invalid": []}
            answer["invalid"] += [{"name": e.name, "reason": "timeout",
                                   "error": f"checking took longer than {self.options.limit:g} s; write it more "
                                            f"simply"} for e in entries if e.symbolic]
            return answer
        except PoolBusy:
            raise RequestError(503, "the server is busy; try again in a moment") from None
        except (EOFError, OSError):
            raise RequestError(500, "a checking worker stopped; try again") from None
        if outcome[0] == "refused":
            raise RequestError(outcome[1], outcome[2])
        return outcome[1]

    async def record(self, request, body, variant, student, entries, entry, answer) -> dict:
        """Store the checked entry (or every claim when none is named); acknowledged only once committed."""
        submission = body.get("submission") or uuid.uuid4().hex
        if not isinstance(submission, str) or not SUBMISSION_ID.fullmatch(submission):
            raise RequestError(400, '"submission": expected 1 to 64 letters, digits, - or _')
        rows = rows_for(submission, student, variant, entries, entry, answer)
        try:
            await self.committer.record(rows)
        except StorageError:
            raise RequestError(503, self.words(request)["not_saved"]) from None
        return {"saved": True, "submission": submission}

    async def api_preview(self, request: Request) -> Response:
        body = await read_json(request)
        exercise = self.exercise(identifier(body.get("variant"), "variant", False))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise RequestError(400, '"text": expected the entry typed so far')
        if len(text) > MAX_ENTRY_CHARS:
            raise RequestError(413, f"the entry is {len(text)} characters long; the limit is {MAX_ENTRY_CHARS}")
        if number_from_text(text) is not None:
            return JSONResponse({"tex": text.strip().replace(",", "{,}")})
        try:
            outcome = await self.pool.run(("preview", exercise.id, text, False))
        except JobTimeout:
            return JSONResponse({"error": "this takes too long to read"})
        except PoolBusy:
            raise RequestError(503, "the server is busy; try again in a moment") from None
        if outcome[0] == "refused":
            raise RequestError(outcome[1], outcome[2])
        return JSONResponse(outcome[1])


def _guard(handler):
    async def guarded(request: Request) -> Response:
        try:
            return await handler(request)
        except RequestError as err:
            return error(err.status, err.message)
    return guarded


def create_app(exercises: ExerciseSet, options: ServeOptions = ServeOptions(), store=None) -> Starlette:
    """The application serving exactly these exercises."""
    server = Server(exercises, options, store)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await server.pool.start()
        try:
            yield
        finally:
            await server.pool.close()

    routes = [
        Route("/", _guard(server.student_page)),
        Route("/api/exercise", _guard(server.api_exercise)),
        Route("/api/check", _guard(server.api_check), methods=["POST"]),
        Route("/api/preview", _guard(server.api_preview), methods=["POST"]),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(packages=[("symbackprop.web", "static")]), name="static"),
    ]
    if store is not None:
        from symbackprop.web.teacher import teacher_routes
        routes += teacher_routes(server)
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.server = server
    app.add_middleware(SecurityHeaders)
    return app
