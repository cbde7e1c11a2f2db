"""Evaluation reports: records.jsonl, report.json, report.md, charts, comparisons and floors."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.ragas_metrics import JUDGED, NON_LLM

# Metrics where a rise is a regression; latency is shown but never gated (it depends on the box).
LOWER_IS_BETTER = {"false_abstention_rate"}
NOT_GATED = {"questions", "abstained_rate", "table_answered", "latency_p50_ms", "latency_p95_ms"}


def metric_order(k: int) -> list[str]:
    """Display order of the overall metrics."""
    return [
        "questions",
        "hit@1",
        f"hit@{k}",
        "mrr@10",
        "ndcg@10",
        f"evidence@{k}",
        f"all_sources@{k}",
        # The same retrieval metrics without the synthetic table-query hit (app/tables).
        "hit@1_no_table",
        f"hit@{k}_no_table",
        "mrr@10_no_table",
        "ndcg@10_no_table",
        f"evidence@{k}_no_table",
        "table_answered",
        "must_include_recall",
        "uncovered_named",
        "abstention_precision",
        "abstention_recall",
        "abstention_f1",
        "false_abstention_rate",
        "abstained_rate",
        "citation_validity",
        "cited_answer_rate",
        "cited_source_correctness",
        "cited_source_precision",
        *NON_LLM.values(),
        *JUDGED,
        "latency_p50_ms",
        "latency_p95_ms",
    ]


def kind_columns(k: int) -> list[str]:
    """Columns of the per-kind table."""
    return [
        "questions",
        "hit@1",
        f"hit@{k}",
        "mrr@10",
        f"evidence@{k}",
        f"evidence@{k}_no_table",
        "table_answered",
        "must_include_recall",
        "abstained_rate",
        "cited_source_correctness",
    ]


def build_report(summaries: Mapping[str, Any], meta: Mapping[str, Any]) -> dict[str, Any]:
    """The report.json document."""
    return {"meta": dict(meta), "primary": meta["primary"], "runs": dict(summaries)}


def fmt(value: Any, metric: str = "") -> str:
    """A metric value for a table."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if metric == "questions":
        return str(int(value))
    if metric.endswith("_ms"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> str:
    """A plain-text or Markdown table."""
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def overall_table(report: Mapping[str, Any], markdown: bool = False) -> str:
    """Overall metrics, one column per retriever run."""
    runs = report["runs"]
    names = list(runs)
    present = {m for r in runs.values() for m in r["overall"]}
    rows = [
        [m, *(fmt(runs[n]["overall"].get(m), m) for n in names)]
        for m in metric_order(report["meta"]["k"])
        if m in present
    ]
    return _table(["metric", *names], rows, markdown)


def kind_table(report: Mapping[str, Any], run: str, markdown: bool = False) -> str:
    """Per-kind metrics of one run."""
    by_kind = report["runs"][run]["by_kind"]
    cols = [c for c in kind_columns(report["meta"]["k"])]
    rows = [[kind, *(fmt(v.get(c), c) for c in cols)] for kind, v in by_kind.items()]
    return _table(["kind", *cols], rows, markdown)


MARKER_COLUMNS = ("questions", "abstained_rate", "must_include_recall", "hit@5", "mrr@10")


def marker_table(report: Mapping[str, Any], run: str, markdown: bool = False) -> str:
    """Per-marker metrics of one run (paraphrase, follow-up, unanswerable subtype, table op)."""
    by_marker = report["runs"][run].get("by_marker", {})
    rows = [[m, *(fmt(v.get(c), c) for c in MARKER_COLUMNS)] for m, v in by_marker.items()]
    return _table(["marker", *MARKER_COLUMNS], rows, markdown)


def summary_text(report: Mapping[str, Any]) -> str:
    """What `pilotdesk eval` prints: overall metrics and the primary run by kind."""
    meta = report["meta"]
    head = (
        f"{meta['questions']} questions from {meta['dataset']} · backend {meta['backend']} · "
        f"k={meta['k']} · index {meta['index']} ({meta['index_version']})"
    )
    primary = report["primary"]
    text = f"{head}\n\n{overall_table(report)}\n\n{primary} by kind:\n{kind_table(report, primary)}"
    if report["runs"][primary].get("by_marker"):
        text += f"\n\n{primary} by marker (abstained_rate: refused share):\n"
        text += marker_table(report, primary)
    return text


def attention(records: Sequence[Mapping[str, Any]], k: int) -> list[tuple[str, str]]:
    """Questions worth a look: (id, what went wrong)."""
    out = []
    for r in records:
        s = r["scores"]
        if r["kind"] == "unanswerable":
            if not r["abstained"]:
                out.append((r["id"], "answered a question the documents do not cover"))
            continue
        problems = []
        if r["abstained"]:
            problems.append(f"abstained (relevance {r['relevance']:.2f})")
        if s.get(f"hit@{k}") == 0:
            problems.append(f"no gold source in top {k}")
        elif s.get(f"evidence@{k}") == 0:
            problems.append(f"top {k} lack a must-include term")
        if not r["abstained"] and s.get("must_include_recall", 1) < 1:
            problems.append(f"answer has {s['must_include_recall']:.0%} of must-include terms")
        if s.get(f"all_sources@{k}") == 0:
            problems.append("not every source retrieved")
        if problems:
            out.append((r["id"], "; ".join(problems)))
    return out


def markdown_report(report: Mapping[str, Any], records: Mapping[str, Sequence[Any]]) -> str:
    """report.md: settings, overall, per kind, charts, and the questions to look at."""
    meta = report["meta"]
    k = meta["k"]
    parts = [
        f"# pilotdesk evaluation — {meta['date']}",
        "",
        f"- dataset: `{meta['dataset']}` ({meta['questions']} questions)",
        f"- index: `{meta['index']}` version {meta['index_version']}",
        f"- backend: {meta['backend']} · retrievers: {', '.join(report['runs'])} · k={k}",
        f"- answerability: {meta.get('answerability', 'not recorded')}",
        f"- command: `{meta['command']}`",
        f"- took {meta['seconds']:.1f} s",
    ]
    if meta.get("split") == "test":
        parts.append("- **test split: for reporting only; debug and tune on dev**")
    if meta.get("judge"):
        parts.append(f"- judge: {meta['judge']}")
    for w in meta.get("warnings", []):
        parts.append(f"- **warning:** {w}")
    parts += ["", "## Overall", "", overall_table(report, markdown=True)]
    for run in report["runs"]:
        parts += ["", f"## By kind ({run})", "", kind_table(report, run, markdown=True)]
        if report["runs"][run].get("by_marker"):
            parts += ["", f"## By marker ({run})", "", marker_table(report, run, markdown=True)]
    parts += ["", "## Charts", ""]
    parts += [f"![{c}]({c})" for c in meta.get("charts", [])]
    primary = report["primary"]
    parts += ["", f"## Questions to look at ({primary})", ""]
    todo = attention(records[primary], k)
    parts += [f"- **{i}**: {why}" for i, why in todo] or ["- none"]
    return "\n".join(parts) + "\n"


def write_outputs(
    out: Path, report: dict[str, Any], records: Mapping[str, Sequence[dict[str, Any]]]
) -> list[Path]:
    """Write records.jsonl, report.json, report.md and the charts; return the files written."""
    from eval.charts import write_charts

    out.mkdir(parents=True, exist_ok=True)
    charts = write_charts(out, report, records)
    report["meta"]["charts"] = [p.name for p in charts]
    with open(out / "records.jsonl", "w", encoding="utf-8") as fh:
        for run in records.values():
            for r in run:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out / "report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (out / "report.md").write_text(markdown_report(report, records), encoding="utf-8")
    return [out / "records.jsonl", out / "report.json", out / "report.md", *charts]


def load_report(path: Path) -> dict[str, Any]:
    """Read a report.json written earlier."""
    from eval.dataset import DatasetError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DatasetError(f"cannot read baseline report {path}: {exc}") from exc
    if not isinstance(data, dict) or "runs" not in data:
        raise DatasetError(f"{path} is not a pilotdesk report.json (no 'runs')")
    return data


def compare(
    report: Mapping[str, Any], baseline: Mapping[str, Any], tolerance: float
) -> tuple[str, list[str]]:
    """Deltas against a baseline report; returns the table and the regressions found."""
    rows: list[list[str]] = []
    regressions: list[str] = []
    order = metric_order(report["meta"]["k"])
    for run, summary in report["runs"].items():
        old_run = baseline["runs"].get(run)
        if old_run is None:
            continue
        old, new = old_run["overall"], summary["overall"]
        for m in [m for m in order if m in new and m in old] + sorted(
            set(new) & set(old) - set(order)
        ):
            delta = new[m] - old[m]
            worse = -delta if m not in LOWER_IS_BETTER else delta
            flag = ""
            if m not in NOT_GATED and worse > tolerance:
                flag = "REGRESSION"
                regressions.append(f"{run} {m}: {fmt(old[m], m)} → {fmt(new[m], m)}")
            rows.append([run, m, fmt(old[m], m), fmt(new[m], m), f"{delta:+.3f}", flag])
    table = _table(["run", "metric", "baseline", "now", "delta", ""], rows, markdown=False)
    return table, regressions


def parse_floors(specs: Sequence[str]) -> dict[str, float]:
    """Parse `metric=value` pairs from --fail-under."""
    from eval.dataset import DatasetError

    floors: dict[str, float] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        try:
            floors[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise DatasetError(f"--fail-under takes metric=value pairs, got {spec!r}")
    return floors


def check_floors(report: Mapping[str, Any], floors: Mapping[str, float]) -> list[str]:
    """Metrics of the primary run that are under their floor (or missing)."""
    overall = report["runs"][report["primary"]]["overall"]
    failures = []
    for name, floor in floors.items():
        if name not in overall:
            known = ", ".join(m for m in metric_order(report["meta"]["k"]) if m in overall)
            failures.append(f"{name}: not in this report (known: {known})")
        elif overall[name] < floor:
            failures.append(f"{name} = {overall[name]:.3f} is under the floor {floor:.3f}")
    return failures
