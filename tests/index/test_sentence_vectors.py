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
