"""`pilotdesk eval [run|calibrate|check]`: arguments and the three actions (light to import)."""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.config import Settings
    from eval.dataset import GoldenItem
    from index.embedder import Embedder

EXIT_OK, EXIT_ERROR, EXIT_REGRESSION = 0, 1, 4

USAGE_NOTE = """actions:
  run (default)  answer every question, write records.jsonl, report.json, report.md, charts
  calibrate      retrain the answerability model on a dev split (a test or unseen set, by its
                 records' "split" or a file name containing "test", is refused); with --reader
                 the answer reader too, retrained per fold (minutes)
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
        "--fail-under",
        nargs="+",
        default=[],
        metavar="METRIC=VALUE",
        help="absolute floors; on a plans set also SPLIT:METRIC=VALUE (SPLIT: dev, test, "
        "heldout, heldout2…heldout31)",
    )
    p.add_argument("--baseline", type=Path, help="an earlier report.json to compare with")
    p.add_argument("--tolerance", type=float, default=0.02, help="allowed drop vs --baseline")
    p.add_argument("--judge", default=None, help="backend profile for LLM-judged ragas metrics")
    p.add_argument("--ablation", action="store_true", help="run dense, bm25 and hybrid")
    p.add_argument("--no-ragas", action="store_true", help="skip the ragas metrics")
    p.add_argument("--limit", type=int, default=None, help="only the first N questions")
    p.add_argument(
        "--exclude-ids",
        default=None,
        metavar="IDS",
        help="leave these questions out, e.g. a blind batch kept unrun: ids and ranges, comma "
        "separated (d861-d930,q005)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--write",
        type=Path,
        default=None,
        help="calibrate: model file to write (default: app/answerability/model.json)",
    )
    p.add_argument("--dry-run", action="store_true", help="calibrate: print, write nothing")
    p.add_argument(
        "--reuse-features",
        action="store_true",
        help="calibrate: refit from the features the last calibrate run saved under --out "
        "(default var/eval/)",
    )
    p.add_argument(
        "--reader",
        action="store_true",
        help="calibrate: also train the answer reader and use it as a feature (minutes; see "
        "README: it helped on dev but not on the held-out sets, so it is off by default)",
    )
    p.add_argument(
        "--reader-folds",
        type=int,
        default=3,
        help="calibrate --reader: folds for the reader's out-of-fold scores (the reader is "
        "retrained once per fold; about 20 min on 2 cores for the dev split); 0 takes the "
        "stored reader's own scores instead (quick, but scored on its training data)",
    )
    p.add_argument("--docs", nargs="+", default=None, help="check: document folders or files")
    p.add_argument(
        "--split",
        choices=("dev", "test"),
        default=None,
        help="check: also the coverage minimums that split promises",
    )
    return p


def excluded(spec: str) -> Callable[[str], bool]:
    """A test for ids named in 'd861-d930,q005': single ids, and ranges with one prefix."""
    singles: set[str] = set()
    ranges: list[tuple[str, int, int]] = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        m = re.fullmatch(r"([A-Za-z_-]*?)(\d+)-\1(\d+)", part)
        if m:
            ranges.append((m.group(1), int(m.group(2)), int(m.group(3))))
        else:
            singles.add(part)

    def test(item_id: str) -> bool:
        m = re.fullmatch(r"([A-Za-z_-]*?)(\d+)", item_id)
        in_range = m is not None and any(
            m.group(1) == pre and lo <= int(m.group(2)) <= hi for pre, lo, hi in ranges
        )
        return item_id in singles or in_range

    return test


def run_eval(args: argparse.Namespace, settings: Settings, embedder: Embedder | None = None) -> int:
    """Dispatch an eval action; returns the exit status."""
    from eval.dataset import DatasetError, is_test_split, load_dataset
    from index.errors import IndexNotFound

    if args.action == "check":
        return _check(args, settings)
    from eval.plans import is_plan_dataset, run_plan_eval

    if is_plan_dataset(args.dataset):  # workloads, not questions: the request planner's set
        return run_plan_eval(args, settings)
    items = load_dataset(args.dataset)
    if args.action == "calibrate" and is_test_split(args.dataset, items):
        # Tuning on the reporting set would make its numbers meaningless (issue 12).
        raise DatasetError(
            f"{args.dataset} is a test set (reporting only) and cannot be used for calibration; "
            "calibrate on the dev split: --dataset data/eval/dev.jsonl"
        )
    if args.exclude_ids:
        left_out = excluded(args.exclude_ids)
        items = [it for it in items if not left_out(it.id)]
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


def _answerability(override: float | None) -> str:
    """The answerability model and the thresholds this run decided with, for the report."""
    from app.answerability.model import load_model

    m = load_model()
    cut = f"{override:g} (set)" if override is not None else f"{m.threshold:g}"
    return f"model {m.version} ({', '.join(m.features)}), threshold {cut}, parts {m.part_cut:g}"


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
        "answerability": _answerability(r.answer_threshold),
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
    """Retrain the answerability model on a dev set, print coefficients and the trade-off."""
    from dataclasses import replace

    from app.answer import Assistant
    from app.answerability.model import MODEL_PATH, load_model
    from app.answerability.reader import load_reader
    from eval.calibrate import (
        SELECTED,
        WITH_READER,
        fit,
        load_rows,
        report,
        rows_for,
        save,
        save_rows,
        stored_reader_rows,
        with_reader_scores,
    )
    from eval.dataset import DatasetError
    from eval.reader_train import save as save_reader
    from eval.reader_train import train as train_reader

    if all(it.answerable for it in items) or not any(it.answerable for it in items):
        raise DatasetError("calibration needs both answerable and unanswerable questions")
    cache = Path(args.out or "var/eval") / "answerability-rows.jsonl"

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    if args.reuse_features and cache.exists():
        rows = load_rows(cache)  # features (and out-of-fold reader scores) of the last run
    else:
        assistant = Assistant(settings, embedder)
        rows = rows_for(assistant, items, args.k or settings.retrieval.k)
        if args.reader and args.reader_folds > 1:  # the reader retrained per fold (minutes)
            rows = with_reader_scores(rows, args.reader_folds, log=log)
        save_rows(rows, cache)
    model, oof = fit(rows, WITH_READER if args.reader else SELECTED)
    print(f"trained on {len(rows)} questions from {args.dataset}")
    print(report(model, rows, oof))
    if args.dry_run:
        print("dry run: nothing written")
        return EXIT_OK
    target = Path(args.write) if args.write else MODEL_PATH
    written = f"the answerability model to {target}"
    if args.reader:
        reader = target.with_name("reader.npz")
        if not (args.reuse_features and reader.exists()):
            log("training the stored reader (on the rows outside the first fold)")
            save_reader(train_reader(stored_reader_rows(rows, args.reader_folds), log=log), reader)
        model = replace(model, reader=reader.name)
        load_reader.cache_clear()
        written += f" and its reader to {reader}"
    save(model, target)
    load_model.cache_clear()
    print(f"wrote {written}")
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


def register(sub: Any, load_settings: Callable[[argparse.Namespace], Settings]) -> None:
    """Plug `pilotdesk eval` into the command line (entry point pilotdesk.commands)."""
    add_eval_parser(sub).set_defaults(func=lambda args: run_eval(args, load_settings(args)))
