"""Limits at the HTTP boundary: body size, question length, rate, bearer token, CORS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.answer import Assistant
from app.api import create_app
from app.config import Settings
from index.embedder import Embedder
from tests.api.conftest import QUESTION, MakeClient

HOST = "http://host.example"


def test_oversized_body_is_413_by_content_length_and_by_stream(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=2_000)
    big = {"question": "x" * 5_000}
    r = client.post("/v1/ask", json=big)
    assert r.status_code == 413 and set(r.json()) == {"error", "hint"}
    assert "2000" in r.json()["error"]

    def chunks() -> Iterator[bytes]:
        # No Content-Length: the server must count what actually arrives.
        yield b'{"question": "'
        for _ in range(10):
            yield b"y" * 500
        yield b'"}'

    streamed = client.post(
        "/v1/ask", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413, streamed.text
    assert streamed.json()["hint"]


def test_long_or_empty_question_is_422(make_client: MakeClient) -> None:
    client = make_client(max_question_chars=50)
    r = client.post("/v1/ask", json={"question": "q" * 51})
    assert r.status_code == 422 and "limit 50" in r.json()["error"]
    for body in (
        {"question": "   "},
        {},
        {"question": 3},
        {"question": "a", "conversation_id": "../x"},
    ):
        r = client.post("/v1/chat", json=body)
        assert r.status_code == 422, body
        assert set(r.json()) == {"error", "hint"}
    not_json = client.post("/v1/ask", content=b"{", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 422


def test_rate_limit_answers_429_with_retry_after_and_serves_others(
    make_client: MakeClient,
) -> None:
    flood = make_client(rate_limit_per_minute=3)
    other = make_client(client=("198.51.100.9", 50001))
    for _ in range(3):
        assert flood.post("/v1/ask", json={"question": QUESTION}).status_code == 200
    r = flood.post("/v1/chat", json={"question": QUESTION})
    assert r.status_code == 429
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert r.json()["error"] == "too many requests"
    assert other.post("/v1/ask", json={"question": QUESTION}).status_code == 200
    assert flood.get("/healthz").status_code == 200  # health checks are never limited


def test_bearer_token_skips_the_rate_limit_and_a_wrong_one_is_401(
    make_client: MakeClient,
) -> None:
    client = make_client(rate_limit_per_minute=1, bearer_token=SecretStr("t0ken-for-tools"))
    good = {"Authorization": "Bearer t0ken-for-tools"}
    for _ in range(3):
        assert client.post("/v1/ask", json={"question": QUESTION}, headers=good).status_code == 200
    wrong = client.post(
        "/v1/ask", json={"question": QUESTION}, headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert client.post("/v1/ask", json={"question": QUESTION}).status_code == 200
    assert client.post("/v1/ask", json={"question": QUESTION}).status_code == 429


def test_cors_allows_listed_origins_only(make_client: MakeClient) -> None:
    client = make_client(allowed_origins=[HOST])
    pre = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    ok = client.options("/v1/chat", headers={"Origin": HOST, **pre})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == HOST
    refused = client.options("/v1/chat", headers={"Origin": "http://evil.example", **pre})
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers

    r = client.post("/v1/ask", json={"question": QUESTION}, headers={"Origin": HOST})
    assert r.headers["access-control-allow-origin"] == HOST
    other = client.post(
        "/v1/ask", json={"question": QUESTION}, headers={"Origin": "http://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers
    # Errors from the limits carry CORS headers too, so the widget can show them.
    big = client.post("/v1/ask", json={"question": "x" * 20_000}, headers={"Origin": HOST})
    assert big.status_code == 413 and big.headers["access-control-allow-origin"] == HOST


def test_no_origin_is_allowed_by_default(client: TestClient) -> None:
    r = client.post("/v1/ask", json={"question": QUESTION}, headers={"Origin": HOST})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


def test_replicas_on_one_database_share_the_rate_limit(
    sample_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    sample_settings.database_url = f"sqlite:///{tmp_path / 'shared.db'}"
    sample_settings.api.rate_limit_per_minute = 3
    replicas = [
        TestClient(create_app(sample_settings, Assistant(sample_settings, embedder), warm_up=False))
        for _ in range(2)
    ]
    # Alternate replicas: only a limit counted in the shared database sees four requests.
    statuses = [
        replicas[i % 2].post("/v1/ask", json={"question": " "}).status_code for i in range(4)
    ]
    assert statuses == [422, 422, 422, 429]
