"""The ONNX Runtime embedder gives sentence-transformers' vectors and the same search results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from index.embedder import Embedder
from index.onnx_embedder import MODEL_FILE, OnnxEmbedder, export_folder, read_export
from index.retrieve import Retriever
from index.store import load_index

REPO = Path(__file__).resolve().parents[2]


def _corpus_texts(root: Path, n: int = 200) -> list[str]:
    """Chunk texts and stored sentences of the sample index, plus a few over 256 tokens."""
    index = load_index(root)
    texts = [c.search_text for c in index.chunks]
    for c in index.chunks:
        found = index.sentences(c.id)
        assert found is not None
        texts.extend(found[0])
    long = [" ".join(c.text for c in index.chunks[i : i + 4]) for i in range(0, 12, 4)]
    return long + texts[: n - len(long)]


def test_onnx_matches_torch_on_200_corpus_texts(
    embedder: Embedder, onnx_embedder: OnnxEmbedder, sample_index: Path
) -> None:
    """Cosine >= 0.9999 on every text, including ones sentence-transformers truncates."""
    texts = _corpus_texts(sample_index)
    assert len(texts) == 200
    a = embedder.encode(texts)
    b = onnx_embedder.encode(texts)
    assert b.shape == a.shape == (200, 384)
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    cos = (a * b).sum(1)
    assert float(cos.min()) >= 0.9999, f"lowest cosine {cos.min():.6f}"


def test_onnx_gives_the_same_top10_on_eval_questions(
    embedder: Embedder, onnx_embedder: OnnxEmbedder, sample_index: Path
) -> None:
    """Hybrid search returns identical top-10 chunk lists with either backend."""
    index = load_index(sample_index)
    questions = []
    for name in ("smoke.jsonl", "dev.jsonl", "test.jsonl"):
        with open(REPO / "data" / "eval" / name, encoding="utf-8") as fh:
            questions += [json.loads(line)["question"] for line in fh if line.strip()]
    assert len(questions) >= 100
    by_torch, by_onnx = Retriever(index, embedder), Retriever(index, onnx_embedder)
    for q in questions:
        want = [h.chunk.id for h in by_torch.search(q, 10)]
        got = [h.chunk.id for h in by_onnx.search(q, 10)]
        assert got == want, q


def test_a_corrupt_export_is_not_used(onnx_embedder: OnnxEmbedder, tmp_path: Path) -> None:
    """The checksum in meta.json rejects a damaged model file; an intact copy is accepted."""
    src = onnx_embedder.export().folder
    copy = export_folder(tmp_path, onnx_embedder.label)
    shutil.copytree(src, copy)
    assert read_export(tmp_path, "") is not None
    with open(copy / MODEL_FILE, "r+b") as fh:
        fh.seek(4096)
        byte = fh.read(1)
        fh.seek(4096)
        fh.write(bytes([byte[0] ^ 0xFF]))
    assert read_export(tmp_path, "") is None
    assert read_export(tmp_path, "", verify=False) is not None  # only the checksum caught it
