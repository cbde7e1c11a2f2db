"""Errors as {error, hint}, model backends through the API, and no secret in any response."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.answer import Assistant
from app.config import BackendProfile, Settings
from index.embedder import Embedder
from tests.api.conftest import QUESTION, MakeClient
from tests.api.sse import parse_sse
from tests.openai_fault_server import FaultServer, fault_server

KEY = "sk-test-SECRET-key-1234567890"
STAFF = "staff-password-XYZ-987"
TOKEN = "bearer-token-for-tools-42"


@pytest.fixture
def fault() -> Iterator[FaultServer]:
    """The OpenAI-protocol fault-injection server on loopback."""
    with fault_server() as server:
        yield server


@pytest.fixture
def model_settings(
    sample_settings: Settings, fault: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Profiles on the fault server (answering, down, refusing the key) with a key and secrets."""
    monkeypatch.setenv("PILOTDESK_TEST_KEY", KEY)
    for name, mode in (("fault", "ok"), ("faultdown", "down500"), ("faultauth", "unauthorized")):
        sample_settings.backend.profiles[name] = BackendProfile(
            kind="openai",
            base_url=fault.url(mode),
            model="fault",
            api_key_env="PILOTDESK_TEST_KEY",
            max_retries=0,
            timeout_s=5,
        )
    sample_settings.staff.password = SecretStr(STAFF)
    sample_settings.api.bearer_token = SecretStr(TOKEN)
    return sample_settings


def test_missing_index_is_503_with_the_ingest_hint_then_hot_reloads(
    make_client: MakeClient, sample_settings: Settings, tmp_path: Path
) -> None:
    built = sample_settings.paths.index_dir
    sample_settings.paths.index_dir = tmp_path / "not-yet"
    client = make_client()
    for r in (
        client.post("/v1/ask", json={"question": QUESTION}),
        client.post("/v1/chat", json={"question": QUESTION}),
        client.get("/v1/sources"),
        client.get("/readyz"),
    ):
        assert r.status_code == 503, r.text
        assert "pilotdesk ingest" in r.json()["hint"]
        assert str(tmp_path) not in r.text  # server paths stay on the server
    # Publishing an index is enough: the next request loads it, no restart.
    shutil.copytree(built, tmp_path / "not-yet")
    assert client.post("/v1/ask", json={"question": QUESTION}).status_code == 200
    assert client.get("/readyz").status_code == 200


def test_unknown_backend_and_unknown_route(client: TestClient) -> None:
    r = client.post("/v1/ask", json={"question": QUESTION, "backend": "nope"})
    assert r.status_code == 400
    assert "unknown backend 'nope'" in r.json()["error"] and "extractive" in r.json()["hint"]
    missing = client.get("/v1/nothing")
    assert missing.status_code == 404 and set(missing.json()) == {"error", "hint"}
    wrong_method = client.get("/v1/ask")
    assert wrong_method.status_code == 405 and set(wrong_method.json()) == {"error", "hint"}


def test_model_backend_streams_many_tokens_with_checked_citations(
    model_settings: Settings, make_client: MakeClient
) -> None:
    client = make_client()
    r = client.post("/v1/chat", json={"question": QUESTION, "backend": "fault"})
    events = parse_sse(r.text)
    tokens = [d["text"] for name, d in events if name == "token"]
    assert len(tokens) > 5 and events[-1][0] == "final"
    final = events[-1][1]
    assert [c["key"] for c in final["citations"]] == ["S1"]
    assert "S9" not in final["answer"] and final["backend"] == "fault"


def test_misconfigured_profile_fails_as_an_error_event(
    model_settings: Settings, make_client: MakeClient
) -> None:
    model_settings.backend.profiles["nomodel"] = BackendProfile(kind="openai", base_url="x")
    client = make_client()
    events = parse_sse(
        client.post("/v1/chat", json={"question": QUESTION, "backend": "nomodel"}).text
    )
    assert events[-1][0] == "error" and set(events[-1][1]) == {"error", "hint"}
    assert "model" in events[-1][1]["error"]


@pytest.mark.parametrize(
    ("default", "status", "reachable"), [("fault", 200, True), ("faultauth", 503, False)]
)
def test_readyz_checks_the_default_model_backend(
    model_settings: Settings, make_client: MakeClient, default: str, status: int, reachable: bool
) -> None:
    model_settings.backend.default = default
    r = make_client().get("/readyz")
    assert r.status_code == status, r.text
    assert r.json()["backend"]["reachable"] is reachable
    assert "127.0.0.1" not in r.text and KEY not in r.text


def test_no_secret_or_backend_url_in_any_response(
    model_settings: Settings, make_client: MakeClient, fault: FaultServer
) -> None:
    client = make_client()
    ask = {"question": QUESTION}
    responses: list[Any] = [  # TestClient responses
        client.post("/v1/ask", json=ask),
        client.post("/v1/ask", json={**ask, "backend": "fault"}),
        client.post("/v1/ask", json={**ask, "backend": "faultdown"}),
        client.post("/v1/ask", json={**ask, "backend": "faultauth"}),
        client.post("/v1/chat", json={**ask, "backend": "faultdown"}),
        client.post("/v1/chat", json={**ask, "backend": "faultauth"}),
        client.post("/v1/ask", json={**ask, "backend": "nope"}),
        client.post("/v1/ask", json=ask, headers={"Authorization": "Bearer wrong"}),
        client.post("/v1/feedback", json={"answer_id": "x", "score": 1}),
        client.post("/v1/ask", json={"question": "x" * 5000}),
        client.get("/readyz"),
        client.get("/v1/sources"),
        client.get("/v1/config"),
        client.get("/openapi.json"),
        client.get("/widget.js"),
    ]
    model_settings.backend.default = "faultdown"
    client.app.state.ctx._backend_check = None  # type: ignore[attr-defined]
    responses.append(client.get("/readyz"))
    degraded = responses[2].json()
    assert degraded["backend"] == "extractive" and "unavailable" in degraded["answer"]
    host = fault.base.removeprefix("http://")
    for r in responses:
        seen = r.text + " ".join(f"{k}: {v}" for k, v in r.headers.items())
        for secret in (KEY, STAFF, TOKEN, host):
            assert secret not in seen, (r.request.url, secret, seen[:500])


def test_scrubber_removes_keys_urls_and_paths(model_settings: Settings, fault: FaultServer) -> None:
    from app.api.errors import Scrubber, error_body
    from app.errors import BackendError

    exc = BackendError(
        f"POST {fault.url('ok')}/chat/completions with key {KEY} failed; "
        f"staff {STAFF}; index {model_settings.paths.index_dir}"
    )
    status, body = error_body(exc, Scrubber(model_settings))
    assert status == 502 and body["hint"]
    for secret in (KEY, STAFF, fault.base, str(model_settings.paths.index_dir)):
        assert secret not in body["error"]
    assert "[backend]" in body["error"] and "<index dir>" in body["error"]


def test_database_down_is_503_not_a_crash(
    sample_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    from app.api import create_app
    from app.store import open_store

    db = tmp_path / "down.db"
    store = open_store(db)
    app = create_app(sample_settings, Assistant(sample_settings, embedder), store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        app.state.ctx.warm.wait(60)
        # A real failure: the database file is replaced by a directory SQLite cannot open.
        store.engine.dispose()
        for f in tmp_path.glob("down.db*"):
            f.unlink()
        db.mkdir()
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["database"] == {"reachable": False}
        r = client.post("/v1/ask", json={"question": QUESTION})
        assert r.status_code == 503, r.text
        assert r.json() == {
            "error": "the conversation database is unavailable",
            "hint": "try again in a few seconds",
        }
