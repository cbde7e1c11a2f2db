"""Figure 7: pilotdesk's retrieval against a default llama-index pipeline built in the same run."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval.bench.common import REPO, BenchContext, Goal, Section, p50_p95, standalone
from eval.dataset import GoldenItem
from eval.metrics import evidence_at, hit_at, reciprocal_rank
from index.embedder import Embedder

TITLE = "7. Peer comparison on the golden set: pilotdesk vs a default llama-index pipeline"
# Built by `make bench` only (Makefile: PEER_VENV), never by `make test`.
PEER_PYTHON = REPO / "var" / "bench" / "peer-venv" / "bin" / "python"
# (ranked sources, passage texts) for one question
Ranking = tuple[list[str], list[str]]


def wrap_embedder(embedder: Embedder) -> Any:
    """A llama-index BaseEmbedding over our Embedder: the same model, no extra package."""
    from llama_index.core.embeddings import BaseEmbedding
    from pydantic import PrivateAttr

    class PilotdeskEmbedding(BaseEmbedding):
        """Delegates to index.embedder.Embedder (same weights, batching and normalisation)."""

        _inner: Embedder = PrivateAttr()

        def __init__(self, inner: Embedder) -> None:
            """Wrap a loaded Embedder."""
            super().__init__(model_name=inner.label, embed_batch_size=inner.batch_size)
            self._inner = inner

        def _get_query_embedding(self, query: str) -> list[float]:
            """One query vector."""
            return [float(x) for x in self._inner.encode_query(query)[0].tolist()]

        async def _aget_query_embedding(self, query: str) -> list[float]:
            """One query vector (async signature, same work)."""
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            """One passage vector."""
            return [float(x) for x in self._inner.encode([text])[0].tolist()]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            """Passage vectors in our batches."""
            return [[float(x) for x in row] for row in self._inner.encode(texts).tolist()]

    return PilotdeskEmbedding(embedder)


def _files(ctx: BenchContext) -> list[str]:
    """The same files pilotdesk ingests (discover skips eval/ sets and READMEs)."""
    from ingest.pipeline import discover

    return [str(s.path) for s in discover(ctx.corpus)[0] if s.path is not None]


def llama_index_retriever(ctx: BenchContext) -> tuple[Any, int, float]:
    """SimpleDirectoryReader → default SentenceSplitter → our model → VectorStoreIndex(top 10)."""
    from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    Settings.llm = None  # type: ignore[assignment] # MockLLM: retrieval needs no model, and the default wants an API key
    embed = wrap_embedder(ctx.query_embedder)
    Settings.embed_model = embed
    t0 = time.perf_counter()
    docs = SimpleDirectoryReader(input_files=_files(ctx)).load_data(show_progress=False)
    index = VectorStoreIndex.from_documents(
        docs, embed_model=embed, transformations=[SentenceSplitter()]
    )
    build_s = time.perf_counter() - t0
    return index.as_retriever(similarity_top_k=10), len(index.docstore.docs), build_s


def with_file_readers(ctx: BenchContext) -> tuple[Any, int, float] | None:
    """The same pipeline with llama-index-readers-file, read in the peer venv (None if absent).

    The peer venv reads and splits; its nodes are embedded here with the same model, so the
    two llama-index rows differ only in how files are read.
    """
    import json
    import subprocess

    from llama_index.core import Settings, VectorStoreIndex
    from llama_index.core.schema import TextNode

    if not PEER_PYTHON.exists():
        return None
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(PEER_PYTHON), str(Path(__file__).with_name("peer_reader.py"))],
        input=json.dumps(_files(ctx)),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "HOME": str(ctx.work)},  # nothing of the app's venv
    )
    if proc.returncode != 0:
        raise RuntimeError(f"peer reader failed: {proc.stderr[-400:]}")
    nodes = [TextNode(**d) for d in json.loads(proc.stdout)]
    Settings.llm = None  # type: ignore[assignment]
    embed = wrap_embedder(ctx.query_embedder)
    index = VectorStoreIndex(nodes, embed_model=embed)
    return index.as_retriever(similarity_top_k=10), len(nodes), time.perf_counter() - t0


def _score(
    items: list[GoldenItem], pipelines: list[Callable[[str], Ranking]], rounds: int = 3
) -> list[tuple[dict[str, float], list[float]]]:
    """hit@5, MRR@10, evidence@5 and per-question latency (ms) for each pipeline.

    The pipelines take turns on every question, in rotating order, for `rounds` rounds, and
    each keeps its fastest time: background load then hits all of them alike.
    """
    questions = [standalone(item) for item in items]
    for rank in pipelines:
        rank(questions[0])  # warm-up: first calls build lazy structures
    best = [[float("inf")] * len(items) for _ in pipelines]
    found: list[list[Ranking]] = [[] for _ in pipelines]
    for rnd in range(rounds):
        for i, q in enumerate(questions):
            for j in [(rnd + i + x) % len(pipelines) for x in range(len(pipelines))]:
                t0 = time.perf_counter()
                ranking = pipelines[j](q)
                best[j][i] = min(best[j][i], (time.perf_counter() - t0) * 1000)
                if rnd == 0:
                    found[j].append(ranking)
    out = []
    for j in range(len(pipelines)):
        sums = {"hit@5": 0.0, "mrr@10": 0.0, "evidence@5": 0.0}
        for item, (sources, passages) in zip(items, found[j], strict=True):
            sums["hit@5"] += hit_at(sources, item.sources, 5)
            sums["mrr@10"] += reciprocal_rank(sources, item.sources, 10)
            sums["evidence@5"] += evidence_at(passages, item.must_include, 5)
        out.append(({k: round(v / len(items), 3) for k, v in sums.items()}, best[j]))
    return out


def peer(ctx: BenchContext) -> Section:
    """Quality and latency of both pipelines over the answerable golden questions."""
    from eval.bench.query_bench import assistant_for
    from index.retrieve import Mode

    sec = Section("peer", TITLE)
    items = ctx.questions(answerable_only=True)
    retriever = assistant_for(ctx, ctx.sample_index).retriever()
    n_ours = len(retriever.index.chunks)

    def ours(mode: Mode) -> Callable[[str], Ranking]:
        """pilotdesk's search in one mode, as a ranking function."""

        def rank(q: str) -> Ranking:
            """Top-10 sources and passages."""
            hits = retriever.search(q, 10, mode)
            return [h.chunk.source for h in hits], [h.chunk.text for h in hits]

        return rank

    def theirs(li: Any) -> Callable[[str], Ranking]:
        """A llama-index retriever as a ranking function: top-10 file paths and node texts."""

        def rank(q: str) -> Ranking:
            """Top-10 sources and passages."""
            found = li.retrieve(q)
            return (
                [str(n.node.metadata.get("file_path", "")) for n in found],
                [n.node.get_content() for n in found],
            )

        return rank

    li, n_nodes, build_s = llama_index_retriever(ctx)
    names = [
        f"pilotdesk hybrid ({n_ours} chunks)",
        f"pilotdesk dense only ({n_ours} chunks)",
        f"llama-index core only, no file readers ({n_nodes} nodes, built in {build_s:.0f} s)",
    ]
    pipelines = [ours("hybrid"), ours("dense"), theirs(li)]
    readers = with_file_readers(ctx)
    if readers is not None:
        li2, n2, build2 = readers
        names.append(
            f"llama-index + llama-index-readers-file ({n2} nodes, built in {build2:.0f} s)"
        )
        pipelines.append(theirs(li2))
    else:
        sec.notes.append(
            "llama-index-readers-file row skipped: its venv is built by `make bench` "
            f"({PEER_PYTHON.parent.parent} is missing)."
        )
    scored = _score(items, pipelines, 1 if ctx.quick else 3)
    for name, (scores, lat) in zip(names, scored, strict=True):
        sec.rows.append({"pipeline": name, "questions": len(items), **scores, **p50_p95(lat)})
    mine, base = sec.rows[0], sec.rows[-1]  # the fairest peer row present
    keys = ("hit@5", "mrr@10", "evidence@5")
    better = all(mine[k] >= base[k] for k in keys)
    sec.goals += [
        Goal(
            f"quality vs {base['pipeline'].split(' (')[0]}",
            "ahead on hit@5, MRR@10, evidence@5",
            " / ".join(f"{mine[k]:.3f} vs {base[k]:.3f}" for k in keys),
            better,
        ),
        Goal(
            f"query latency vs {base['pipeline'].split(' (')[0]}",
            "p95 not slower",
            f"{mine['p95_ms']:.1f} vs {base['p95_ms']:.1f} ms",
            mine["p95_ms"] <= base["p95_ms"],
        ),
    ]
    sec.notes += [
        "all use the same MiniLM through the same embedder, the configured query backend "
        "(llama-index gets a small BaseEmbedding wrapper) and the same files; latency includes "
        "the query embedding; the pipelines take turns on each question, fastest of 3 rounds "
        "(the goal compares the fastest of 3 too, as for every peer run).",
        "core only: without llama-index-readers-file SimpleDirectoryReader reads a PDF as raw "
        "bytes. The readers row installs the reader its docs tell users to install, in its own "
        "venv (it pins pandas<3, pypdf<7). Both use the default SentenceSplitter (1024-token "
        "chunks, of which MiniLM reads the first 256) and the same embedder.",
    ]
    return sec
