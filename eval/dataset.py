"""Golden question sets: load and validate the JSONL schema, check terms against the sources."""

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
# What data/eval/golden.jsonl promises (issue 6 asks for at least 60/10/8/6/5).
GOLDEN_MINIMUMS = {
    "total": 64,
    "unanswerable": 12,
    "allocation_lookup": 8,
    "multi_hop": 6,
    "history": 5,
    "injection": 3,
    "applicant_style": 8,
}
SMOKE_COUNT = 20
INJECTION = re.compile(
    r"ignore (your|all|prior|previous)|system prompt|developer mode|hidden instructions"
    r"|pretend you|forget the",
    re.IGNORECASE,
)


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

    @property
    def answerable(self) -> bool:
        """False for questions the documents do not cover."""
        return self.kind != "unanswerable"


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
        raise DatasetError(f"{path} does not match the golden schema:\n  {shown}{more}")
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
    """Every source must exist and every must_include term must occur in one of its sources."""
    problems: list[str] = []
    for it in items:
        present = []
        for s in it.sources:
            if basename(s) in texts:
                present.append(basename(s))
            else:
                problems.append(f"{it.id}: source {s!r} is not among the documents")
        for term in it.must_include:
            if present and not any(contains_term(texts[s], term, normalized=True) for s in present):
                problems.append(f"{it.id}: term {term!r} occurs in none of {present}")
    return problems


def golden_requirements(items: Sequence[GoldenItem]) -> list[str]:
    """The coverage data/eval/golden.jsonl promises (kinds, follow-ups, injections, style)."""
    kinds = Counter(it.kind for it in items)
    counts = {
        "total": len(items),
        "unanswerable": kinds["unanswerable"],
        "allocation_lookup": kinds["allocation_lookup"],
        "multi_hop": kinds["multi_hop"],
        "history": sum(1 for it in items if it.history),
        "injection": sum(
            1 for it in items if it.kind == "unanswerable" and INJECTION.search(it.question)
        ),
        "applicant_style": sum(1 for it in items if it.question == it.question.lower()),
    }
    return [
        f"{counts[k]} {k.replace('_', ' ')} questions, need at least {need}"
        for k, need in GOLDEN_MINIMUMS.items()
        if counts[k] < need
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
    """One line: questions per kind and how many have history."""
    kinds = Counter(it.kind for it in items)
    parts = ", ".join(f"{k}={kinds[k]}" for k in KINDS if kinds[k])
    history = sum(1 for it in items if it.history)
    return f"{len(items)} questions ({parts}; with history={history})"
