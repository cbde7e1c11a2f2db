"""The staff sign-in routes beside the app: cookie, per-address lockout shared by workers."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app.config import Settings
from app.store import Store, open_store
from app.ui.staff_auth import COOKIE, token_expiry
from app.ui.staff_routes import staff_routes

PASSWORD = "correct horse battery staple"
Worker = Callable[..., TestClient]


@pytest.fixture
def worker(sample_settings: Settings) -> Worker:
    """A new worker process each call: its own routes and store, the same database."""
    sample_settings.staff.password = SecretStr(PASSWORD)
    sample_settings.staff.max_attempts = 2
    sample_settings.staff.lockout_seconds = 30

    def make(address: str = "198.51.100.4") -> TestClient:
        store = open_store(sample_settings.paths.db_path)
        routes = staff_routes(sample_settings, lambda: store)
        app = Starlette(routes=routes)
        return TestClient(app, client=(address, 40000), follow_redirects=False)

    return make


def test_right_password_sets_a_signed_httponly_cookie(worker: Worker) -> None:
    r = worker().post("/staff/login", data={"password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/staff"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Max-Age=3600" in cookie
    token = r.cookies[COOKIE]
    until = token_expiry(token, SecretStr(PASSWORD), time.time())
    assert until is not None and until > time.time() + 3500
    assert PASSWORD not in cookie
    out = worker().post("/staff/logout")
    assert out.status_code == 303 and out.headers["location"] == "/staff?signin=out"
    assert (
        'pilotdesk_staff=""' in out.headers["set-cookie"]
        and "Max-Age=0" in out.headers["set-cookie"]
    )


def test_wrong_guesses_lock_the_address_across_workers_and_reloads(
    worker: Worker, sample_settings: Settings
) -> None:
    for _ in range(2):
        r = worker().post("/staff/login", data={"password": "guess"})
        assert r.headers["location"] == "/staff?signin=wrong" and "set-cookie" not in r.headers
    # A fresh worker (another replica, or the page reloaded) still sees the count.
    locked = worker().post("/staff/login", data={"password": PASSWORD})
    assert locked.headers["location"] == "/staff?signin=locked"
    assert "set-cookie" not in locked.headers  # even the right password waits
    # Another address is not held up by this one's guesses.
    other = worker("198.51.100.99").post("/staff/login", data={"password": PASSWORD})
    assert other.headers["location"] == "/staff" and COOKIE in other.cookies
    store: Store = open_store(sample_settings.paths.db_path)
    assert store.sign_in_failures("staff:198.51.100.4")[0] == 2


def test_posts_from_another_site_are_refused(worker: Worker) -> None:
    r = worker().post(
        "/staff/login", data={"password": PASSWORD}, headers={"Origin": "http://evil.example"}
    )
    assert r.status_code == 403 and set(r.json()) == {"error", "hint"}
    assert "set-cookie" not in r.headers
    same = worker().post(
        "/staff/login", data={"password": PASSWORD}, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 303 and COOKIE in same.cookies


def test_loopback_peers_share_one_key_with_the_page() -> None:
    from app.ui.staff_routes import client_address

    # st.context.ip_address is None on loopback: route and page must count the same key.
    assert client_address("127.0.0.1") == client_address("::1") == client_address(None) == "local"
    assert client_address("198.51.100.4") == "198.51.100.4"
