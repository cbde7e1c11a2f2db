"""Incremental ingest, atomic versions and fingerprints on a real index."""

from __future__ import annotations

import resource
import signal
from pathlib import Path

import pytest

from index.builder import apply_plan, previous_hashes
from index.embedder import Embedder
from index.errors import IndexMismatch, IndexNotFound, IndexWriteError
from index.retrieve import Retriever
from index.store import Fingerprint, current_version, load_index, read_manifest
from ingest.pipeline import plan_ingest
from tests.helpers import CHUNKING, build_index, ingest_config, make_pdf, reply, serve


def corpus(tmp_path: Path) -> Path:
    """A small mixed corpus on disk."""
    d = tmp_path / "docs"
    d.mkdir()
    (d / "faq.md").write_text(
        "# FAQ\n\n## Who can apply?\nResearchers at US universities and colleges can apply.\n\n"
        "## What does it cost?\nNothing: resources are free to awardees.\n"
    )
    (d / "notes.txt").write_text("Office hours are held every Tuesday afternoon for applicants.\n")
    make_pdf(d / "deck.pdf", [["Kestrel cluster", "The Kestrel cluster offers 400 GPUs."]] * 1)
    return d


def search_sources(root: Path, embedder: Embedder, query: str) -> list[str]:
    """Sources of the top hits for a query on the current version."""
    r = Retriever(load_index(root), embedder)
    return [h.chunk.source for h in r.search(query, k=3)]


def test_unchanged_corpus_embeds_nothing(tmp_path: Path, embedder: Embedder) -> None:
    d, root = corpus(tmp_path), tmp_path / "index"
    plan, result = build_index([str(d)], root, embedder)
    assert len(plan.loaded) == 3 and result.embedded > 0
    first = current_version(root)
    plan2, result2 = build_index([str(d)], root, embedder)
    assert plan2.loaded == [] and len(plan2.unchanged) == 3
    assert result2.embedded == 0 and result2.version is None
    assert current_version(root) == first


def test_changed_file_is_reembedded_and_removed_file_disappears(
    tmp_path: Path, embedder: Embedder
) -> None:
    d, root = corpus(tmp_path), tmp_path / "index"
    build_index([str(d)], root, embedder)
    (d / "notes.txt").write_text("Office hours moved to Thursday mornings for applicants.\n")
    (d / "deck.pdf").unlink()
    plan, result = build_index([str(d)], root, embedder)
    assert [x.status for x in plan.loaded] == ["changed"]
    assert len(plan.removed) == 1 and len(plan.unchanged) == 1
    assert result.embedded == len(plan.loaded[0].chunks)
    index = load_index(root)
    texts = " ".join(c.text for c in index.chunks)
    assert "Thursday" in texts and "Tuesday" not in texts
    assert all(not c.source.endswith("deck.pdf") for c in index.chunks)
    assert index.vectors.shape[0] == len(index.chunks) == index.faiss.ntotal
    assert search_sources(root, embedder, "When are office hours?")[0].endswith("notes.txt")


def test_corrupt_pdf_is_skipped_and_the_rest_ingested(tmp_path: Path, embedder: Embedder) -> None:
    d, root = corpus(tmp_path), tmp_path / "index"
    (d / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not really a pdf\n%%EOF")
    plan, _ = build_index([str(d)], root, embedder)
    assert [s.source.endswith("broken.pdf") for s in plan.skipped] == [True]
    assert "PDF" in plan.skipped[0].reason
    assert len(read_manifest(root).documents) == 3  # type: ignore[union-attr]


def test_interrupted_write_leaves_previous_index_serving(
    tmp_path: Path, embedder: Embedder
) -> None:
    d, root = corpus(tmp_path), tmp_path / "index"
    build_index([str(d)], root, embedder)
    before = current_version(root)
    (d / "extra.md").write_text("# Extra\n\n" + "Allocation details and many more words. " * 400)
    plan = plan_ingest(
        [str(d)], previous_hashes(root, embedder.label, CHUNKING.fingerprint()), ingest_config()
    )
    # A real write failure from the OS: the file-size limit makes the vectors file fail (EFBIG).
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, hard))
    try:
        with pytest.raises(IndexWriteError, match="previous index is unchanged"):
            apply_plan(root, plan, embedder, CHUNKING.fingerprint(), [str(d)])
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    assert current_version(root) == before
    assert not any(p.name.startswith(".tmp") for p in (root / "versions").iterdir())
    assert search_sources(root, embedder, "Kestrel GPUs")[0].endswith("deck.pdf")


def test_fingerprint_mismatch_names_the_rebuild_command(tmp_path: Path, embedder: Embedder) -> None:
    d, root = corpus(tmp_path), tmp_path / "index"
    build_index([str(d)], root, embedder)
    other = Fingerprint(embedder.label, embedder.dim, {"max_tokens": 999, "overlap_tokens": 0})
    with pytest.raises(IndexMismatch, match=r"pilotdesk ingest .* --rebuild"):
        load_index(root, other)
    with pytest.raises(IndexNotFound, match="pilotdesk ingest"):
        load_index(tmp_path / "nowhere")


def test_url_ingestion_from_a_loopback_server(tmp_path: Path, embedder: Embedder) -> None:
    page = b"<html><head><title>Remote page</title></head><body><main><h1>Remote</h1>" + (
        b"<p>The Osprey testbed is reachable over HTTP for remote applicants.</p>"
        b"</main></body></html>"
    )
    routes = {
        "/page": reply(page, "text/html; charset=utf-8"),
        "/gone": reply(b"no", "text/plain", 404),
    }
    root = tmp_path / "index"
    with serve(routes) as base:
        plan, _ = build_index([f"{base}/page", f"{base}/gone"], root, embedder)
    assert [x.doc.title for x in plan.loaded] == ["Remote page"]
    assert "HTTP 404" in plan.skipped[0].reason
    assert search_sources(root, embedder, "Osprey testbed")[0] == f"{base}/page"


def test_url_to_loopback_is_refused_without_allow_list(tmp_path: Path, embedder: Embedder) -> None:
    with serve({"/p": reply(b"# Hi\n\nSecret internal page.", "text/markdown")}) as base:
        plan = plan_ingest([f"{base}/p"], {}, ingest_config(allow_private=()))
    assert plan.loaded == []
    assert "private, loopback or link-local" in plan.skipped[0].reason
