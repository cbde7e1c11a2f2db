"""A real `pilotdesk serve` under bounded concurrent load, and an ingest published mid-load.

Correctness only (zero errors, the new version is picked up without a restart); speed is
measured by `pilotdesk bench`, never asserted here.
"""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from index.embedder import Embedder
from index.store import current_version
from tests.api.server import pilotdesk_server
from tests.helpers import build_index

QUESTIONS = [
    "How long is a startup project?",
    "Can a community college instructor request classroom resources?",
    "When are progress reports due?",
    "How many classroom awards are listed?",
    "What's the best pizza in Chicago?",
]


def _ask(base: str, client_no: int, n: int) -> list[int]:
    """One client: n questions from its own address; returns status codes (and checks bodies)."""
    codes = []
    headers = {"X-Forwarded-For": f"198.51.100.{client_no}"}
    with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
        for i in range(n):
            r = http.post("/v1/ask", json={"question": QUESTIONS[(client_no + i) % len(QUESTIONS)]})
            codes.append(r.status_code)
            if r.status_code == 200:
                body = r.json()
                assert body["abstained"] or body["citations"], body
    return codes


def test_concurrent_clients_get_no_errors_and_an_ingest_swaps_in_live(
    tmp_path: Path, sample_index: Path, embedder: Embedder
) -> None:
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    toml = "[api]\nrate_limit_per_minute = 100000\n"
    with pilotdesk_server(index, tmp_path / "work", toml) as server:
        with ThreadPoolExecutor(10) as pool:
            results = list(pool.map(lambda c: _ask(server.url, c, 5), range(10)))
        assert [c for codes in results for c in codes] == [200] * 50

        # Publish a new version while a client keeps asking: no request may fail.
        new_doc = tmp_path / "extra" / "osprey.md"
        new_doc.parent.mkdir()
        new_doc.write_text(
            "# Osprey testbed\n\n## Access\nThe Osprey testbed gives pilot awardees "
            "photonic accelerators for inference research.\n"
        )
        before = current_version(index)
        stop = threading.Event()
        codes: list[int] = []

        def hammer() -> None:
            with httpx.Client(base_url=server.url, timeout=60) as http:
                while not stop.is_set():
                    codes.append(http.post("/v1/ask", json={"question": QUESTIONS[0]}).status_code)

        thread = threading.Thread(target=hammer)
        thread.start()
        try:
            build_index([str(new_doc)], index, embedder, remove_missing=False)
        finally:
            stop.set()
            thread.join(60)
        assert current_version(index) != before
        assert codes and set(codes) == {200}
        with httpx.Client(base_url=server.url, timeout=60) as http:
            body = http.post(
                "/v1/ask", json={"question": "What does the Osprey testbed offer?"}
            ).json()
            sources = http.get("/v1/sources").json()
        assert body["citations"] and body["citations"][0]["source"] == "osprey.md"
        assert sources["index_version"] == current_version(index)
