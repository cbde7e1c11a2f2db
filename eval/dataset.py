"""Question sets: load and validate the JSONL schema, check terms, split minimums, vocabulary."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import PilotdeskError
from app.types import Turn
from eval.metrics import basename, contains_term, normalize

KINDS = ("eligibility", "resources", "process", "allocation_lookup", "multi_hop", "unanswerable")
REQUIRED = ("id", "question", "reference_answer", "must_include", "sources", "kind")
SPLITS = ("dev", "test", "smoke", "unseen")
UNANSWERABLE_TYPES = ("attribute", "lookalike", "offtopic", "injection")
TABLE_OPS = ("filter", "list", "sum", "count", "nth", "groupby", "date", "fuzzy", "state")
# What data/eval/dev.jsonl and test.jsonl promise (issues 12 and 13): shares are of the split
# (unanswerable) or of its answerable questions (paraphrase); the rest are counts.
SPLIT_MINIMUMS: dict[str, dict[str, float]] = {
    "dev": {
        "total": 90,
        "unanswerable_share": 0.25,
        "per_unanswerable_type": 6,
        "paraphrase_share": 0.40,
        "followup": 8,
        "multi_part": 8,
        "allocation_lookup": 16,
        "table_ops": len(TABLE_OPS),
    },
    "test": {
        "total": 80,
        "unanswerable_share": 0.25,
        "per_unanswerable_type": 6,
        "paraphrase_share": 0.40,
        "followup": 8,
        "multi_part": 12,
        "allocation_lookup": 16,
        "table_ops": len(TABLE_OPS),
    },
}
SPLITS_TOTAL = 170  # dev + test together
SMOKE_COUNT = 20
_NUMBER = re.compile(r"[\d,.]+")


class DatasetError(PilotdeskError):
    """A question set cannot be read or breaks the schema."""


@dataclass(frozen=True)
class GoldenItem:
    """One evaluation question with what a right answer must contain and where it is."""

    id: str
    question: str
    reference_answer: str
    must_include: tuple[str, ...]
    sources: tuple[str, ...]
    kind: str
    history: tuple[Turn, ...] = ()
    split: str = ""
    unanswerable_type: str = ""
    paraphrase: bool = False
    followup: bool = False
    multi_part: bool = False
    uncovered: tuple[str, ...] = ()
    table_op: str = ""

    @property
    def answerable(self) -> bool:
        """False for questions the documents do not cover."""
        return self.kind != "unanswerable"

    @property
    def markers(self) -> tuple[str, ...]:
        """The groups the report breaks scores down by (paraphrase, follow-up, subtype, …)."""
        out = []
        if self.answerable:
            out.append("paraphrase" if self.paraphrase else "not_paraphrase")
        if self.history:
            out.append("followup")
        if self.multi_part:
            out.append("multi_part")
        if self.unanswerable_type:
            out.append(f"unanswerable:{self.unanswerable_type}")
        if self.table_op:
            out.append(f"table:{self.table_op}")
        return tuple(out)


def _problems(row: dict[str, Any]) -> list[str]:
    """Schema problems of one parsed row."""
    out = [f"missing key {k!r}" for k in REQUIRED if k not in row]
    if out:
        return out
    if not isinstance(row["id"], str) or not row["id"].strip():
        out.append("id must be a non-empty string")
    if not isinstance(row["question"], str) or not row["question"].strip():
        out.append("question must be a non-empty string")
    if not isinstance(row["reference_answer"], str):
        out.append("reference_answer must be a string")
    if row["kind"] not in KINDS:
        out.append(f"kind {row['kind']!r} is not one of {', '.join(KINDS)}")
    for key in ("must_include", "sources"):
        value = row[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            out.append(f"{key} must be a list of non-empty strings")
    history = row.get("history", [])
    if not isinstance(history, list) or any(
        not isinstance(t, dict)
        or t.get("role") not in ("user", "assistant")
        or not isinstance(t.get("content"), str)
        for t in history
    ):
        out.append('history must be a list of {"role": "user"|"assistant", "content": str}')
    out.extend(_optional_problems(row))
    if out:
        return out
    if row["kind"] == "unanswerable":
        if row["sources"] or row["must_include"]:
            out.append("unanswerable questions need empty sources and must_include")
    else:
        if not row["sources"]:
            out.append("an answerable question needs at least one source")
        if not row["must_include"]:
            out.append("an answerable question needs must_include terms")
    if row["kind"] == "multi_hop" and len({basename(s) for s in row["sources"]}) < 2:
        out.append("multi_hop questions need at least two sources")
    return out


def _optional_problems(row: dict[str, Any]) -> list[str]:
    """Problems with the optional fields that say what a question tests."""
    out = []
    choices = {"split": SPLITS, "unanswerable_type": UNANSWERABLE_TYPES, "table_op": TABLE_OPS}
    for key, allowed in choices.items():
        if key in row and row[key] not in allowed:
            out.append(f"{key} {row[key]!r} is not one of {', '.join(allowed)}")
    for key in ("paraphrase", "followup", "multi_part"):
        if key in row and not isinstance(row[key], bool):
            out.append(f"{key} must be true or false")
    uncovered = row.get("uncovered", [])
    if not isinstance(uncovered, list) or not all(isinstance(u, str) and u for u in uncovered):
        out.append("uncovered must be a list of non-empty strings")
    elif row.get("multi_part") and not uncovered:
        out.append("a multi_part question names its uncovered part in uncovered")
    if row.get("followup") and not row.get("history"):
        out.append("a followup question needs history")
    if "unanswerable_type" in row and row.get("kind") != "unanswerable":
        out.append("unanswerable_type is only for unanswerable questions")
    if row.get("multi_part") and row.get("kind") == "unanswerable":
        out.append("a multi_part question is answerable: its kind is the covered part's")
    if "table_op" in row and row.get("kind") != "allocation_lookup":
        out.append("table_op is only for allocation_lookup questions")
    return out


def parse_item(row: dict[str, Any]) -> GoldenItem:
    """Build an item from a validated row."""
    return GoldenItem(
        id=row["id"],
        question=row["question"],
        reference_answer=row["reference_answer"],
        must_include=tuple(row["must_include"]),
        sources=tuple(row["sources"]),
        kind=row["kind"],
        history=tuple(Turn(t["role"], t["content"]) for t in row.get("history", [])),
        split=row.get("split", ""),
        unanswerable_type=row.get("unanswerable_type", ""),
        paraphrase=row.get("paraphrase", False),
        followup=row.get("followup", False),
        multi_part=row.get("multi_part", False),
        uncovered=tuple(row.get("uncovered", [])),
        table_op=row.get("table_op", ""),
    )


def read_rows(path: Path) -> tuple[list[GoldenItem], list[str]]:
    """Read a JSONL question set; return the valid items and one line per problem."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise DatasetError(f"no dataset at {path}; pass --dataset FILE (a JSONL file)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read dataset {path}: {exc}") from exc
    items: list[GoldenItem] = []
    problems: list[str] = []
    ids: Counter[str] = Counter()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: invalid JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        bad = _problems(row)
        problems.extend(f"{where} ({row.get('id', '?')}): {p}" for p in bad)
        if not bad:
            items.append(parse_item(row))
            ids[row["id"]] += 1
    problems.extend(f"{path.name}: id {i!r} used {c} times" for i, c in ids.items() if c > 1)
    return items, problems


def load_dataset(path: Path) -> list[GoldenItem]:
    """Load and validate a question set; raise DatasetError listing every problem."""
    items, problems = read_rows(path)
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise DatasetError(f"{path} does not match the question-set schema:\n  {shown}{more}")
    if not items:
        raise DatasetError(f"{path} holds no questions")
    return items


def document_texts(docs: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Clean text of every corpus file under the given paths, by file name, read as ingest does."""
    from ingest.errors import LoadError
    from ingest.loaders import load_bytes, suffix_for
    from ingest.pipeline import discover

    found, skipped = discover(docs)
    texts: dict[str, str] = {}
    problems = [f"{s.source}: {s.reason}" for s in skipped]
    for src in found:
        if src.path is None:
            continue
        try:
            doc = load_bytes(src.path.read_bytes(), src.meta, suffix_for(src.path.name))
        except (LoadError, OSError) as exc:
            problems.append(f"{src.source}: cannot read ({exc})")
            continue
        texts.setdefault(src.path.name, normalize(doc.text))
    return texts, problems


def check_terms(items: Iterable[GoldenItem], texts: dict[str, str]) -> list[str]:
    """Every source must exist and every must_include term must occur in one of its sources.

    A table question's numbers are exempt: a sum or a count is computed from the rows, so it
    need not be written anywhere in the table.
    """
    problems: list[str] = []
    for it in items:
        present = []
        for s in it.sources:
            if basename(s) in texts:
                present.append(basename(s))
            else:
                problems.append(f"{it.id}: source {s!r} is not among the documents")
        for term in it.must_include:
            if it.table_op and _NUMBER.fullmatch(term.strip()):
                continue
            if present and not any(contains_term(texts[s], term, normalized=True) for s in present):
                problems.append(f"{it.id}: term {term!r} occurs in none of {present}")
    return problems


def is_test_split(path: Path, items: Iterable[GoldenItem] = ()) -> bool:
    """True for a reporting-only set: split "test" or "unseen" in a record, or a test file name."""
    held_out = ("test", "unseen")
    return "test" in path.name.lower() or any(it.split in held_out for it in items)


def split_counts(items: Sequence[GoldenItem]) -> dict[str, float]:
    """What a split holds, in the terms SPLIT_MINIMUMS uses."""
    answerable = [it for it in items if it.answerable]
    types = Counter(it.unanswerable_type for it in items if not it.answerable)
    paraphrased = sum(it.paraphrase for it in answerable)
    return {
        "total": len(items),
        "unanswerable_share": round(1 - len(answerable) / len(items), 3) if items else 0.0,
        "per_unanswerable_type": min(types[t] for t in UNANSWERABLE_TYPES),
        "paraphrase_share": round(paraphrased / len(answerable), 3) if answerable else 0.0,
        "followup": sum(1 for it in items if it.history),
        "multi_part": sum(1 for it in answerable if it.multi_part),
        "allocation_lookup": sum(1 for it in items if it.kind == "allocation_lookup"),
        "table_ops": len({it.table_op for it in items if it.table_op}),
    }


def split_requirements(items: Sequence[GoldenItem], split: str) -> list[str]:
    """The coverage a dev or test split promises (SPLIT_MINIMUMS); one line per shortfall."""
    if split not in SPLIT_MINIMUMS:
        raise DatasetError(f"unknown split {split!r}; use one of {', '.join(SPLIT_MINIMUMS)}")
    out = [f"{it.id}: split {it.split!r} in the {split} set" for it in items if it.split != split]
    counts = split_counts(items)
    out += [
        f"{split}: {counts[k]} {k.replace('_', ' ')}, need at least {need}"
        for k, need in SPLIT_MINIMUMS[split].items()
        if counts[k] < need
    ]
    return out


def split_overlap(first: Sequence[GoldenItem], second: Sequence[GoldenItem]) -> list[str]:
    """Ids and question texts two splits share (texts compared after normalising)."""
    ids = sorted({it.id for it in first} & {it.id for it in second})
    texts = {normalize(it.question) for it in first} & {normalize(it.question) for it in second}
    return [f"id {i!r} is in both sets" for i in ids] + [
        f"question {t!r} is in both sets" for t in sorted(texts)
    ]


def smoke_requirements(items: Sequence[GoldenItem], documents: Iterable[str]) -> list[str]:
    """The retriever smoke set: exactly 20 answerable questions touching every document."""
    out = []
    if len(items) != SMOKE_COUNT:
        out.append(f"{len(items)} smoke questions, need exactly {SMOKE_COUNT}")
    if any(not it.answerable for it in items):
        out.append("smoke questions must all be answerable")
    used = {basename(s) for it in items for s in it.sources}
    out.extend(f"no smoke question uses document {d}" for d in sorted(set(documents) - used))
    return out


def describe(items: Sequence[GoldenItem]) -> str:
    """One line: questions per kind, follow-ups, and the split markers when records carry them."""
    kinds = Counter(it.kind for it in items)
    parts = ", ".join(f"{k}={kinds[k]}" for k in KINDS if kinds[k])
    history = sum(1 for it in items if it.history)
    line = f"{len(items)} questions ({parts}; with history={history})"
    types = Counter(it.unanswerable_type for it in items if it.unanswerable_type)
    if types:
        line += "; unanswerable " + ", ".join(f"{t}={types[t]}" for t in UNANSWERABLE_TYPES)
    marks = {k: sum(1 for it in items if getattr(it, k)) for k in ("paraphrase", "multi_part")}
    if any(marks.values()):
        line += "; " + ", ".join(f"{k}={v}" for k, v in marks.items())
    return line
