"""Small real builders used by tests: PDFs, pages, a loopback HTTP server, an index."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from app.tables import TableAnswer, answer_from_tables
from index.builder import BuildResult, apply_plan, previous_hashes
from index.embedder import Embedder
from index.store import CURRENT, VERSIONS
from index.tables import TableBatch
from ingest.chunking import ChunkingConfig
from ingest.loaders import load_bytes
from ingest.loaders.url import FetchPolicy
from ingest.pipeline import IngestConfig, IngestPlan, plan_ingest
from ingest.types import SourceMeta

CHUNKING = ChunkingConfig()

# Debian's Chromium, driven by Playwright; without the networking flags it keeps trying to
# reach Google's hosts, which this machine's closed network refuses.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def ingest_config(**fetch: object) -> IngestConfig:
    """Ingest settings that let tests fetch from their own loopback server."""
    policy = FetchPolicy(**{"allow_private": ("127.0.0.1",), "timeout_s": 5.0, **fetch})  # type: ignore[arg-type]
    return IngestConfig(chunking=CHUNKING, fetch=policy)


def build_index(
    inputs: list[str], root: Path, embedder: Embedder, cfg: IngestConfig | None = None, **kw: object
) -> tuple[IngestPlan, BuildResult]:
    """Run the real incremental ingest: plan against the current index, then apply."""
    previous = previous_hashes(root, embedder.label, CHUNKING.fingerprint())
    plan = plan_ingest(inputs, previous, cfg or ingest_config(), **kw)  # type: ignore[arg-type]
    result = apply_plan(root, plan, embedder, CHUNKING.fingerprint(), inputs)
    return plan, result


def make_pdf(path: Path, pages: list[list[str]], landscape: bool = False, title: str = "") -> Path:
    """Write a real PDF with fpdf2: one page per list of lines."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L" if landscape else "P", unit="pt", format="letter")
    if title:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=14)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 20, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@contextlib.contextmanager
def serve(routes: dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (port 0); yields its base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path.split("?")[0])
            if route is None:
                self.send_error(404)
                return
            route(self)

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def reply(
    body: bytes, ctype: str, status: int = 200
) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """A route that answers with a fixed body."""

    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return handle


def publish_screenshot(shot: Path, name: str, docs: Path | None = None) -> Path | None:
    """Copy a screenshot into docs/ for the README, only when PILOTDESK_SCREENSHOTS=1 asks.

    A normal test run writes its pictures under var/ (ignored) and leaves the tree clean.
    """
    import os
    import shutil

    if os.environ.get("PILOTDESK_SCREENSHOTS") != "1":
        return None
    target = (docs or Path(__file__).resolve().parents[1] / "docs") / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, target)
    return target


def table_index(base: Path, csv: str, meta: SourceMeta, clean: bool = False) -> Path:
    """An index-version layout at base/index holding only this CSV's typed table.

    `clean` also requires the CSV to load without warnings.
    """
    root = base / "index"
    vdir = root / VERSIONS / "v1"
    vdir.mkdir(parents=True)
    doc = load_bytes(csv.encode(), meta, ".csv")
    assert doc.table is not None
    assert not (clean and doc.table.warnings), doc.table.warnings
    TableBatch(new=[(doc, doc.table)]).write(vdir)
    (root / CURRENT).write_text("v1\n")
    return root


def table_answer(root: Path, question: str) -> TableAnswer:
    """The table answer, which must exist."""
    answer = answer_from_tables(question, root)
    assert answer is not None, question
    return answer
