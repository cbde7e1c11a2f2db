"""The staff sign-in and sign-out routes served beside the Streamlit app (see launcher.py).

A Streamlit script cannot set an HttpOnly cookie, so these two small routes do: the staff page
posts its password form here, and later verifies the cookie through `st.context.cookies`.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from app.config import Settings
from app.store import Store
from app.ui.staff_auth import COOKIE, Attempt, Throttle, issue_token

log = logging.getLogger("pilotdesk.ui")

LOGIN_PATH = "/staff/login"
LOGOUT_PATH = "/staff/logout"
_MAX_FORM_BYTES = 4096


def client_address(host: object) -> str:
    """The key wrong guesses are counted under: the direct peer's address.

    Streamlit's `st.context.ip_address` is None for loopback connections, so the route and the
    page both file every loopback (and unknown) peer under "local" to agree on the count.
    """
    if not isinstance(host, str) or not host:
        return "local"
    try:
        return "local" if ipaddress.ip_address(host).is_loopback else host
    except ValueError:
        return host


def _same_origin(request: Request) -> bool:
    """Refuse form posts from other sites (a browser always sends Origin with a POST)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def staff_routes(
    settings: Settings, store: Callable[[], Store], base_path: str = ""
) -> list[BaseRoute]:
    """The two routes, bound to the settings and a store shared with the pages."""
    throttle = Throttle(settings.staff.max_attempts, settings.staff.lockout_seconds)
    staff_url = f"{base_path.rstrip('/')}/staff"

    def back(outcome: str = "") -> RedirectResponse:
        return RedirectResponse(f"{staff_url}?signin={outcome}" if outcome else staff_url, 303)

    async def login(request: Request) -> Response:
        secret = settings.staff.password
        if secret is None or not secret.get_secret_value():
            return JSONResponse(
                {"error": "the staff view is disabled", "hint": "set staff.password"}, 404
            )
        if not _same_origin(request):
            return JSONResponse(
                {"error": "sign-in from another site refused", "hint": f"open {staff_url}"}, 403
            )
        raw = await request.body()
        if len(raw) > _MAX_FORM_BYTES:
            return back("wrong")
        form = parse_qs(raw.decode("utf-8", "replace"), max_num_fields=5)
        entered = (form.get("password") or [""])[0]
        client = client_address(request.client.host if request.client else None)
        now = time.time()
        result = throttle.attempt(store(), client, entered, secret, now)
        if result is Attempt.LOCKED:
            return back("locked")
        if result is Attempt.WRONG:
            log.warning("wrong staff password from %s", client)
            return back("wrong")
        lifetime = settings.staff.session_minutes * 60
        response = back()
        response.set_cookie(
            COOKIE,
            issue_token(secret, now, lifetime),
            max_age=lifetime,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response

    async def logout(request: Request) -> Response:
        if not _same_origin(request):
            return JSONResponse(
                {"error": "sign-out from another site refused", "hint": f"open {staff_url}"}, 403
            )
        response = back("out")
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
        return response

    return [
        Route(LOGIN_PATH, login, methods=["POST"]),
        Route(LOGOUT_PATH, logout, methods=["POST"]),
    ]
