"""Sentence vectors stored at ingest: the answer step's splitter, the model's vectors, float16."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.backends.extractive import split_sentences as reexported
from index.embedder import Embedder
from index.sentence_store import VECTORS
from index.store import VERSIONS, load_index
from ingest.sentences import split_sentences


def test_each_chunk_has_its_sentences_and_their_vectors(
    embedder: Embedder, sample_index: Path
) -> None:
    """sentences(chunk_id) is split_sentences of the chunk, with unit vectors of those texts."""
    assert reexported is split_sentences  # app code keeps importing it from its old place
    index = load_index(sample_index)
    stored = np.load(next((sample_index / VERSIONS).glob(f"*/{VECTORS}")), mmap_mode="r")
    assert stored.dtype == np.float16
    total = 0
    for c in index.chunks[::10]:
        found = index.sentences(c.id)
        assert found is not None
        texts, vecs = found
        assert texts == split_sentences(c.text, c.heading)
        assert vecs.dtype == np.float32 and vecs.shape == (len(texts), 384)
        if texts:
            cos = (vecs * embedder.encode(texts)).sum(1)
            assert float(cos.min()) > 0.999  # float16 storage costs less than 1e-3
        total += len(texts)
    assert total > len(index.chunks[::10])  # chunks hold several sentences


def test_sentence_vectors_for_pairs(sample_index: Path) -> None:
    """Vectors for (chunk id, sentence) pairs in order; None as soon as one is not stored."""
    index = load_index(sample_index)
    a, b = index.chunks[0], index.chunks[5]
    sa, va = index.sentences(a.id) or ([], None)
    sb, vb = index.sentences(b.id) or ([], None)
    assert va is not None and vb is not None
    got = index.sentence_vectors([(b.id, sb[-1]), (a.id, sa[0])])
    assert got is not None and got.shape == (2, 384)
    np.testing.assert_array_equal(got, np.vstack([vb[-1], va[0]]))
    assert index.sentence_vectors([(a.id, "A sentence no chunk holds.")]) is None
    assert index.sentence_vectors([("no-such-chunk", sa[0])]) is None


def test_passage_headings_are_stored_and_kept_across_ingests(
    embedder: Embedder, tmp_path: Path
) -> None:
    """Every chunk heading's vector is in the version; an incremental ingest keeps the rest."""
    import shutil

    from index.sentence_store import HEADINGS, StoredSentenceEmbedder
    from tests.helpers import build_index

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# Allocations\n\n## How long\n\nAn award lasts a year.\n")
    (docs / "b.md").write_text("# Reports\n\n## When\n\nReports are due twice a year.\n")
    root = tmp_path / "index"
    build_index([str(docs)], root, embedder)
    index = load_index(root)
    headings = {c.heading.strip() for c in index.chunks if c.heading.strip()}
    assert headings and index.sentence_store is not None
    assert set(index.sentence_store.headings) == headings
    found = index.sentence_store.lookup(sorted(headings))
    assert all(v is not None for v in found)
    cos = (np.vstack(found) * embedder.encode(sorted(headings))).sum(1)  # type: ignore[arg-type]
    assert float(cos.min()) > 0.999
    # The answer step's embedder takes them from the store: same vectors as the model's.
    stored = StoredSentenceEmbedder(embedder, lambda: index.sentence_store)
    assert np.allclose(stored.encode(sorted(headings)), np.vstack(found))  # type: ignore[arg-type]

    # Replace one document: the other's heading is kept, the removed one's heading goes.
    shutil.copy(docs / "a.md", tmp_path / "a.md")
    (docs / "a.md").write_text("# Allocations\n\n## Who may apply\n\nResearchers may apply.\n")
    build_index([str(docs)], root, embedder)
    again = load_index(root)
    now = {c.heading.strip() for c in again.chunks if c.heading.strip()}
    assert again.sentence_store is not None and set(again.sentence_store.headings) == now
    assert now != headings and (now & headings)
    assert next((root / VERSIONS).glob(f"*/{HEADINGS}")).exists()


def test_a_label_wrapped_before_its_value_is_one_sentence() -> None:
    """'Site B:' at the end of a wrapped line and '12 racks …' on the next are one fact."""
    text = "Site A: 4 racks. Site B:\n12 racks of 40 GB cards,\n2 TB of disk. Notes:\n- first item"
    assert split_sentences(text) == [
        "Site A: 4 racks.",
        "Site B: 12 racks of 40 GB cards, 2 TB of disk.",
        "Notes:",
        "first item",
    ]
