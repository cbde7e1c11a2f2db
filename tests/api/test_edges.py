"""Edges found by outside probing: refusals are JSON with a hint, and the widget's config."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import MakeClient

HOST = "http://127.0.0.1:8765"
EVIL = "http://evil.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type",
}


def test_refused_preflight_is_json_naming_the_setting(make_client: MakeClient) -> None:
    client = make_client(allowed_origins=[HOST])
    r = client.options("/v1/chat", headers={"Origin": EVIL, **PREFLIGHT})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error", "hint"}
    assert "origin" in body["error"] and "api.allowed_origins" in body["hint"]
    assert "access-control-allow-origin" not in r.headers
    wrong_method = client.options(
        "/v1/chat", headers={"Origin": HOST, "Access-Control-Request-Method": "DELETE"}
    )
    assert wrong_method.status_code == 400 and "method" in wrong_method.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"question": "\xff\xfe who is eligible?"}',
        b'{"question": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ],
    ids=["invalid-utf8", "deeply-nested"],
)
def test_unreadable_bodies_are_422_with_a_hint(client: TestClient, body: bytes) -> None:
    r = client.post("/v1/ask", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["hint"] and "JSON" in r.json()["hint"]


@pytest.mark.parametrize("score", [True, False])
def test_feedback_refuses_a_boolean_score(client: TestClient, score: bool) -> None:
    answer = client.post("/v1/ask", json={"question": "How long is a startup project?"}).json()
    r = client.post("/v1/feedback", json={"answer_id": answer["id"], "score": score})
    assert r.status_code == 422 and "not true or false" in r.json()["error"]
    ok = client.post("/v1/feedback", json={"answer_id": answer["id"], "score": 1})
    assert ok.status_code == 201


def test_config_answers_any_origin_and_logs_each_refused_one_once(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(allowed_origins=[HOST])
    mine = client.get("/v1/config", headers={"Origin": HOST})
    assert mine.json()["origin_allowed"] is True
    assert mine.headers["access-control-allow-origin"] == HOST
    assert mine.json()["examples"]  # the UI's example questions, for the widget's empty state
    # Both addresses, so the widget links office hours only when they are not the site again.
    assert mine.json()["official_site_url"] == "https://nairrpilot.org"
    assert mine.json()["office_hours_url"] == "https://nairrpilot.org"
    with caplog.at_level(logging.WARNING, logger="pilotdesk.api"):
        for _ in range(3):
            other = client.get("/v1/config", headers={"Origin": EVIL})
            # Readable by the refused page's script, so it can say it is not available there.
            assert other.status_code == 200 and other.json()["origin_allowed"] is False
            assert other.headers["access-control-allow-origin"] == "*"
        client.options("/v1/chat", headers={"Origin": EVIL, **PREFLIGHT})
    refused = [r for r in caplog.records if EVIL in r.getMessage()]
    assert len(refused) == 1 and "api.allowed_origins" in refused[0].getMessage()
    assert client.get("/v1/config").json()["origin_allowed"] is True  # no Origin: not a browser
