"""Check data/eval/golden.jsonl and data/eval/smoke.jsonl against the sample corpus.

Usage (from the repository root):

    python data/check_golden.py

Checks:
  (a) every `sources` entry names an existing corpus file under data/ (by basename);
  (b) every `must_include` term occurs, case-insensitively, in the extracted text of at least
      one of the entry's sources (PDF via pypdf, HTML with tags stripped, md/csv raw);
  (c) ids are unique across both files and every `kind` is valid;
  (d) the per-kind minimums for golden.jsonl and the shape of smoke.jsonl.

Prints every problem found and exits 1 if there is any, 0 otherwise.
"""

from __future__ import annotations

import html
import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent
EVAL = DATA / "eval"
KINDS = {"eligibility", "resources", "process", "allocation_lookup", "multi_hop", "unanswerable"}
CORPUS_SUFFIXES = {".pdf", ".html", ".md", ".csv"}
REQUIRED_KEYS = {"id", "question", "reference_answer", "must_include", "sources", "kind"}
GOLDEN_MIN = {"total": 64, "unanswerable": 12, "allocation_lookup": 8, "multi_hop": 6}
MIN_HISTORY = 5
MIN_INJECTION = 3
MIN_APPLICANT_STYLE = 8
SMOKE_COUNT = 20
INJECTION_RE = re.compile(
    r"ignore (your|all|prior|previous)|system prompt|developer mode|hidden instructions"
    r"|pretend you|forget the",
    re.IGNORECASE,
)


def extract_text(path: Path) -> str:
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    else:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
            text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text).lower()


def corpus_files() -> dict[str, Path]:
    files: dict[str, Path] = {}
    for path in sorted(DATA.rglob("*")):
        if path.suffix not in CORPUS_SUFFIXES or not path.is_file():
            continue
        rel = path.relative_to(DATA)
        if rel.parts[0] == "eval" or path.name.lower() == "readme.md":
            continue
        files.setdefault(path.name, path)
    return files


def load_jsonl(path: Path, problems: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if not path.exists():
        problems.append(f"{path.name}: file missing")
        return rows
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path.name}:{n}: invalid JSON ({exc})")
            continue
        if not isinstance(row, dict):
            problems.append(f"{path.name}:{n}: not a JSON object")
            continue
        rows.append(row)
    return rows


def check_entry(
    row: dict[str, Any],
    where: str,
    files: dict[str, Path],
    texts: dict[str, str],
    problems: list[str],
) -> None:
    missing = REQUIRED_KEYS - row.keys()
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
        return
    kind = row["kind"]
    if kind not in KINDS:
        problems.append(f"{where}: invalid kind {kind!r}")
    sources, terms = row["sources"], row["must_include"]
    if not isinstance(sources, list) or not isinstance(terms, list):
        problems.append(f"{where}: sources and must_include must be lists")
        return
    if kind == "unanswerable":
        if sources or terms:
            problems.append(f"{where}: unanswerable entries need empty sources and must_include")
    else:
        if not sources:
            problems.append(f"{where}: answerable entry has no sources")
        if not terms:
            problems.append(f"{where}: answerable entry has no must_include terms")
    if kind == "multi_hop" and len(set(sources)) < 2:
        problems.append(f"{where}: multi_hop entry needs at least two sources")
    history = row.get("history", [])
    if not isinstance(history, list) or any(
        not isinstance(turn, dict)
        or turn.get("role") not in {"user", "assistant"}
        or not isinstance(turn.get("content"), str)
        for turn in history
    ):
        problems.append(f"{where}: history must be a list of {{role, content}} turns")

    found_sources: list[str] = []
    for source in sources:
        if source not in files:
            problems.append(f"{where}: source {source!r} is not a file under data/")
            continue
        if source not in texts:
            texts[source] = extract_text(files[source])
        found_sources.append(source)
    for term in terms:
        if not isinstance(term, str) or not term.strip():
            problems.append(f"{where}: empty or non-string must_include term {term!r}")
            continue
        needle = re.sub(r"\s+", " ", term).lower()
        if found_sources and not any(needle in texts[s] for s in found_sources):
            problems.append(f"{where}: term {term!r} not found in {found_sources}")


def main() -> int:
    problems: list[str] = []
    files = corpus_files()
    texts: dict[str, str] = {}

    with (DATA / "sources.toml").open("rb") as fh:
        documents = tomllib.load(fh).get("document", [])
    documented = set()
    for doc in documents:
        path = DATA / doc.get("path", "")
        if not path.is_file():
            problems.append(f"sources.toml: {doc.get('path')!r} does not exist under data/")
        documented.add(path.name)

    golden = load_jsonl(EVAL / "golden.jsonl", problems)
    smoke = load_jsonl(EVAL / "smoke.jsonl", problems)
    ids: Counter[str] = Counter()
    for name, rows in (("golden.jsonl", golden), ("smoke.jsonl", smoke)):
        for n, row in enumerate(rows, start=1):
            where = f"{name}:{n} ({row.get('id', '?')})"
            ids[str(row.get("id"))] += 1
            check_entry(row, where, files, texts, problems)
    for dup, count in ids.items():
        if count > 1:
            problems.append(f"id {dup!r} used {count} times")

    kinds = Counter(row.get("kind") for row in golden)
    if len(golden) < GOLDEN_MIN["total"]:
        problems.append(f"golden.jsonl: {len(golden)} questions, need >= {GOLDEN_MIN['total']}")
    for kind in ("unanswerable", "allocation_lookup", "multi_hop"):
        if kinds[kind] < GOLDEN_MIN[kind]:
            problems.append(f"golden.jsonl: {kinds[kind]} {kind}, need >= {GOLDEN_MIN[kind]}")
    with_history = sum(1 for row in golden if row.get("history"))
    if with_history < MIN_HISTORY:
        problems.append(f"golden.jsonl: {with_history} follow-ups with history, need >= 5")
    injections = sum(
        1
        for row in golden
        if row.get("kind") == "unanswerable" and INJECTION_RE.search(str(row.get("question")))
    )
    if injections < MIN_INJECTION:
        problems.append(f"golden.jsonl: {injections} prompt-injection questions, need >= 3")
    applicant = sum(
        1 for row in golden if str(row.get("question")) == str(row.get("question")).lower()
    )
    if applicant < MIN_APPLICANT_STYLE:
        problems.append(f"golden.jsonl: {applicant} lower-case applicant questions, need >= 8")

    if len(smoke) != SMOKE_COUNT:
        problems.append(f"smoke.jsonl: {len(smoke)} questions, need exactly {SMOKE_COUNT}")
    if any(row.get("kind") == "unanswerable" for row in smoke):
        problems.append("smoke.jsonl: must not contain unanswerable questions")
    smoke_sources = {s for row in smoke for s in row.get("sources", [])}
    for name in sorted(documented - smoke_sources):
        problems.append(f"smoke.jsonl: no question uses document {name}")

    for problem in problems:
        print(problem)
    summary = ", ".join(f"{k}={v}" for k, v in sorted(kinds.items()))
    print(
        f"golden: {len(golden)} ({summary}; history={with_history}, injection={injections}, "
        f"applicant-style={applicant}); smoke: {len(smoke)}"
    )
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
