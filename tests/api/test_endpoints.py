"""The endpoints over the real app and the sample index: ask, chat, feedback, health, sources."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.config import Settings
from app.store import open_store
from tests.api.conftest import QUESTION
from tests.api.sse import parse_sse
from tests.app.test_cli import ANSWER_KEYS


def test_ask_returns_the_cli_schema_with_citations(client: TestClient) -> None:
    r = client.post("/v1/ask", json={"question": QUESTION})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == ANSWER_KEYS | {"conversation_id"}
    assert not body["abstained"] and body["backend"] == "extractive"
    keys = set(re.findall(r"\[(S\d+)\]", body["answer"]))
    assert keys and keys == {c["key"] for c in body["citations"]}
    for c in body["citations"]:
        assert c["url"].startswith("https://") and c["locator"]
        assert "/" not in c["source"] or c["source"].startswith("http")  # no server paths
    assert len(body["id"]) == 32 and len(body["conversation_id"]) == 32


def test_conversation_continues_from_the_store(client: TestClient, sample_settings: Settings):
    first = client.post(
        "/v1/ask", json={"question": "How often are progress reports due after an award?"}
    ).json()
    follow = client.post(
        "/v1/ask",
        json={"question": "and how long is each one?", "conversation_id": first["conversation_id"]},
    ).json()
    assert follow["conversation_id"] == first["conversation_id"]
    assert "progress reports" in follow["standalone_question"].lower()
    store = open_store(sample_settings.paths.db_path)
    assert [t.role for t in store.history(first["conversation_id"])] == ["user", "assistant"] * 2


def test_chat_streams_tokens_then_a_final_answer(client: TestClient) -> None:
    with client.stream("POST", "/v1/chat", json={"question": QUESTION}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-cache"
        events = parse_sse(r.read().decode())
    names = [name for name, _ in events]
    assert names[-1] == "final" and set(names[:-1]) == {"token"} and len(names) >= 2
    final = events[-1][1]
    assert "".join(data["text"] for _, data in events[:-1]) == final["answer"]
    assert final["citations"] and final["id"] and final["conversation_id"]


def test_chat_without_streaming_returns_json(client: TestClient) -> None:
    by_flag = client.post("/v1/chat", json={"question": QUESTION, "stream": False})
    by_accept = client.post(
        "/v1/chat", json={"question": QUESTION}, headers={"Accept": "application/json"}
    )
    for r in (by_flag, by_accept):
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.json()["citations"] and r.json()["conversation_id"]


def test_abstained_answer_streams_and_is_marked(client: TestClient) -> None:
    r = client.post("/v1/chat", json={"question": "What's the best pizza in Chicago?"})
    final = parse_sse(r.text)[-1][1]
    assert final["abstained"] and final["citations"] == []
    assert "office hours" in final["answer"]


def test_feedback_is_stored(client: TestClient, sample_settings: Settings) -> None:
    answer = client.post("/v1/ask", json={"question": QUESTION}).json()
    up = client.post("/v1/feedback", json={"answer_id": answer["id"], "score": 1})
    down = client.post(
        "/v1/feedback", json={"answer_id": answer["id"], "thumbs": "down", "comment": "too short"}
    )
    assert up.status_code == down.status_code == 201, down.text
    assert up.json()["ok"] and up.json()["answer_id"] == answer["id"]
    store = open_store(sample_settings.paths.db_path)
    assert store.feedback_rows(answer["id"]) == [(1, ""), (-1, "too short")]
    assert store.log()[0].channel == "api"


def test_feedback_for_an_unknown_answer_is_404(client: TestClient) -> None:
    r = client.post("/v1/feedback", json={"answer_id": "nope", "score": -1})
    assert r.status_code == 404
    assert set(r.json()) == {"error", "hint"} and "nope" in r.json()["error"]
    bad = client.post("/v1/feedback", json={"answer_id": "x", "score": 5})
    both = client.post("/v1/feedback", json={"answer_id": "x", "score": 1, "thumbs": "up"})
    assert bad.status_code == both.status_code == 422


def test_sources_lists_documents_without_server_paths(client: TestClient) -> None:
    r = client.get("/v1/sources")
    assert r.status_code == 200
    body = r.json()
    assert body["documents"] == len(body["sources"]) >= 5 and body["chunks"] > 0
    assert body["index_version"]
    kinds = {s["kind"] for s in body["sources"]}
    assert len(kinds) >= 3
    for s in body["sources"]:
        assert s["title"] and s["chunks"] > 0
        assert not s["source"].startswith("/") and "/data/" not in s["source"]


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["index"]["loaded"] and body["index"]["documents"] >= 5
    assert body["backend"] == {"name": "extractive", "kind": "extractive", "reachable": True}
    assert body["database"] == {"reachable": True}


def test_openapi_docs_and_widget_files(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/ask", "/v1/chat", "/v1/feedback", "/v1/sources", "/readyz"} <= set(paths)
    js = client.get("/widget.js")
    css = client.get("/widget.css")
    assert js.status_code == css.status_code == 200
    assert js.headers["content-type"].startswith("text/javascript")
    assert css.headers["content-type"].startswith("text/css")
    assert "max-age" in js.headers["cache-control"] and js.headers["etag"]
    again = client.get("/widget.js", headers={"If-None-Match": js.headers["etag"]})
    assert again.status_code == 304
