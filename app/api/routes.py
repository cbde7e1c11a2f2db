"""The endpoints: ask, chat (SSE), feedback, health, sources and the widget files."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from importlib import resources
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.api.errors import ApiError, error_body
from app.api.limits import bearer_ok
from app.api.origins import origin_allowed
from app.api.schemas import (
    ERRORS,
    AnswerReply,
    AskRequest,
    ClientConfig,
    ErrorOut,
    FeedbackOut,
    FeedbackRequest,
    SourcesOut,
)
from app.api.service import ApiService, Prepared
from app.errors import USER_ERRORS
from app.plan.schema import Plan, PlanRequest
from app.ratelimit import client_key, retry_after
from app.types import Answer

router = APIRouter()
log = logging.getLogger("pilotdesk.api")

_SSE_HEADERS = {
    "Cache-Control": "no-cache",
    # nginx buffers proxied responses by default; this header turns that off per response.
    "X-Accel-Buffering": "no",
}
_WIDGET_TYPES = {
    "widget.js": "text/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
}


def service(request: Request) -> ApiService:
    """The per-process service object."""
    svc: ApiService = request.app.state.ctx
    return svc


Svc = Annotated[ApiService, Depends(service)]


def rate_limited(bucket: str) -> Any:
    """A dependency that charges one request to the client's budget (bearer clients exempt)."""

    # Sync on purpose: FastAPI runs it in a thread, so a database-backed limiter can't stall
    # the event loop.
    def check(request: Request, svc: Svc) -> None:
        if bearer_ok(request, svc.settings.api.bearer_token):
            return
        wait = svc.limiter.hit(f"{bucket}:{client_key(request)}")
        if wait is not None:
            raise ApiError(
                429,
                "too many requests",
                f"wait {retry_after(wait)} s and try again",
                headers={"Retry-After": retry_after(wait)},
            )

    return Depends(check)


def channel(request: Request) -> str:
    """'widget' for browser requests (they carry Origin), else 'api'."""
    return "widget" if request.headers.get("origin") else "api"


def json_response(svc: ApiService, payload: Any, status: int = 200) -> Response:
    """JSON with secrets scrubbed from the serialised text."""
    return Response(svc.scrub.json(payload), status_code=status, media_type="application/json")


async def _prepare(svc: ApiService, body: AskRequest, request: Request) -> Prepared:
    """Validate and load the conversation in a worker thread (the store and index block)."""
    question = svc.check_question(body.question)
    return await run_in_threadpool(
        svc.prepare, question, body.conversation_id, body.backend, channel(request)
    )


@router.post(
    "/v1/ask",
    response_model=AnswerReply,
    responses={**ERRORS, 404: {"model": ErrorOut}},
    dependencies=[rate_limited("ask")],
    summary="Answer one question with citations",
)
async def ask(body: AskRequest, request: Request, svc: Svc) -> Response:
    """The answer JSON (same schema as `pilotdesk ask --json`) plus `conversation_id`."""
    prep = await _prepare(svc, body, request)
    return json_response(svc, await run_in_threadpool(svc.answer, prep))


@router.post(
    "/v1/chat",
    response_model=AnswerReply,
    responses={
        **ERRORS,
        200: {
            "description": "text/event-stream: `token` events {text}, then one `final` event "
            "with the answer JSON (or `error` {error, hint}); application/json when "
            '"stream": false or Accept: application/json',
            "content": {"text/event-stream": {}},
        },
    },
    dependencies=[rate_limited("ask")],
    summary="Chat: stream the answer as Server-Sent Events",
)
async def chat(body: AskRequest, request: Request, svc: Svc) -> Response:
    """Stream tokens then the final answer; or one JSON answer when asked for."""
    prep = await _prepare(svc, body, request)
    accept = request.headers.get("accept", "")
    wants_json = "application/json" in accept and "text/event-stream" not in accept
    if body.stream is False or (body.stream is None and wants_json):
        return json_response(svc, await run_in_threadpool(svc.answer, prep))
    return StreamingResponse(
        _events(svc, prep), media_type="text/event-stream", headers=_SSE_HEADERS
    )


def sse(svc: ApiService, event: str, data: Any) -> str:
    """One Server-Sent Event (json.dumps escapes newlines, so data is one line)."""
    return f"event: {event}\ndata: {svc.scrub.json(data)}\n\n"


async def _events(svc: ApiService, prep: Prepared) -> AsyncIterator[str]:
    """Run the synchronous answer stream in worker threads, one piece at a time."""
    done = object()
    gen: Iterator[str | Answer] = svc.assistant.stream(
        prep.question, prep.history, backend=prep.backend
    )
    try:
        while True:
            item = await run_in_threadpool(next, gen, done)
            if item is done:
                break
            if isinstance(item, Answer):
                payload = await run_in_threadpool(svc.finish, prep, item)
                yield sse(svc, "final", payload)
            else:
                yield sse(svc, "token", {"text": item})
    except Exception as exc:
        # Headers are already sent: the failure travels as an event the client can show.
        _, body = error_body(exc, svc.scrub)
        if not isinstance(exc, USER_ERRORS):
            log.exception("chat stream failed")
        yield sse(svc, "error", body)
    finally:
        # A client that left mid-answer: close the generator so a backend stream is released.
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(getattr(gen, "close", lambda: None))


@router.post(
    "/v1/feedback",
    response_model=FeedbackOut,
    status_code=201,
    responses={404: {"model": ErrorOut, "description": "Unknown answer id"}, 422: ERRORS[422]},
    dependencies=[rate_limited("feedback")],
    summary="Thumbs up or down on an answer",
)
async def feedback(body: FeedbackRequest, svc: Svc) -> Response:
    """Store feedback in the same store the staff view reads."""
    row = await run_in_threadpool(svc.store.add_feedback, body.answer_id, body.value, body.comment)
    return json_response(svc, {"ok": True, "feedback_id": row, "answer_id": body.answer_id}, 201)


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict[str, str]:
    """The process is up (says nothing about the index)."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: index loaded and default backend reachable",
    responses={503: {"description": "Not ready; body has error and hint"}},
)
async def readyz(svc: Svc) -> Response:
    """200 when the index is loaded and the default backend answers, else 503."""
    body: dict[str, Any] = {"status": "ready"}
    if not svc.warm.is_set():
        body.update(status="starting", index={"loaded": False})
        body.update(error="the index is still loading", hint="retry in a few seconds")
        return json_response(svc, body, 503)
    try:
        body["index"] = await run_in_threadpool(svc.index_status)
    except USER_ERRORS as exc:
        _, err = error_body(exc, svc.scrub)
        body.update(status="unavailable", index={"loaded": False}, **err)
    body["backend"] = await svc.backend_status()
    body["database"] = {"reachable": await run_in_threadpool(svc.store.ping)}
    if body["status"] == "ready" and not body["database"]["reachable"]:
        body.update(
            status="unavailable",
            error="the conversation database is not reachable",
            hint="check database_url and the database server",
        )
    if body["status"] == "ready" and not body["backend"]["reachable"]:
        body.update(
            status="unavailable",
            error=f"backend {body['backend']['name']!r} is not reachable",
            hint=body["backend"].get("detail", "check the backend server"),
        )
    return json_response(svc, body, 200 if body["status"] == "ready" else 503)


@router.get(
    "/v1/sources", response_model=SourcesOut, responses={503: ERRORS[503]}, summary="Indexed docs"
)
async def sources(svc: Svc) -> Response:
    """What is indexed: title, kind, URL, date and chunk count per document."""
    return json_response(svc, await run_in_threadpool(svc.sources))


@router.get("/v1/config", response_model=ClientConfig, summary="Public settings for the widget")
async def client_config(request: Request, svc: Svc) -> Response:
    """What the widget needs to know, including whether the asking page may use the API.

    It holds no secrets, so any origin may read it: a script cannot tell a CORS refusal from
    a network failure, but it can read `origin_allowed: false` and say so.
    """
    api = svc.settings.api
    origin = request.headers.get("origin")
    allowed = origin is None or origin_allowed(origin, api.allowed_origins)
    if not allowed:
        svc.refused_origins.note(str(origin))
    body = ClientConfig(
        office_hours_url=api.office_hours_url,
        official_site_url=svc.settings.ui.official_site_url,
        max_question_chars=api.max_question_chars,
        origin_allowed=allowed,
        examples=list(svc.settings.ui.examples),
    )
    response = json_response(svc, body.model_dump())
    if not allowed:
        # Allowed origins get their CORS headers from the middleware; this one answer is public.
        response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Origin"
    return response


def _widget_file(name: str) -> bytes:
    """Read a widget file from the package (works from a wheel or a checkout)."""
    return resources.files("app").joinpath("widget", name).read_bytes()


@router.get("/widget.js", include_in_schema=False)
@router.get("/widget.css", include_in_schema=False)
async def widget_file(request: Request) -> Response:
    """The widget, cacheable for five minutes and revalidated by ETag."""
    name = request.url.path.lstrip("/")
    data = _widget_file(name)
    etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": "public, max-age=300",
        # Host pages that isolate themselves (COEP) may still load the widget.
        "Cross-Origin-Resource-Policy": "cross-origin",
        "X-Content-Type-Options": "nosniff",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=_WIDGET_TYPES[name], headers=headers)


@router.post(
    "/v1/plan",
    response_model=Plan,
    responses={422: ERRORS[422], 429: ERRORS[429], 400: {"model": ErrorOut}},
    dependencies=[rate_limited("ask")],
    summary="Plan a resource request from a described workload",
)
async def plan(body: PlanRequest, svc: Svc) -> Response:
    """Fitting resources, an estimate with its arithmetic, a cited draft (as `pilotdesk plan`)."""
    from app.plan.planner import make_plan

    result = await run_in_threadpool(
        make_plan, body.workload, svc.settings, None, dict(body.overrides)
    )
    return json_response(svc, result.model_dump(mode="json"))
