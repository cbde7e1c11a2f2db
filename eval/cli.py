"""`pilotdesk eval [run|calibrate|check]`: arguments and the three actions (light to import)."""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.config import Settings
    from eval.dataset import GoldenItem
    from index.embedder import Embedder

EXIT_OK, EXIT_ERROR, EXIT_REGRESSION = 0, 1, 4

USAGE_NOTE = """actions:
  run (default)  answer every question, write records.jsonl, report.json, report.md, charts
  calibrate      sweep the abstention threshold and write it to pilotdesk.toml (dev set only:
                 a test set, by its records' "split" or a file name containing "test", is refused)
  check          verify the dataset: schema, sources exist, must_include terms occur in them;
                 prints each question's share of words the documents never use

The dataset's documents must already be in the index:
  pilotdesk ingest DOCS --index DIR    then    pilotdesk eval --dataset FILE --index DIR
Exit status: 0 ok, 1 error, 2 bad arguments, 4 a metric fell under --fail-under or
dropped more than --tolerance below --baseline."""


def add_eval_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the `eval` subcommand to the pilotdesk parser."""
    p: argparse.ArgumentParser = sub.add_parser(
        "eval",
        help="evaluate a question set (run | calibrate | check)",
        description="Evaluate retrieval, answers and abstention on a JSONL question set "
        "(data/eval/dev.jsonl for tuning, data/eval/test.jsonl for reporting).",
        epilog=USAGE_NOTE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("action", nargs="?", choices=("run", "calibrate", "check"), default="run")
    p.add_argument("--dataset", required=True, type=Path, help="JSONL question set")
    p.add_argument("--index", help="index directory (default: var/index)")
    p.add_argument("--backend", default=None, help="answer backend profile (default: extractive)")
    p.add_argument("--retriever", choices=("dense", "bm25", "hybrid"), default=None)
    p.add_argument("--k", type=int, default=None, help="passages per answer (default: 5)")
    p.add_argument("--out", type=Path, help="output folder (default: var/eval/<timestamp>)")
    p.add_argument(
        "--fail-under", nargs="+", default=[], metavar="METRIC=VALUE", help="absolute floors"
    )
    p.add_argument("--baseline", type=Path, help="an earlier report.json to compare with")
    p.add_argument("--tolerance", type=float, default=0.02, help="allowed drop vs --baseline")
    p.add_argument("--judge", default=None, help="backend profile for LLM-judged ragas metrics")
    p.add_argument("--ablation", action="store_true", help="run dense, bm25 and hybrid")
    p.add_argument("--no-ragas", action="store_true", help="skip the ragas metrics")
    p.add_argument("--limit", type=int, default=None, help="only the first N questions")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--write", type=Path, default=None, help="calibrate: TOML file to update")
    p.add_argument("--dry-run", action="store_true", help="calibrate: print, write nothing")
    p.add_argument(
        "--min-answer-rate",
        type=float,
        default=0.95,
        help="calibrate: share of answerable questions that must still be answered",
    )
    p.add_argument("--docs", nargs="+", default=None, help="check: document folders or files")
    p.add_argument(
        "--split",
        choices=("dev", "test"),
        default=None,
        help="check: also the coverage minimums that split promises",
    )
    return p


def run_eval(args: argparse.Namespace, settings: Settings, embedder: Embedder | None = None) -> int:
    """Dispatch an eval action; returns the exit status."""
    from eval.dataset import DatasetError, is_test_split, load_dataset
    from index.errors import IndexNotFound

    if args.action == "check":
        return _check(args, settings)
    items = load_dataset(args.dataset)
    if args.action == "calibrate" and is_test_split(args.dataset, items):
        # Tuning on the reporting set would make its numbers meaningless (issue 12).
        raise DatasetError(
            f"{args.dataset} is a test set (reporting only) and cannot be used for calibration; "
            "calibrate on the dev split: --dataset data/eval/dev.jsonl"
        )
    if args.limit:
        items = items[: args.limit]
    try:
        if args.action == "calibrate":
            return _calibrate(args, settings, items, embedder)
        return _run(args, settings, items, embedder)
    except IndexNotFound as exc:
        raise IndexNotFound(
            f"{exc}\nEvaluation reads an existing index: ingest the dataset's documents first "
            f"(pilotdesk ingest DOCS --index {settings.paths.index_dir})"
        ) from exc


def _git_commit() -> str:
    """Short commit of the working tree, or empty."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _command(args: argparse.Namespace) -> str:
    """The command line that reproduces this run."""
    parts = ["pilotdesk", "eval", "--dataset", str(args.dataset)]
    for flag in ("index", "backend", "retriever", "k", "out", "judge", "limit"):
        value = getattr(args, flag)
        if value is not None:
            parts += [f"--{flag}", str(value)]
    if args.ablation:
        parts.append("--ablation")
    if args.no_ragas:
        parts.append("--no-ragas")
    return shlex.join(parts)


def _run(
    args: argparse.Namespace,
    settings: Settings,
    items: list[GoldenItem],
    embedder: Embedder | None,
) -> int:
    """Evaluate, write the report, compare with a baseline and floors."""
    import hashlib

    from eval.dataset import is_test_split
    from eval.report import (
        build_report,
        check_floors,
        compare,
        load_report,
        parse_floors,
        summary_text,
        write_outputs,
    )
    from eval.runner import EvalOptions, default_out_dir, evaluate

    floors = parse_floors(args.fail_under)  # typos fail before a long run
    baseline = load_report(args.baseline) if args.baseline else None
    mode = args.retriever or settings.retrieval.mode
    k = args.k or settings.retrieval.k
    options = EvalOptions(
        modes=("dense", "bm25", "hybrid") if args.ablation else (mode,),
        primary=mode,
        backend=args.backend,
        k=k,
        judge=args.judge,
        ragas=not args.no_ragas,
        show_progress=not args.quiet,
    )
    result = evaluate(settings, items, options, embedder)
    r = settings.retrieval
    meta = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "dataset": str(args.dataset),
        "dataset_sha256": hashlib.sha256(args.dataset.read_bytes()).hexdigest()[:16],
        "split": "test" if is_test_split(args.dataset, items) else "",
        "questions": len(items),
        "index": str(settings.paths.index_dir),
        "index_version": result.index_version,
        "backend": args.backend or settings.backend.default,
        "k": k,
        "primary": mode,
        "retrievers": list(options.modes),
        "min_relevance": r.min_relevance,
        "lookalike_relevance": r.lookalike_relevance,
        "judge": result.judge,
        "git": _git_commit(),
        "command": _command(args),
        "seconds": round(result.seconds, 1),
        "warnings": result.warnings,
    }
    report = build_report(result.summaries, meta)
    out = args.out or default_out_dir()
    files = write_outputs(out, report, result.records)
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(summary_text(report))
    print(f"\nwrote {len(files)} files to {out}/ (report.md, report.json, records.jsonl, charts)")
    code = EXIT_OK
    if baseline is not None:
        table, regressions = compare(report, baseline, args.tolerance)
        print(f"\nagainst baseline {args.baseline} (tolerance {args.tolerance}):\n{table}")
        if baseline.get("meta", {}).get("dataset_sha256") not in (None, meta["dataset_sha256"]):
            print("note: the baseline was made from a different dataset file")
        if regressions:
            print("REGRESSION: " + "; ".join(regressions), file=sys.stderr)
            code = EXIT_REGRESSION
    failures = check_floors(report, floors)
    if failures:
        print("FAIL-UNDER: " + "; ".join(failures), file=sys.stderr)
        code = EXIT_REGRESSION
    return code


def _calibrate(
    args: argparse.Namespace,
    settings: Settings,
    items: list[GoldenItem],
    embedder: Embedder | None,
) -> int:
    """Sweep the abstention thresholds, print the curve, write the chosen value."""
    from app.answer import Assistant
    from eval.calibrate import curve_table, probe, score, set_toml_values, sweep
    from eval.dataset import DatasetError

    if all(it.answerable for it in items) or not any(it.answerable for it in items):
        raise DatasetError("calibration needs both answerable and unanswerable questions")
    assistant = Assistant(settings, embedder)
    probes = probe(assistant, items, args.k)
    vocab = assistant.retriever().vocabulary()
    r = settings.retrieval
    chosen, curve, looks = sweep(probes, vocab, r.lookalike_relevance, args.min_answer_rate)
    print("abstention trade-off by min_relevance (rows where the outcome changes):")
    print(curve_table([p for p in curve if p.answer_rate >= 0.75], chosen))
    print(f"\nby lookalike_relevance, at min_relevance={chosen.min_relevance}:")
    print(curve_table(looks, chosen, column="lookalike_relevance"))
    now = score(probes, vocab, r.min_relevance, r.lookalike_relevance)
    print(
        f"\ncurrent  min_relevance={r.min_relevance} lookalike={r.lookalike_relevance}: "
        f"abstain-recall {now.recall:.3f}, answer-rate {now.answer_rate:.3f}, "
        f"balanced {now.balanced:.3f}"
    )
    print(
        f"chosen   min_relevance={chosen.min_relevance} "
        f"lookalike={chosen.lookalike_relevance}: abstain-recall {chosen.recall:.3f}, "
        f"answer-rate {chosen.answer_rate:.3f}, balanced {chosen.balanced:.3f}"
    )
    ranked = sorted(probes, key=lambda p: p.relevance)
    low = [f"{p.id} {p.relevance:.2f}" for p in ranked if not p.unanswerable][:5]
    high = [f"{p.id} {p.relevance:.2f}" for p in reversed(ranked) if p.unanswerable][:5]
    print(f"least relevant answerable: {', '.join(low)}")
    print(f"most relevant unanswerable: {', '.join(high)}")
    values = {"min_relevance": chosen.min_relevance}
    if chosen.lookalike_relevance != r.lookalike_relevance:
        values["lookalike_relevance"] = chosen.lookalike_relevance
    if args.dry_run:
        print("dry run: nothing written")
        return EXIT_OK
    target = args.write or Path("pilotdesk.toml")
    set_toml_values(target, "retrieval", values)
    print(f"wrote [retrieval] {', '.join(f'{k} = {v}' for k, v in values.items())} to {target}")
    return EXIT_OK


def _check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate a dataset against its documents; print every problem and the vocabulary gap."""
    from eval.dataset import (
        check_terms,
        describe,
        document_texts,
        read_rows,
        split_requirements,
    )
    from eval.vocab_gap import corpus_vocabulary

    items, problems = read_rows(args.dataset)
    docs = args.docs or [str(settings.paths.data_dir)]
    texts, unreadable = document_texts(docs)
    problems += unreadable + check_terms(items, texts)
    if args.split:
        problems += split_requirements(items, args.split)
    print(vocabulary_gap_table(items, corpus_vocabulary(texts)))
    for p in problems:
        print(p)
    print(f"{args.dataset}: {describe(items)}; {len(texts)} documents under {' '.join(docs)}")
    print(f"FAILED: {len(problems)} problem(s)" if problems else "OK")
    return EXIT_ERROR if problems else EXIT_OK


def vocabulary_gap_table(items: list[GoldenItem], vocab: set[str]) -> str:
    """Per question, the share of its content words missing from the documents, then means."""
    from eval.vocab_gap import missing_share, missing_words

    lines = ["share of each question's content words the documents never use:"]
    shares = {it.id: missing_share(it.question, vocab) for it in items}
    for it in items:
        gone = missing_words(it.question, vocab)
        tag = " paraphrase" if it.paraphrase else ""
        lines.append(f"  {it.id:<8} {shares[it.id]:.2f}{tag}  {' '.join(gone)[:60]}")

    def mean(group: list[GoldenItem]) -> str:
        return f"{sum(shares[i.id] for i in group) / len(group):.3f}" if group else "-"

    answerable = [it for it in items if it.answerable]
    marked = [it for it in answerable if it.paraphrase]
    lines.append(
        f"mean missing share: all {mean(items)}, answerable {mean(answerable)}, "
        f"marked paraphrase {mean(marked)} ({len(marked)} of {len(answerable)} answerable), "
        f"not marked {mean([it for it in answerable if not it.paraphrase])}"
    )
    return "\n".join(lines)
