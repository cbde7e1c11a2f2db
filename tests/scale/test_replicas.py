"""Scale-out end to end: replicas share conversations, feedback and index versions via nginx.

The tests run in file order on one cluster; the last one kills a replica.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.store import Store
from deploy.local import PILOTDESK, REPO
from tests.scale.conftest import Cluster

pytestmark = pytest.mark.slow


def ask(base: str, question: str, cid: str | None = None, **extra: Any) -> dict[str, Any]:
    """POST /v1/ask and return the answer JSON (failing the test on any error)."""
    body = {"question": question, "conversation_id": cid, **extra}
    r = httpx.post(f"{base}/v1/ask", json=body, timeout=60)
    assert r.status_code == 200, r.text
    return dict(r.json())


def sse_events(lines: Any) -> Any:
    """Yield (event, data) pairs from an iterator of SSE lines."""
    name = "message"
    for line in lines:
        if line.startswith("event:"):
            name = line.partition(":")[2].strip()
        elif line.startswith("data:"):
            yield name, json.loads(line.partition(":")[2])
            name = "message"


def test_nginx_serves_the_widget_and_streams_tokens_unbuffered(cluster: Cluster) -> None:
    widget = httpx.get(f"{cluster.nginx.url}/widget.js", timeout=10)
    assert widget.status_code == 200
    assert widget.content == (REPO / "app" / "widget" / "widget.js").read_bytes()
    assert widget.headers["content-type"].startswith("text/javascript")
    assert "x-pilotdesk-upstream" not in widget.headers  # static: no replica involved
    arrivals: list[tuple[str, float]] = []
    body = {"question": "How long does a startup project last?", "backend": "trickle"}
    with httpx.stream("POST", f"{cluster.nginx.url}/v1/chat", json=body, timeout=60) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        for event, _ in sse_events(r.iter_lines()):
            arrivals.append((event, time.monotonic()))
    names = [e for e, _ in arrivals]
    assert names[-1] == "final" and names.count("token") >= 10
    # Buffered, every event would land at once at the end; unbuffered they trickle in.
    assert arrivals[-1][1] - arrivals[0][1] > 1.0


def test_a_conversation_started_on_one_replica_continues_on_the_other(cluster: Cluster) -> None:
    first = ask(cluster.a.url, "Who is eligible to request NAIRR Pilot resources?")
    cid = first["conversation_id"]
    follow = ask(cluster.b.url, "and for classroom use?", cid)
    assert follow["conversation_id"] == cid
    # B merged A's earlier question into the follow-up: it read the shared history.
    assert follow["standalone_question"].startswith("Who is eligible to request NAIRR Pilot")
    assert follow["standalone_question"].endswith("and for classroom use?")
    turns = Store(cluster.database_url).history(cid)
    assert [t.content for t in turns[::2]] == [
        "Who is eligible to request NAIRR Pilot resources?",
        "and for classroom use?",
    ]


def test_feedback_sent_through_either_replica_lands_once(cluster: Cluster) -> None:
    on_a = ask(cluster.a.url, "How long does a startup project last?")
    on_b = ask(cluster.b.url, "Which resources offer GPUs for training models?")
    sends = [
        (cluster.b.url, on_a["id"], 1, "via b"),  # feedback on the other replica's answer
        (cluster.a.url, on_b["id"], -1, "via a"),
        (cluster.nginx.url, on_b["id"], 1, "via nginx"),
    ]
    for base, answer_id, score, comment in sends:
        r = httpx.post(
            f"{base}/v1/feedback",
            json={"answer_id": answer_id, "score": score, "comment": comment},
            timeout=30,
        )
        assert r.status_code == 201, r.text
    store = Store(cluster.database_url)
    assert store.feedback_rows(on_a["id"]) == [(1, "via b")]
    assert store.feedback_rows(on_b["id"]) == [(-1, "via a"), (1, "via nginx")]


def _index_version(base: str) -> str:
    """The index version a replica serves (it reloads on this request if CURRENT moved)."""
    r = httpx.get(f"{base}/v1/sources", timeout=60)
    r.raise_for_status()
    return str(r.json()["index_version"])


def test_a_version_published_mid_load_reaches_both_replicas_without_errors(
    cluster: Cluster, tmp_path: Path
) -> None:
    old = (cluster.index_dir / "CURRENT").read_text().strip()
    assert _index_version(cluster.a.url) == _index_version(cluster.b.url) == old
    doc = tmp_path / "zephyrine.md"
    doc.write_text(
        "# Zephyrine allocations\n\nThe Zephyrine allocation grants 512 quantum credits to "
        "each pilot team for one year.\n",
        encoding="utf-8",
    )
    stop = threading.Event()
    results: list[tuple[int | str, str]] = []

    def client(i: int) -> None:
        questions = ["Who is eligible?", "How long does a startup project last?"]
        with httpx.Client(base_url=cluster.nginx.url, timeout=60) as http:
            for n in range(300):  # bounded in count, and by `stop`
                if stop.is_set():
                    return
                time.sleep(0.05)  # leave the ingest some CPU: 2 cores for everything
                try:
                    r = http.post("/v1/ask", json={"question": questions[(i + n) % 2]})
                    results.append((r.status_code, r.headers.get("x-pilotdesk-upstream", "")))
                except httpx.HTTPError as exc:
                    results.append((type(exc).__name__, ""))

    clients = [threading.Thread(target=client, args=(i,)) for i in range(2)]
    for t in clients:
        t.start()
    try:
        time.sleep(1.0)
        index = str(cluster.index_dir)
        out = subprocess.run(
            [str(PILOTDESK), "ingest", "--add", "--quiet", str(doc), "--index", index],
            capture_output=True,
            text=True,
            timeout=240,
            cwd=cluster.workdir,
        )
        assert out.returncode == 0, out.stderr
        assert "chunks: 1 embedded" in out.stdout  # incremental: only the new document
        new = (cluster.index_dir / "CURRENT").read_text().strip()
        assert new != old
        before_switch = len(results)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if _index_version(cluster.a.url) == _index_version(cluster.b.url) == new:
                break
            time.sleep(0.2)
        # Keep the load on until both replicas have answered it from the new version.
        both = {f"127.0.0.1:{cluster.a.port}", f"127.0.0.1:{cluster.b.port}"}
        while time.monotonic() < deadline + 30:
            if {up for _, up in results[before_switch:]} >= both:
                break
            time.sleep(0.2)
    finally:
        stop.set()
        for t in clients:
            t.join(120)
    failures = [r for r in results if r[0] != 200]
    assert failures == [] and len(results) > before_switch > 0
    assert {up for _, up in results[before_switch:]} == both
    for base in (cluster.a.url, cluster.b.url):
        got = ask(base, "How many quantum credits does the Zephyrine allocation grant?")
        assert not got["abstained"] and "512" in got["answer"]
        assert any(c["source"] == "zephyrine.md" for c in got["citations"])
    assert (cluster.index_dir / "versions" / old).is_dir()  # kept for the grace period


def test_a_replica_killed_mid_stream_loses_nothing_and_the_retry_succeeds(
    cluster: Cluster,
) -> None:
    first = ask(cluster.nginx.url, "How long does a startup project last?")
    cid = first["conversation_id"]
    httpx.post(
        f"{cluster.nginx.url}/v1/feedback", json={"answer_id": first["id"], "score": 1}
    ).raise_for_status()
    body = {"question": "and what do they give?", "conversation_id": cid, "backend": "trickle"}
    events: list[str] = []
    url = f"{cluster.nginx.url}/v1/chat"
    # The response ends mid-body (an incomplete chunked read): the client's clear error.
    with (
        pytest.raises(httpx.RemoteProtocolError),
        httpx.stream("POST", url, json=body, timeout=60) as r,
    ):
        victim = cluster.replica_on(r.headers["x-pilotdesk-upstream"])
        for event, _ in sse_events(r.iter_lines()):
            events.append(event)
            if events.count("token") == 3:
                victim.kill()
    assert "final" not in events and events.count("token") >= 3
    # Retried through nginx with the same conversation: the surviving replica answers.
    with httpx.stream("POST", f"{cluster.nginx.url}/v1/chat", json=body, timeout=60) as r:
        assert r.status_code == 200
        survivor = cluster.replica_on(r.headers["x-pilotdesk-upstream"])
        final = [d for e, d in sse_events(r.iter_lines()) if e == "final"]
    assert survivor is not victim and len(final) == 1
    store = Store(cluster.database_url)
    assert [r.id for r in store.log(limit=100_000) if r.conversation_id == cid] == [
        final[0]["id"],
        first["id"],
    ]  # the cut answer was never stored; the first turn and its feedback are intact
    assert store.feedback_rows(first["id"]) == [(1, "")]
    assert final[0]["standalone_question"].startswith("How long does a startup project last")
