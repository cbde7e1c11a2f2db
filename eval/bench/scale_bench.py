"""Figures 3b and 3c: latency at 10k/100k/1M chunks, and FAISS flat against HNSW and IVF."""

from __future__ import annotations

import gc
import math
import shutil
import time
from typing import Any

import numpy as np

from eval.bench import synthetic
from eval.bench.common import BenchContext, Goal, Section, p50_p95, rss_mb, standalone
from eval.bench.query_bench import assistant_for, retrieval_goal, stage_latencies, stage_rows

TITLE_SCALE = "3b. Query latency at scale (sample corpus + synthetic chunks)"
TITLE_ANN = "3c. FAISS exact (flat) vs approximate (HNSW, IVF): latency, memory, recall@10"
TEXT_LIMIT = 100_000  # above this, BM25 and chunk text are not built (time budget)
EF_SWEEP = (16, 32, 64, 128)
NPROBE_SWEEP = (16, 64, 256)


def scale(ctx: BenchContext) -> tuple[Section, Section]:
    """Build each synthetic size, time every stage, and compare dense indexes at the large ones."""
    from index.store import load_index

    lat = Section("scale", TITLE_SCALE)
    ann = Section("ann", TITLE_ANN)
    sample = load_index(ctx.sample_index)
    # 40 questions per size: p95 stays meaningful and three sizes fit the time budget.
    texts = [standalone(q) for q in ctx.questions()][:40]
    qreal = ctx.embedder.encode([standalone(q) for q in ctx.questions()])
    threshold = ctx.settings.retrieval.hnsw_threshold
    big = [n for n in ctx.sizes if n >= 100_000] or ctx.sizes[-1:]
    bm25_rate: float | None = None  # seconds per chunk to build BM25, for the skip note
    hnsw_rate: float | None = None
    for n in ctx.sizes:
        if ctx.over_time():
            lat.notes.append(f"{n:,} chunks: skipped, the run's time budget was used up")
            continue
        root = ctx.work / f"scale-{n}"
        with_text = n <= TEXT_LIMIT
        si = synthetic.build(sample, n, root, threshold, with_text=with_text)
        search_ms: dict[str, list[float]] = {}
        if n in big:
            ann.rows += _compare(ctx, si, qreal, hnsw_rate, search_ms)
        if with_text:
            bm25_rate = si.parts_s.get("bm25", 0.0) / n
            if si.faiss_type == "hnsw":
                hnsw_rate = si.parts_s.get("faiss", 0.0) / n
            _text_size(ctx, lat, si, texts)
        else:
            lat.rows += _dense_only_rows(ctx, n, texts, search_ms)
            bm25 = f"~{bm25_rate * n / 60:.0f} min" if bm25_rate else "minutes"
            hnsw = f"~{hnsw_rate * n * 1.2 / 60:.0f} min" if hnsw_rate else "many minutes"
            lat.rows.append(
                {
                    "corpus": f"synthetic {n:,}",
                    "chunks": n,
                    "stage": "BM25 / fusion / answer",
                    "n": 0,
                    "p50_ms": None,
                    "p95_ms": None,
                    "note": f"skipped: a full index of {n:,} chunks needs HNSW ({hnsw}) and BM25 "
                    f"({bm25}) on 2 cores (rates measured at {TEXT_LIMIT:,}), beyond the budget",
                }
            )
        del si  # 1M vectors are 1.5 GB: free them before the next size
        gc.collect()
    _ann_goal(ctx, ann)
    lat.notes += [
        "each index holds the real sample chunks plus synthetic filler: clustered random unit "
        "vectors and text drawn from the corpus's word frequencies; queries are the golden "
        "questions, so answers still come from real passages.",
        f"FAISS type follows retrieval.hnsw_threshold ({threshold:,}): flat below, HNSW at or "
        "above; the 100k index is the one the memory figure serves.",
    ]
    ann.notes += [
        "recall@10 = share of exact top-10 found; 'synthetic q' are perturbed corpus vectors "
        "(hard), 'golden q' the real question embeddings. Latency: one query at a time, k=30 "
        "candidates, as search() asks. Memory: RSS growth while building or loading the index.",
    ]
    return lat, ann


def _text_size(ctx: BenchContext, sec: Section, si: synthetic.SyntheticIndex, q: list[str]) -> None:
    """Full pipeline latency and bytes per chunk for an index with text."""
    sizes = synthetic.file_sizes(si.root)
    before = rss_mb()
    t0 = time.perf_counter()
    assistant = assistant_for(ctx, si.root)
    index = assistant.retriever().index
    load_s = time.perf_counter() - t0
    ms = stage_latencies(assistant, q)
    label = f"synthetic {si.n:,} ({si.faiss_type})"
    sec.rows += stage_rows(label, si.n, ms)
    sec.rows.append(
        {
            "corpus": label,
            "chunks": si.n,
            "stage": "build / load",
            "note": f"write_version {si.build_s:.1f} s (FAISS {si.parts_s.get('faiss', 0):.1f} s, "
            f"BM25 {si.parts_s.get('bm25', 0):.1f} s); load {load_s:.2f} s, "
            f"+{rss_mb() - before:.0f} MiB RSS; {sizes['total'] / si.n:,.0f} bytes/chunk on disk",
        }
    )
    ctx.shared.setdefault("disk", {})[si.n] = sizes
    ctx.shared.setdefault("index_roots", {})[si.n] = si.root
    if si.n >= 100_000 and "goal_100k" not in ctx.shared:
        ctx.shared["goal_100k"] = True
        where = f"{si.n:,} chunks, {index.manifest.faiss_type}"
        sec.goals.append(retrieval_goal(where, ms))


def _dense_only_rows(
    ctx: BenchContext, n: int, texts: list[str], search_ms: dict[str, list[float]]
) -> list[dict[str, Any]]:
    """At sizes without text: query embedding plus the flat and IVF latencies of _compare."""
    label = f"synthetic {n:,} (vectors only)"
    embed = _per_query(lambda i: ctx.embedder.encode_query(texts[i]), len(texts))
    flat_ms, ivf_ms = search_ms["flat"], search_ms["ivf"]
    rows = [
        ("query embedding", embed),
        ("dense search (FAISS flat)", flat_ms),
        ("dense search (IVF nprobe=16)", ivf_ms),
        ("retrieval dense-only, flat (embed + search)", _sums(embed, flat_ms)),
        ("retrieval dense-only, IVF (embed + search)", _sums(embed, ivf_ms)),
    ]
    return [{"corpus": label, "chunks": n, "stage": s, "n": len(v), **p50_p95(v)} for s, v in rows]


def _sums(a: list[float], b: list[float]) -> list[float]:
    """Per-question totals of two stages (the shorter list sets the count)."""
    return [x + y for x, y in zip(a, b, strict=False)]


def _search_ms(index: Any, queries: np.ndarray, k: int = 30) -> list[float]:
    """Milliseconds per query, one query at a time (as search() sends them)."""
    return _per_query(lambda i: index.search(queries[i : i + 1], k), len(queries))


def _per_query(fn: Any, n: int) -> list[float]:
    """Milliseconds for fn(i), i in range(n), after one warm-up call."""
    fn(0)
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _ivf(vecs: np.ndarray) -> tuple[Any, float]:
    """An IVF-flat index with about sqrt(n) lists (a power of two), and its build seconds."""
    import faiss

    n, dim = vecs.shape
    nlist = max(16, 2 ** round(math.log2(math.sqrt(n))))
    t0 = time.perf_counter()
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(3)
    train = vecs[np.sort(rng.choice(n, size=min(n, 40 * nlist), replace=False))]
    index.train(train)
    index.add(vecs)
    return index, time.perf_counter() - t0


def _recall(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of each exact top-10 found in the approximate top-10."""
    return float(
        np.mean([len(set(f[:10]) & set(t[:10])) / 10 for f, t in zip(found, truth, strict=True)])
    )


def _compare(
    ctx: BenchContext,
    si: synthetic.SyntheticIndex,
    qreal: np.ndarray,
    hnsw_rate: float | None,
    search_ms: dict[str, list[float]],
) -> list[dict[str, Any]]:
    """Flat vs HNSW (the product's, from disk) vs IVF on the same vectors and queries.

    Per-query latencies of flat and IVF (nprobe=16) are left in search_ms for figure 3b.
    """
    import faiss

    from index.store import HNSW_EF_SEARCH, VERSIONS, build_faiss, current_version

    vecs, n = si.vectors, si.n
    qsyn = synthetic.perturbed_queries(vecs, 50 if ctx.quick else 200)
    # Exact search at 1M takes ~0.1-0.3 s a query: time fewer of them there.
    m_flat = min(len(qreal), 12 if ctx.quick else 40) if n > TEXT_LIMIT else len(qreal)
    rows: list[dict[str, Any]] = []

    def row(name: str, index: Any, build_s: float | None, mem: float, param: str = "") -> None:
        """Time and score one index setting; add its table row."""
        ms = _search_ms(index, qreal[:m_flat] if name.startswith("flat") else qreal)
        if name.startswith("flat") or param == "nprobe=16":
            search_ms["flat" if name.startswith("flat") else "ivf"] = ms
        rows.append(
            {
                "chunks": n,
                "index": name,
                "param": param,
                "build_s": None if build_s is None else round(build_s, 1),
                "memory_mib": round(mem, 0),
                **p50_p95(ms),
                "recall@10 synthetic q": round(_recall(index.search(qsyn, 10)[1], t_syn), 3),
                "recall@10 golden q": round(_recall(index.search(qreal, 10)[1], t_real), 3),
            }
        )

    before = rss_mb()
    t0 = time.perf_counter()
    flat = faiss.IndexFlatIP(vecs.shape[1])
    flat.add(vecs)
    build: float | None = time.perf_counter() - t0
    t_syn, t_real = flat.search(qsyn, 10)[1], flat.search(qreal, 10)[1]
    row("flat (exact)", flat, build, rss_mb() - before)
    del flat
    before = rss_mb()
    hnsw: Any = None
    if si.faiss_type == "hnsw":
        vdir = si.root / VERSIONS / str(current_version(si.root))
        hnsw, build = faiss.read_index(str(vdir / "dense.faiss")), si.parts_s.get("faiss")
    elif n <= TEXT_LIMIT:
        t0 = time.perf_counter()
        hnsw, build = build_faiss(vecs, 0), time.perf_counter() - t0
    if hnsw is not None:
        mem = rss_mb() - before
        for ef in EF_SWEEP:
            hnsw.hnsw.efSearch = ef
            mark = {HNSW_EF_SEARCH: " (pilotdesk)", 16: " (FAISS default)"}.get(ef, "")
            row("HNSW M=32 efC=80", hnsw, build, mem, f"efSearch={ef}{mark}")
        del hnsw
    else:
        est = f"~{hnsw_rate * n * 1.2 / 60:.0f} min" if hnsw_rate else "many minutes"
        why = f"skipped: building it takes {est} on 2 cores (from the 100k rate)"
        rows.append({"chunks": n, "index": "HNSW M=32 efC=80", "param": why})
    before = rss_mb()
    ivf, build = _ivf(vecs)
    mem = rss_mb() - before
    for nprobe in NPROBE_SWEEP:
        ivf.nprobe = nprobe
        row(f"IVF-flat nlist={ivf.nlist}", ivf, build, mem, f"nprobe={nprobe}")
    del ivf
    return rows


def _ann_goal(ctx: BenchContext, sec: Section) -> None:
    """Goal line: the shipped HNSW setting's recall at the first large size."""
    from index.store import HNSW_EF_SEARCH

    mine = [r for r in sec.rows if f"efSearch={HNSW_EF_SEARCH}" in str(r.get("param"))]
    if mine:
        r = mine[0]
        sec.goals.append(
            Goal(
                f"HNSW recall@10 vs flat at {r['chunks']:,} (efSearch={HNSW_EF_SEARCH})",
                ">= 0.95",
                f"{r['recall@10 synthetic q']:.3f} synthetic q, "
                f"{r['recall@10 golden q']:.3f} golden q",
                r["recall@10 synthetic q"] >= 0.95,
            )
        )


def cleanup(ctx: BenchContext, keep: set[int]) -> None:
    """Remove synthetic indexes no later figure needs (they take ~5 KB per chunk)."""
    for n, root in list(ctx.shared.get("index_roots", {}).items()):
        if n not in keep:
            shutil.rmtree(root, ignore_errors=True)
