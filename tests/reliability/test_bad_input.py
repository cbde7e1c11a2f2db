"""Bad input at ingest: one generated corpus, one test per case, one real `pilotdesk ingest` run.

Every bad source is skipped (or handled) with a one-line reason, everything else is ingested,
the index stays loadable and the exit status says something was skipped.
"""

from __future__ import annotations

import http.server
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.store import load_index, read_manifest
from pilotdesk.cli import EXIT_SKIPPED, run
from tests.helpers import make_pdf, reply, serve


@dataclass
class IngestRun:
    """What one CLI ingest of the hostile corpus produced."""

    code: int
    out: str
    skipped: dict[str, str]  # source name → reason
    index: Path
    base: str


def _slow(h: http.server.BaseHTTPRequestHandler) -> None:
    time.sleep(3)
    reply(b"# Late\n\nToo late.", "text/markdown")(h)


def _loop(h: http.server.BaseHTTPRequestHandler) -> None:
    h.send_response(302)
    h.send_header("Location", "/loop")
    h.send_header("Content-Length", "0")
    h.end_headers()


def _huge(h: http.server.BaseHTTPRequestHandler) -> None:
    # No Content-Length: the size limit must hold while streaming, not only on the header.
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.end_headers()
    for _ in range(50):
        h.wfile.write(b"x" * 10_000 + b"\n")


def _corpus(d: Path) -> None:
    """Write the good and the bad files."""
    d.mkdir()
    (d / "good.md").write_text("# Good\n\n## Cost\nAll resources are free of charge to awardees.\n")
    make_pdf(d / "good.pdf", [["The Kestrel cluster offers 400 GPUs to awardees."]])
    (d / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrailer\n%%EOF")
    from fpdf import FPDF

    enc = FPDF()
    enc.add_page()
    enc.set_font("Helvetica", size=12)
    enc.cell(0, 10, "locked text")
    enc.set_encryption(owner_password="owner", user_password="user")
    enc.output(str(d / "encrypted.pdf"))
    (d / "zero.md").write_bytes(b"")
    (d / "oversize.txt").write_text("big words " * 40_000)  # ~400 kB > 0.2 MB limit
    (d / "binary.md").write_bytes(bytes(range(256)) * 40)
    (d / "latin1.txt").write_bytes("Résumé of the café workshop in Zürich.".encode("latin-1"))
    nested = "<div>" * 3000 + "deep text" + "</div>" * 3000
    (d / "hostile.html").write_text(
        "<html><head><title>Hostile</title><style>p{}</style><script>alert(1)</script></head>"
        f"<body><main><h1>Hostile page</h1><p>Osprey testbed details for applicants.</p>{nested}"
        "<script>document.write('INJECTED')</script></main></body></html>"
    )
    (d / "ragged.csv").write_text(
        "project_id,title,institution,resource,amount,unit\n"
        "P1,Alpha,Uni A,Delta,100,GPU-hours\nP2,Beta\n"
        "P3,Gamma,Uni C,Vista,700,node-hours,EXTRA,MORE\n"
    )
    (d / "nocols.csv").write_text("name,notes\nAlpha,first\nBeta,second\n")
    (d / "copy-of-good.md").write_bytes((d / "good.md").read_bytes())


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IngestRun]:
    """Run the real CLI once over files and URLs with tight limits."""
    root = tmp_path_factory.mktemp("hostile")
    docs = root / "docs"
    _corpus(docs)
    routes = {"/ok": reply(b"# Remote\n\nRemote page text.", "text/markdown"), "/slow": _slow}
    routes.update({"/loop": _loop, "/huge": _huge})
    mp = pytest.MonkeyPatch()
    mp.setenv("PILOTDESK_INGEST__ALLOW_PRIVATE_HOSTS", '["127.0.0.1"]')
    mp.setenv("PILOTDESK_INGEST__FETCH_TIMEOUT_S", "1")
    mp.setenv("PILOTDESK_INGEST__MAX_FETCH_MB", "0.1")
    mp.setenv("PILOTDESK_INGEST__MAX_FILE_MB", "0.2")
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with serve(routes) as base:
        urls = [f"{base}/{p}" for p in ("ok", "missing", "slow", "loop", "huge")]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(["ingest", str(docs), *urls, "--index", str(root / "index"), "--quiet"])
    mp.undo()
    skipped = {}
    for line in err.getvalue().splitlines():
        if line.startswith("skipped "):
            src, reason = line[len("skipped ") :].split(": ", 1)
            skipped[src.rsplit("/", 1)[-1]] = reason
    yield IngestRun(code, out.getvalue(), skipped, root / "index", base)


CASES = {
    "corrupt.pdf": "corrupt PDF",
    "encrypted.pdf": "encrypted PDF",
    "zero.md": "empty file",
    "oversize.txt": "file too large",
    "binary.md": "binary data",
    "missing": "HTTP 404",
    "slow": "timed out after 1 s",
    "loop": "too many redirects",
    "huge": "response too large",
}


@pytest.mark.parametrize(("name", "reason"), sorted(CASES.items()))
def test_bad_source_is_skipped_with_a_one_line_reason(
    ingested: IngestRun, name: str, reason: str
) -> None:
    assert name in ingested.skipped, ingested.skipped
    assert reason in ingested.skipped[name]
    assert "\n" not in ingested.skipped[name] and len(ingested.skipped[name]) < 300


def test_duplicate_under_two_names_is_ingested_once(ingested: IngestRun) -> None:
    dupes = {n: r for n, r in ingested.skipped.items() if n in ("good.md", "copy-of-good.md")}
    assert len(dupes) == 1
    ((name, reason),) = dupes.items()
    other = "good.md" if name == "copy-of-good.md" else "copy-of-good.md"
    assert reason.startswith("duplicate of") and reason.split()[2].endswith(other)
    assert other in _texts(ingested)


def test_exit_status_and_summary_say_something_was_skipped(ingested: IngestRun) -> None:
    assert ingested.code == EXIT_SKIPPED
    assert f"{len(CASES) + 1} skipped" in ingested.out
    assert set(ingested.skipped) - {"good.md", "copy-of-good.md"} == set(CASES)


def _texts(ingested: IngestRun) -> dict[str, str]:
    """Source name → indexed text (the index must load)."""
    index = load_index(ingested.index)
    texts: dict[str, str] = {}
    for c in index.chunks:
        key = c.source.rsplit("/", 1)[-1]
        texts[key] = texts.get(key, "") + "\n" + c.text
    return texts


def test_everything_else_is_ingested_and_loadable(ingested: IngestRun) -> None:
    texts = _texts(ingested)
    for name in (
        "good.pdf",
        "latin1.txt",
        "hostile.html",
        "ragged.csv",
        "nocols.csv",
        "ok",
    ):
        assert name in texts, sorted(texts)
    assert "free of charge" in texts.get("good.md", "") + texts.get("copy-of-good.md", "")
    assert len(read_manifest(ingested.index).documents) == 7  # type: ignore[union-attr]


def test_latin1_text_is_decoded(ingested: IngestRun) -> None:
    assert "café workshop in Zürich" in _texts(ingested)["latin1.txt"]


def test_html_scripts_styles_and_deep_nesting_are_handled(ingested: IngestRun) -> None:
    text = _texts(ingested)["hostile.html"]
    assert "Osprey testbed" in text
    assert "alert(1)" not in text and "INJECTED" not in text and "p{}" not in text


def test_ragged_and_column_poor_csv_rows_are_kept(ingested: IngestRun) -> None:
    texts = _texts(ingested)
    ragged = texts["ragged.csv"]
    assert "title: Beta" in ragged and "amount" not in ragged.split("title: Beta")[1].split(".")[0]
    assert "extra 1: EXTRA" in ragged
    assert "name: Alpha" in texts["nocols.csv"]
