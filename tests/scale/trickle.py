"""A SLOW-STREAMING OpenAI-protocol test server (not a model): one word every `delay_s`.

Answers need to be slow enough that a test can kill the replica in the middle of one and see
each token arrive through nginx separately (unbuffered SSE).
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.openai_fault_server import sse_chunk

TEXT = (
    "Startup projects last three months [S1]. They help teams get familiar with the "
    "resources before a larger request [S1]."
)


@contextmanager
def trickle_server(delay_s: float = 0.12) -> Iterator[str]:
    """Serve on 127.0.0.1 with a free port; yields the base URL (…/v1)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:
            body = b'{"object": "list", "data": [{"id": "trickle", "object": "model"}]}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                for word in TEXT.split(" "):
                    self.wfile.write(sse_chunk(word + " ", model="trickle"))
                    self.wfile.flush()
                    time.sleep(delay_s)
                self.wfile.write(sse_chunk(None, "stop", model="trickle") + b"data: [DONE]\n\n")
            except OSError:
                return  # the replica went away mid-answer: that is the point of some tests

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
