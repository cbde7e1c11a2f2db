"""Figure 8: faster embedding backends, quality and speed side by side on the golden set."""

from __future__ import annotations

import copy
import dataclasses
import importlib.util
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from eval.bench.common import REPO, BenchContext, Section, UncachedEmbedder, p50_p95, standalone
from eval.metrics import evidence_at, hit_at, reciprocal_rank
from index.embedder import Embedder

if TYPE_CHECKING:
    from index.store import LoadedIndex

TITLE = "8. Faster embeddings: backends and a static distillation of MiniLM, quality and speed"
Encode = Callable[[list[str]], np.ndarray]


class FnEmbedder(UncachedEmbedder):
    """An Embedder whose encode() is any function, so the real Retriever can use it."""

    def __init__(self, base: Embedder, fn: Encode) -> None:
        """Keep the base's label and batch size; encode with fn."""
        super().__init__(base.model_name, base.batch_size, base.device)
        self._fn = fn

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Unit-length float32 rows."""
        v = np.asarray(self._fn(texts), dtype=np.float32)
        return np.ascontiguousarray(v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12))


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """MiniLM's pooling: mean of token vectors under the attention mask."""
    m = mask[..., None].astype(np.float32)
    return np.asarray((hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9))


def torch_int8(model: Any) -> Encode:
    """The same model with its Linear layers dynamically quantised to int8 (no new package)."""
    import torch

    q = copy.deepcopy(model)
    torch.ao.quantization.quantize_dynamic(q[0].model, {torch.nn.Linear}, torch.qint8, inplace=True)
    return lambda t: q.encode(t, batch_size=32, convert_to_numpy=True)


def onnx_runtime(model: Any, work: Any, int8: bool) -> Encode:
    """MiniLM exported with torch.onnx and run by onnxruntime (optionally int8-quantised)."""
    import onnxruntime as ort
    import torch

    path = work / "minilm.onnx"
    if not path.exists():
        tok = model.tokenizer(["a b", "c"], padding=True, return_tensors="pt")
        names = ["input_ids", "attention_mask", "token_type_ids"]

        class Wrapped(torch.nn.Module):
            """BertModel with positional inputs, as torch.onnx.export passes them."""

            def __init__(self, m: Any) -> None:
                """Hold the BERT module."""
                super().__init__()
                self.m = m

            def forward(self, a: Any, b: Any, c: Any) -> Any:
                """Positional inputs for the exporter; the last hidden state out."""
                return self.m(input_ids=a, attention_mask=b, token_type_ids=c).last_hidden_state

        torch.onnx.export(
            Wrapped(model[0].model).eval(),
            tuple(tok[n] for n in names),
            str(path),
            dynamo=False,
            input_names=names,
            output_names=["h"],
            opset_version=17,
            dynamic_axes={n: {0: "b", 1: "s"} for n in [*names, "h"]},
        )
    if int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        q = work / "minilm-int8.onnx"
        quantize_dynamic(str(path), str(q), weight_type=QuantType.QInt8)
        path = q
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = torch.get_num_threads()
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    tok_fn = model.tokenizer
    limit = model.max_seq_length

    def encode(texts: list[str]) -> np.ndarray:
        """Mean-pooled token states, batches of 32 sorted by length."""
        order = np.argsort([-len(t) for t in texts])  # length-sorted batches pad less
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i in range(0, len(texts), 32):
            idx = order[i : i + 32]
            x = tok_fn(
                [texts[j] for j in idx],
                padding=True,
                truncation=True,
                max_length=limit,
                return_tensors="np",
            )
            feed = {
                k: x[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")
            }
            out[idx] = _mean_pool(sess.run(None, feed)[0], x["attention_mask"])
        return out

    return encode


def static_distill(
    model: Any, quick: bool, cache: Path | None, dims: int = 256
) -> tuple[Encode, float, bool]:
    """A model2vec-style static model: each vocabulary token through MiniLM, PCA, Zipf weights.

    The `model2vec[distill]` extra pins transformers<5.4 (we run 5.24), so the same recipe is
    done here with the packages we have: per-token output embeddings, PCA to 256 dimensions,
    SIF weighting by vocabulary rank; a text is the mean of its tokens' vectors.
    """
    import torch

    t0 = time.perf_counter()
    tok = model.tokenizer
    vocab = tok.get_vocab()
    keep = sorted(i for t, i in vocab.items() if not (t.startswith("[") and t.endswith("]")))
    if quick:
        keep = keep[:300]
    path = cache / f"static-minilm-{len(keep)}x{dims}.npy" if cache else None
    hit = path is not None and path.exists()
    if path is not None and hit:
        emb = np.load(path)
    else:
        bert = model[0].model
        cls, sep = tok.cls_token_id, tok.sep_token_id
        rows = []
        with torch.inference_mode():
            for lo in range(0, len(keep), 1024):
                ids = torch.tensor([[cls, i, sep] for i in keep[lo : lo + 1024]])
                h = bert(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
                rows.append(h.mean(1).numpy())
        emb = np.vstack(rows)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, emb)
    emb -= emb.mean(0)
    _, _, vt = np.linalg.svd(emb, full_matrices=False)
    emb = emb @ vt[:dims].T
    rank = np.arange(1, len(keep) + 1, dtype=np.float64)
    p = (1 / rank) / (1 / rank).sum()
    emb *= (1e-4 / (1e-4 + p))[:, None]
    table = np.zeros((len(vocab), dims), dtype=np.float32)
    table[keep] = emb
    known = np.zeros(len(vocab), dtype=bool)
    known[keep] = True

    def encode(texts: list[str]) -> np.ndarray:
        """Mean of the known tokens' static vectors (first 512 tokens)."""
        out = np.zeros((len(texts), dims), dtype=np.float32)
        for j, ids in enumerate(tok(texts, add_special_tokens=False)["input_ids"]):
            ids = [i for i in ids[:512] if known[i]]
            if ids:
                out[j] = table[ids].mean(0)
        return out

    return encode, time.perf_counter() - t0, hit


def _quality(
    ctx: BenchContext, sample: LoadedIndex, emb: FnEmbedder, vecs: np.ndarray
) -> dict[str, float]:
    """hit@5, MRR@10, evidence@5 of hybrid search when dense retrieval uses this model."""
    import faiss

    from index.retrieve import RetrievalConfig, Retriever

    flat = faiss.IndexFlatIP(vecs.shape[1])
    flat.add(vecs)
    index = dataclasses.replace(sample, vectors=vecs, faiss=flat)
    r = ctx.settings.retrieval
    retriever = Retriever(index, emb, RetrievalConfig(r.candidates, r.rrf_k))
    items = ctx.questions(answerable_only=True)
    s = {"hit@5": 0.0, "mrr@10": 0.0, "evidence@5": 0.0}
    for item in items:
        hits = retriever.search(standalone(item), 10)
        src = [h.chunk.source for h in hits]
        s["hit@5"] += hit_at(src, item.sources, 5)
        s["mrr@10"] += reciprocal_rank(src, item.sources, 10)
        s["evidence@5"] += evidence_at([h.chunk.text for h in hits], item.must_include, 5)
    return {k: round(v / len(items), 3) for k, v in s.items()}


def embeddings(ctx: BenchContext) -> Section:
    """Each candidate embeds the sample chunks and the questions; quality via hybrid search."""
    from index.store import load_index

    sec = Section("embed", TITLE)
    base = ctx.embedder
    model = base._load()
    sample = load_index(ctx.sample_index)
    texts = [c.search_text for c in sample.chunks]
    queries = [standalone(q) for q in ctx.questions()]
    cands: list[tuple[str, Callable[[], Encode]]] = [
        ("MiniLM-L6 torch fp32 (default)", lambda: base.encode),
        ("MiniLM-L6 torch dynamic int8", lambda: torch_int8(model)),
    ]
    have_ort = importlib.util.find_spec("onnxruntime") and importlib.util.find_spec("onnx")
    if have_ort and ctx.quick:
        sec.notes.append("ONNX Runtime rows skipped in --quick (the export takes a while).")
    elif have_ort:
        cands += [
            ("MiniLM-L6 ONNX Runtime fp32", lambda: onnx_runtime(model, ctx.work, False)),
            ("MiniLM-L6 ONNX Runtime int8", lambda: onnx_runtime(model, ctx.work, True)),
        ]
    else:
        sec.notes.append(
            "ONNX Runtime rows skipped: onnxruntime/onnx not installed (pip install onnxruntime "
            "onnx). sentence-transformers' own ONNX backend needs optimum, which would downgrade "
            "transformers to 4.x here, so it is not tried."
        )
    static_s: list[tuple[float, bool]] = []
    # Distilling runs all ~30k vocabulary tokens through MiniLM (about a minute on 2 cores):
    # full runs keep the token table under var/bench/cache and reuse it.
    cache = None if ctx.quick else REPO / "var" / "bench" / "cache"

    def make_static() -> Encode:
        """Distil (or load the cached table) and record how long it took."""
        fn, secs, hit = static_distill(model, ctx.quick, cache)
        static_s.append((secs, hit))
        return fn

    cands.append(("static 256-d distilled from MiniLM-L6 (model2vec recipe)", make_static))
    for name, make in cands:
        fn = make()
        emb = FnEmbedder(base, fn)
        emb.encode(texts[:8])  # warm-up
        t0 = time.perf_counter()
        vecs = emb.encode(texts)
        secs = time.perf_counter() - t0
        qms = []
        for q in queries:
            t1 = time.perf_counter()
            emb.encode_query(q)
            qms.append((time.perf_counter() - t1) * 1000)
        row: dict[str, Any] = {"model": name, "chunks_per_s": round(len(texts) / secs, 1)}
        row["query_p50_ms"] = p50_p95(qms)["p50_ms"]
        row.update(_quality(ctx, sample, emb, vecs))
        if name.startswith("MiniLM") and "default" not in name:
            ref = base.encode(texts[:32])
            row["min_cos_to_fp32"] = round(float((emb.encode(texts[:32]) * ref).sum(1).min()), 4)
        sec.rows.append(row)
    if static_s:
        secs, hit = static_s[0]
        how = "table reused from var/bench/cache" if hit else "once per model, then cached"
        sec.notes.append(f"static distillation took {secs:.0f} s ({how}).")
    default = sec.rows[0]
    as_good = [
        r["model"]
        for r in sec.rows[1:]
        if all(r[k] >= default[k] - 0.005 for k in ("hit@5", "mrr@10", "evidence@5"))
        and r["chunks_per_s"] > default["chunks_per_s"]
    ]
    sec.notes.append(
        "quality is hybrid search (this model's dense list + the same BM25 and exact lists). "
        + (
            f"as good as the default and faster here: {', '.join(as_good)}."
            if as_good
            else "no faster candidate matched the default's quality: the default stays."
        )
    )
    return sec
