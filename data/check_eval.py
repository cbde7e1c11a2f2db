"""Check data/eval/dev.jsonl, test.jsonl and smoke.jsonl against the sample corpus.

Usage (from the repository root):

    python data/check_eval.py

or, for one split: pilotdesk eval check --dataset data/eval/dev.jsonl --split dev

A thin wrapper over `eval.dataset`: the schema, every source exists, every must_include term
occurs in one of its sources (text read as ingest reads it), unique ids, each split's
minimums (unanswerable share and subtypes, paraphrases, follow-ups, multi-part and table
questions), no id or question shared between dev and test, and smoke.jsonl's shape.
Exits 1 when there is any problem.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent
sys.path.insert(0, str(DATA.parent))

from eval.dataset import (  # noqa: E402
    SPLITS_TOTAL,
    check_terms,
    describe,
    document_texts,
    read_rows,
    smoke_requirements,
    split_overlap,
    split_requirements,
)


def main() -> int:
    """Print every problem; 0 when there is none."""
    with (DATA / "sources.toml").open("rb") as fh:
        documents = tomllib.load(fh).get("document", [])
    problems = [
        f"sources.toml: {d.get('path')!r} does not exist under data/"
        for d in documents
        if not (DATA / d.get("path", "")).is_file()
    ]
    texts, unreadable = document_texts([str(DATA)])
    problems += unreadable
    sets = {}
    for name in ("dev", "test", "smoke"):
        items, bad = read_rows(DATA / "eval" / f"{name}.jsonl")
        sets[name] = items
        problems += bad + check_terms(items, texts)
    for name in ("dev", "test"):
        problems += [f"{name}.jsonl: {p}" for p in split_requirements(sets[name], name)]
    total = len(sets["dev"]) + len(sets["test"])
    if total < SPLITS_TOTAL:
        problems.append(f"dev and test hold {total} questions, need at least {SPLITS_TOTAL}")
    problems += [f"dev/test: {p}" for p in split_overlap(sets["dev"], sets["test"])]
    problems += [f"smoke/test: {p}" for p in split_overlap(sets["smoke"], sets["test"])]
    problems += [f"smoke/dev: {p}" for p in split_overlap(sets["smoke"], sets["dev"])]
    names = [Path(d.get("path", "")).name for d in documents]
    problems += [f"smoke.jsonl: {p}" for p in smoke_requirements(sets["smoke"], names)]
    for p in problems:
        print(p)
    for name, items in sets.items():
        print(f"{name}: {describe(items)}")
    print(f"FAILED: {len(problems)} problem(s)" if problems else "OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
