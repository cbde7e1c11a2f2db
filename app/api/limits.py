"""Request limits: body size and the optional bearer token (the rate limit: app.ratelimit)."""

from __future__ import annotations

import hmac

from pydantic import SecretStr
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import ApiError


def bearer_ok(request: Request, token: SecretStr | None) -> bool:
    """True for a request carrying the configured bearer token; 401 for a wrong one."""
    if token is None:
        return False
    header = request.headers.get("authorization", "")
    if not header:
        return False
    scheme, _, given = header.partition(" ")
    # compare_digest: the time taken must not reveal how much of the token matched.
    if scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.get_secret_value().encode()
    ):
        return True
    raise ApiError(
        401,
        "invalid bearer token",
        "send Authorization: Bearer <token> with the configured token, or no Authorization "
        "header to use the public (rate-limited) access",
        headers={"WWW-Authenticate": "Bearer"},
    )


class BodyTooLarge(ApiError):
    """The request body is over the configured limit."""

    def __init__(self, limit: int) -> None:
        """Say what the limit is."""
        super().__init__(
            413,
            f"request body too large (limit {limit} bytes)",
            "send a shorter question; the body is a small JSON object",
        )


class BodyLimitMiddleware:
    """Refuse bodies over the limit: from Content-Length at once, else while they stream in."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        """Wrap an ASGI app."""
        self.app = app
        self.limit = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length, then count the bytes actually received."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.limit
            except ValueError:
                too_big = True
            if too_big:
                await _send_error(scope, receive, send, BodyTooLarge(self.limit))
                return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # An HTTPException here reaches our handler (FastAPI re-raises those).
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, counting_receive, send)


async def _send_error(scope: Scope, receive: Receive, send: Send, exc: ApiError) -> None:
    """Answer directly from the middleware with the JSON error body."""
    from starlette.responses import JSONResponse

    body = {"error": exc.error, "hint": exc.hint}
    # Closing the connection stops a client that keeps sending a huge body.
    await JSONResponse(body, status_code=exc.status_code, headers={"Connection": "close"})(
        scope, receive, send
    )
