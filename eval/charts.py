"""PNG charts of an evaluation (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def _pyplot() -> Any:
    """matplotlib.pyplot on the Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _grouped_bars(
    path: Path,
    title: str,
    groups: Sequence[str],
    series: Mapping[str, Sequence[float]],
    ylabel: str = "score",
) -> Path:
    """One bar per series inside each group."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(groups) + 2), 4.2))
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        xs = [g + (i - (len(series) - 1) / 2) * width for g in range(len(groups))]
        ax.bar(xs, values, width=width, label=name)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, rotation=20, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def write_charts(
    out: Path, report: Mapping[str, Any], records: Mapping[str, Sequence[Mapping[str, Any]]]
) -> list[Path]:
    """by_kind.png, latency.png and, for several retrievers, ablation.png."""
    k = report["meta"]["k"]
    primary = report["primary"]
    by_kind = report["runs"][primary]["by_kind"]
    kinds = list(by_kind)
    metrics = [f"hit@{k}", f"evidence@{k}", "must_include_recall", "abstained_rate"]
    series = {m: [float(by_kind[kd].get(m, 0.0)) for kd in kinds] for m in metrics}
    paths = [_grouped_bars(out / "by_kind.png", f"{primary} retriever by kind", kinds, series)]

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4.0))
    for run, recs in records.items():
        ax.hist([r["latency_ms"] for r in recs], bins=20, alpha=0.55, label=run)
    ax.set_xlabel("latency per question (ms)")
    ax.set_ylabel("questions")
    ax.set_title("Answer latency")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=100)
    plt.close(fig)
    paths.append(out / "latency.png")

    runs = report["runs"]
    if len(runs) > 1:
        names = ["hit@1", f"hit@{k}", "mrr@10", "ndcg@10", f"evidence@{k}", "must_include_recall"]
        series = {run: [float(runs[run]["overall"].get(m, 0.0)) for m in names] for run in runs}
        paths.append(_grouped_bars(out / "ablation.png", "Retrievers compared", names, series))
    return paths
