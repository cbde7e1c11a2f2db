"""Check data/eval/golden.jsonl and data/eval/smoke.jsonl against the sample corpus.

Usage (from the repository root):

    python data/check_golden.py        # or: pilotdesk eval check --dataset data/eval/golden.jsonl

A thin wrapper over `eval.dataset`: the schema, every source exists, every must_include term
occurs in one of its sources (text read as ingest reads it), unique ids, golden.jsonl's
per-kind minimums and smoke.jsonl's shape. Exits 1 when there is any problem.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent
sys.path.insert(0, str(DATA.parent))

from eval.dataset import (  # noqa: E402
    check_terms,
    describe,
    document_texts,
    golden_requirements,
    read_rows,
    smoke_requirements,
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
    golden, bad = read_rows(DATA / "eval" / "golden.jsonl")
    smoke, bad_smoke = read_rows(DATA / "eval" / "smoke.jsonl")
    problems += bad + bad_smoke + check_terms(golden + smoke, texts)
    problems += [f"golden.jsonl: {p}" for p in golden_requirements(golden)]
    names = [Path(d.get("path", "")).name for d in documents]
    problems += [f"smoke.jsonl: {p}" for p in smoke_requirements(smoke, names)]
    clash = {i.id for i in golden} & {i.id for i in smoke}
    problems += [f"id {i!r} is used in both files" for i in sorted(clash)]
    for p in problems:
        print(p)
    print(f"golden: {describe(golden)}; smoke: {len(smoke)}")
    print(f"FAILED: {len(problems)} problem(s)" if problems else "OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
