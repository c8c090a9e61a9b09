"""Class-mode routes: a student's own latest answers, and the lecturer's token-protected dashboard and exports."""
import asyncio
import hmac
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from symbackprop.web import pages
from symbackprop.web.checks import RequestError
from symbackprop.web.messages import languages, messages, negotiate
from symbackprop.web.records import keys, summary
from symbackprop.web.records.store import StorageError

SECRET_HEADER = "x-student-secret"


def _authorized(server, request: Request) -> Response | None:
    """None when the request carries the lecturer's token; otherwise the 401 or 403 to answer (no data)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return JSONResponse({"error": "the lecturer's token is required: Authorization: Bearer <token>"},
                            status_code=401, headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(token.strip().encode(), server.options.teacher_token.encode()):
        return JSONResponse({"error": "wrong token"}, status_code=403)
    return None


def _lecturer(server, request: Request) -> bool:
    """Whether a request carries the lecturer's token."""
    return _authorized(server, request) is None


def teacher_routes(server) -> list[Route]:
    """The routes that exist only with --record or --database."""
    store, exercises = server.store, server.exercises
    regrader = summary.Regrader(exercises)

    def protected(handler):
        async def guarded(request: Request) -> Response:
            refusal = _authorized(server, request)
            return refusal if refusal is not None else await handler(request)
        return guarded

    async def own_answers(request: Request) -> Response:
        student = (request.query_params.get("student") or "").strip()
        if not student:
            return JSONResponse({"error": '"student" is required'}, status_code=400)
        variant = request.query_params.get("variant") or None
        try:
            exercise = server.exercise(variant)
        except RequestError as err:
            return JSONResponse({"error": err.message}, status_code=err.status)
        if not _lecturer(server, request):
            try:
                stored = await asyncio.to_thread(store.digest, student)
            except StorageError:
                return JSONResponse({"error": "the class database did not answer; try again"}, status_code=503)
            secret = request.headers.get(SECRET_HEADER)
            if secret and stored is None:  # a student id not used yet: nothing recorded
                return JSONResponse({"student": student, "answers": []})
            if not keys.matches(secret, stored):
                return JSONResponse({"error": "a student's answers need their secret (header X-Student-Secret) "
                                              "or the lecturer's token"}, status_code=403)
        rows = await asyncio.to_thread(store.latest, student, exercise.id)
        return JSONResponse({"student": student, "answers": [
            {"quantity": r.quantity, "entry": r.entry, "verdict": r.verdict, "mistake": r.mistake} for r in rows]})

    async def page(request: Request) -> Response:
        lang = negotiate(request.query_params.get("lang"), request.headers.get("accept-language"),
                         server.default_lang)
        links = [{"code": code, "name": messages(code)["language_name"], "current": code == lang,
                  "href": "?" + urlencode({"lang": code})} for code in languages()]
        return HTMLResponse(pages.teacher_page(lang, links))

    async def latest() -> list:
        """Each student's latest entries with report.csv's verdicts."""
        return await asyncio.to_thread(lambda: regrader.rows(store.latest()))

    async def summary_api(request: Request) -> Response:
        rows = await latest()
        counts = await asyncio.to_thread(store.counts)
        return JSONResponse(summary.summary(rows, counts, exercises.question_names))

    async def students_api(request: Request) -> Response:
        rows = await latest()
        asked = max(len(e.questions) for e in exercises.exercises.values())
        return JSONResponse({"students": summary.progress(rows, asked), "questions": exercises.question_names})

    async def answers_csv(request: Request) -> Response:
        rows = await asyncio.to_thread(store.latest)
        text = summary.answers_csv(rows, exercises.question_names)
        return Response(text, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="answers.csv"'})

    async def report_csv(request: Request) -> Response:
        rows = await asyncio.to_thread(store.latest)
        text = await asyncio.to_thread(regrader.report_csv, rows)
        return Response(text, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="report.csv"'})

    return [
        Route("/api/answers", own_answers),
        Route("/teacher", page),
        Route("/api/teacher/summary", protected(summary_api)),
        Route("/api/teacher/students", protected(students_api)),
        Route("/api/teacher/answers.csv", protected(answers_csv)),
        Route("/api/teacher/report.csv", protected(report_csv)),
    ]
