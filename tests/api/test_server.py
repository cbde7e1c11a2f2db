"""The real thing: `pilotdesk serve` (uvicorn) on 127.0.0.1, spoken to over HTTP with httpx."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.store import open_store
from tests.api.conftest import QUESTION
from tests.api.server import LiveSite, live_site
from tests.api.sse import parse_sse


@pytest.fixture(scope="session")
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sample_index: Path
) -> LiveSite:
    """The shared deployment (also used by the widget tests)."""
    return live_site(request, tmp_path_factory, sample_index)


def client_at(ip: str) -> dict[str, str]:
    """Appear as another client: uvicorn trusts X-Forwarded-For from 127.0.0.1 (a proxy)."""
    return {"X-Forwarded-For": ip}


def test_ask_and_feedback_over_real_http(live: LiveSite) -> None:
    r = httpx.post(
        f"{live.api.url}/v1/ask",
        json={"question": QUESTION, "backend": "extractive"},
        headers=client_at("192.0.2.1"),
        timeout=60,
    )
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["citations"] and answer["conversation_id"]
    fb = httpx.post(
        f"{live.api.url}/v1/feedback", json={"answer_id": answer["id"], "score": "up"}, timeout=10
    )
    assert fb.status_code == 201
    assert open_store(live.api.db_path).feedback_rows(answer["id"]) == [(1, "")]


def test_sse_streams_model_tokens_over_real_http(live: LiveSite) -> None:
    lines: list[str] = []
    with httpx.stream(
        "POST",
        f"{live.api.url}/v1/chat",
        json={"question": QUESTION},
        headers={"Origin": live.host, **client_at("192.0.2.2")},
        timeout=60,
    ) as r:
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == live.host
        assert r.headers["x-accel-buffering"] == "no"
        lines.extend(r.iter_lines())
    events = parse_sse("\n".join(lines))
    names = [n for n, _ in events]
    assert names[-1] == "final" and names.count("token") > 5
    final = events[-1][1]
    assert final["citations"] and final["id"] and final["backend"] == "stream"
    rows = open_store(live.api.db_path).log()
    assert any(row.id == final["id"] and row.channel == "widget" for row in rows)


def test_limits_over_real_http(live: LiveSite) -> None:
    url = live.api.url
    big = httpx.post(f"{url}/v1/ask", content=b"{" + b" " * 50_000 + b"}", timeout=10)
    assert big.status_code == 413
    refused = httpx.options(
        f"{url}/v1/chat",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in refused.headers
    # Every request counts, answered or not; empty questions keep this fast.
    statuses = [
        httpx.post(f"{url}/v1/ask", json={"question": " "}, headers=client_at("192.0.2.3"))
        for _ in range(21)
    ]
    assert [r.status_code for r in statuses] == [422] * 20 + [429]
    assert int(statuses[-1].headers["retry-after"]) >= 1 and statuses[-1].json()["hint"]
    other = httpx.post(
        f"{url}/v1/ask",
        json={"question": QUESTION, "backend": "extractive"},
        headers=client_at("192.0.2.4"),
        timeout=60,
    )
    assert other.status_code == 200
