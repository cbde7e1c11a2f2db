"""Which browser origins may use the API: JSON refusals, and each refused origin logged once."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp

log = logging.getLogger("pilotdesk.api")

SETTING = "api.allowed_origins (PILOTDESK_API__ALLOWED_ORIGINS)"
# A site can send any Origin header; the set is bounded so they cannot fill the memory.
_MAX_REMEMBERED = 1000


class RefusedOrigins:
    """Logs a refused origin the first time it is seen in this process, then stays quiet."""

    def __init__(self) -> None:
        """Start with nothing seen."""
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def note(self, origin: str) -> bool:
        """Log this refused origin unless it was logged before; True when it was logged now."""
        with self._lock:
            if origin in self._seen or len(self._seen) >= _MAX_REMEMBERED:
                return False
            self._seen.add(origin)
        log.warning(
            "refused browser origin %r: the widget is not served to it; add it to %s to allow it",
            origin,
            SETTING,
        )
        return True


def origin_allowed(origin: str, allowed: tuple[str, ...] | list[str]) -> bool:
    """True when a browser on `origin` may call the API (same rule as the CORS middleware)."""
    return "*" in allowed or origin in allowed


class JsonCORSMiddleware(CORSMiddleware):
    """Starlette's CORS handling, with refused preflights as JSON `{error, hint}`."""

    def __init__(
        self,
        app: ASGIApp,
        refused: RefusedOrigins,
        allow_origins: Sequence[str] = (),
        allow_methods: Sequence[str] = ("GET",),
        allow_headers: Sequence[str] = (),
        expose_headers: Sequence[str] = (),
        max_age: int = 600,
    ) -> None:
        """Wrap the app; `refused` records origins turned away."""
        super().__init__(
            app,
            allow_origins=allow_origins,
            allow_methods=allow_methods,
            allow_headers=allow_headers,
            expose_headers=expose_headers,
            max_age=max_age,
        )
        self.refused = refused

    def preflight_response(self, request_headers: Headers) -> Response:
        """The preflight answer; a refusal says what was refused and which setting allows it."""
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        origin = request_headers.get("origin", "")
        what = bytes(response.body).decode("utf-8", "replace")  # "Disallowed CORS origin, ..."
        if not self.is_allowed_origin(origin=origin):
            self.refused.note(origin)
            hint = f"the site owner can add {origin} to {SETTING}"
        else:
            hint = "the widget sends only GET and POST with Content-Type, Accept, Authorization"
        body = json.dumps({"error": what.replace("Disallowed CORS", "refused CORS"), "hint": hint})
        headers = {
            k: v for k, v in response.headers.items() if k.lower() not in ("content-length",)
        }
        headers["content-type"] = "application/json"
        return Response(body, status_code=400, headers=headers)
