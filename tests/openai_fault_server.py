"""An OpenAI-protocol FAULT-INJECTION test server on loopback (not a model).

Each base URL picks a behaviour: http://127.0.0.1:PORT/<mode>/v1. It speaks just enough of
/v1/chat/completions (JSON and SSE) and /v1/models for the real `openai` client, so the
answer layer's retries, timeouts and fallbacks are exercised over real HTTP.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

# What the "ok" modes answer: a grounded text with one valid and one invented key.
CITED = "Startup projects last 3 months [S1]. They help teams get familiar with resources [S1, S9]."
UNCITED = "Startup projects are short. Nothing here is cited at all, which is a problem."
# What the "workload" mode answers: a request planner's parsed workload as JSON.
WORKLOAD = (
    'Here it is: {"task": "fine-tuning", "method": "lora", "params_b": 8, "gpus": 2, '
    '"hours_per_run": 5, "runs": 3, "precision": null}'
)


class FaultServer:
    """Counts requests per mode so tests can check retries."""

    def __init__(self) -> None:
        """Create the counters."""
        self.hits: Counter[str] = Counter()
        self.base = ""
        self.replies: dict[str, str] = {}  # mode → the exact text a "reply-…" mode answers

    def url(self, mode: str) -> str:
        """Base URL for one behaviour."""
        return f"{self.base}/{mode}/v1"


def sse_chunk(text: str | None, finish: str | None = None, model: str = "fault") -> bytes:
    """One SSE chat.completion.chunk event (shared by the test servers that stream)."""
    delta = {"content": text} if text is not None else {}
    body = {
        "id": model,
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


def _completion(text: str) -> bytes:
    """A non-streaming chat.completion body."""
    return json.dumps(
        {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "fault",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    ).encode()


@contextmanager
def fault_server() -> Iterator[FaultServer]:
    """Run the fault-injection server on 127.0.0.1 with a free port."""
    state = FaultServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return

        def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            mode = self.path.strip("/").split("/")[0]
            state.hits[mode] += 1
            if mode in ("down500", "unauthorized"):
                self._send(500 if mode == "down500" else 401, b'{"error": {"message": "no"}}')
                return
            self._send(200, b'{"object": "list", "data": [{"id": "fault", "object": "model"}]}')

        def do_POST(self) -> None:
            mode = self.path.strip("/").split("/")[0]
            state.hits[mode] += 1
            length = int(self.headers.get("Content-Length") or 0)
            req = json.loads(self.rfile.read(length) or b"{}")
            stream = bool(req.get("stream"))
            if mode == "down500" or (mode == "flaky" and state.hits[mode] == 1):
                self._send(500, b'{"error": {"message": "internal error"}}')
            elif mode == "unauthorized":
                self._send(
                    401, b'{"error": {"message": "Invalid API key", "code": "invalid_api_key"}}'
                )
            elif mode == "nomodel":
                self._send(404, b'{"error": {"message": "model not found"}}')
            elif mode == "slow":
                time.sleep(3)
                self._send(200, _completion(CITED))
            elif mode == "garbage":
                if stream:
                    self._send(200, b"data: {not json at all\n\n", "text/event-stream")
                else:
                    self._send(200, b"<html>definitely not json")
            elif mode == "cutstream":
                # Two tokens, then the connection closes without finish_reason or [DONE].
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(sse_chunk("Startup projects ") + sse_chunk("last 3"))
                self.wfile.flush()
                self.close_connection = True
            else:
                text = {"uncited": UNCITED, "workload": WORKLOAD}.get(mode, CITED)
                text = state.replies.get(mode, text)
                if mode == "leak":  # a model talked into repeating its instructions
                    text = str(req["messages"][0]["content"]) + " [S1]"
                if not stream:
                    self._send(200, _completion(text))
                    return
                body = b"".join(sse_chunk(w + " ") for w in text.split(" "))
                body += sse_chunk(None, "stop") + b"data: [DONE]\n\n"
                self._send(200, body, "text/event-stream")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
