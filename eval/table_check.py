"""Check a corpus's table questions against values recomputed from its CSV (corpus scripts)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path


def check_table_answers(
    questions: Path, expected: Mapping[str, Callable[[], list[str]]], argv: Sequence[str]
) -> int:
    """Compare must_include with the computed values; print problems; 0 when all agree.

    `--show` in argv prints what each question's answer is computed from instead.
    """
    if "--show" in argv:
        for qid, fn in expected.items():
            print(qid, fn())
        return 0
    recorded = {
        q["id"]: q
        for q in (json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines())
        if "table_op" in q
    }
    problems = []
    for qid in sorted(set(expected) | set(recorded)):
        if qid not in recorded or qid not in expected:
            problems.append(f"{qid}: in only one of questions.jsonl and this script")
            continue
        want = expected[qid]()
        got = recorded[qid]["must_include"]
        if sorted(want) != sorted(got):
            problems.append(f"{qid}: must_include {got} but the table gives {want}")
        missing = [w for w in want if w not in recorded[qid]["reference_answer"]]
        if missing:
            problems.append(f"{qid}: reference answer lacks {missing}")
    print("\n".join(problems) if problems else f"{len(recorded)} table questions agree")
    return 1 if problems else 0
