"""The HTTP error boundary: every failure becomes JSON `{error, hint}` with the right status."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import BackendError, ConfigError, PilotdeskError
from app.scrub import Scrubber
from app.store import UnknownAnswer
from index.errors import EmbeddingModelError, IndexMismatch, IndexNotFound

__all__ = ["ApiError", "Scrubber", "error_body", "install_error_handlers"]

log = logging.getLogger("pilotdesk.api")
# What FastAPI says when a body cannot be decoded at all (invalid UTF-8, JSON nested too deep).
_UNPARSABLE_BODY = "There was an error parsing the body"


class ApiError(StarletteHTTPException):
    """An HTTP error with a message and a hint for the caller."""

    def __init__(
        self, status: int, error: str, hint: str = "", headers: dict[str, str] | None = None
    ) -> None:
        """Keep the message, the hint and any extra headers (Retry-After, WWW-Authenticate)."""
        super().__init__(status_code=status, detail=error, headers=headers)
        self.error = error
        self.hint = hint


def error_body(exc: BaseException, scrub: Scrubber) -> tuple[int, dict[str, str]]:
    """Map an exception to a status and a scrubbed `{error, hint}` body."""
    status, error, hint = _classify(exc)
    return status, {"error": scrub.text(error), "hint": scrub.text(hint)}


def _classify(exc: BaseException) -> tuple[int, str, str]:
    """The status, message and hint for one exception."""
    if isinstance(exc, ApiError):
        return exc.status_code, exc.error, exc.hint
    message = str(exc)
    # Our messages read "what went wrong; run: the fix" — split them into error and hint.
    head, _, tail = message.partition("; run: ")
    if isinstance(exc, IndexNotFound | IndexMismatch):
        fix = f"the operator should run: {tail}" if tail else "the operator should run ingest"
        return 503, head or "no index is loaded", fix
    if isinstance(exc, UnknownAnswer):
        return 404, message, "send an answer id returned by /v1/ask or /v1/chat"
    if isinstance(exc, ConfigError):
        head, _, tail = message.partition("; ")
        return 400, head, tail or "check the backend name"
    if isinstance(exc, BackendError):
        return 502, message, "try again later, or ask with backend=extractive"
    if isinstance(exc, EmbeddingModelError):
        return 503, "the embedding model could not be loaded", "the server log has details"
    if isinstance(exc, PilotdeskError):
        return 400, message, ""
    if isinstance(exc, OperationalError):
        # The shared database is down or restarting: a retry later will work.
        return 503, "the conversation database is unavailable", "try again in a few seconds"
    return 500, "internal server error", "the server log has details; try again later"


def _response(request: Request, exc: BaseException) -> JSONResponse:
    """Render an exception as the JSON error response."""
    scrub: Scrubber = request.app.state.ctx.scrub
    status, body = error_body(exc, scrub)
    if status == 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
    elif status >= 500:  # the operator's to fix (no index, backend down): no traceback needed
        log.warning("%s %s: %s", request.method, request.url.path, exc)
    headers = getattr(exc, "headers", None) or {}
    return JSONResponse(body, status_code=status, headers=dict(headers))


def install_error_handlers(app: FastAPI) -> None:
    """Translate exceptions once, at the HTTP boundary."""

    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc, ApiError):
            return _response(request, exc)
        if exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:
            # Same class of mistake as malformed JSON, so the same status (README: 422).
            return _response(
                request,
                ApiError(
                    422,
                    "invalid request: the body could not be read as JSON",
                    "send UTF-8 JSON, nested no more than a few levels, "
                    "with Content-Type: application/json",
                ),
            )
        hints = {404: "see /docs for the endpoints", 405: "see /docs for the allowed methods"}
        error = ApiError(exc.status_code, str(exc.detail), hints.get(exc.status_code, ""))
        error.headers = exc.headers
        return _response(request, error)

    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", ""))
        return _response(
            request,
            ApiError(
                422,
                "invalid request: " + "; ".join(parts),
                'send JSON like {"question": "..."} with Content-Type: application/json',
            ),
        )

    async def on_domain(request: Request, exc: Exception) -> JSONResponse:
        return _response(request, exc)

    app.add_exception_handler(StarletteHTTPException, on_http)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]
    for cls in (PilotdeskError, IndexNotFound, IndexMismatch, EmbeddingModelError):
        app.add_exception_handler(cls, on_domain)
    # Registered on Exception, Starlette runs this outermost: a last resort without a traceback.
    app.add_exception_handler(Exception, on_domain)
