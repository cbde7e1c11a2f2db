"""Retrieval and answer metrics: pure functions over sources, passages and answer text."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from app.answerability.values import NUMBER_WORDS as _NUMBER_WORDS
from app.citations import keys_in

_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalize(text: str) -> str:
    """Lower-case, unify dashes and quotes, drop thousands separators, spell numbers as digits."""
    t = unicodedata.normalize("NFKC", text).lower().translate(_DASHES).translate(_QUOTES)
    t = _THOUSANDS.sub("", t)
    t = _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1)], t)
    return re.sub(r"\s+", " ", t).strip()


def term_pattern(term: str) -> re.Pattern[str]:
    """A pattern for a normalised term: starts at a word edge; a number may not run on."""
    t = normalize(term)
    tail = r"(?!\d)" if t[-1:].isdigit() else ""
    return re.compile(r"(?<![a-z0-9])" + re.escape(t) + tail)


def contains_term(text: str, term: str, normalized: bool = False) -> bool:
    """True when the term occurs in the text after normalising both."""
    if not term.strip():
        return False
    return term_pattern(term).search(text if normalized else normalize(text)) is not None


def term_recall(text: str, terms: Sequence[str]) -> float:
    """Share of the terms that occur in the text (1.0 when there are none)."""
    if not terms:
        return 1.0
    norm = normalize(text)
    return sum(contains_term(norm, t, normalized=True) for t in terms) / len(terms)


def basename(source: str) -> str:
    """File name of a path or URL, the unit sources are matched by."""
    path = urlsplit(source).path if "://" in source else source
    return PurePosixPath(path.replace("\\", "/")).name or source


def _relevant(source: str, gold: Collection[str]) -> bool:
    """True when a retrieved source is one of the gold file names."""
    return basename(source) in {basename(g) for g in gold}


def hit_at(ranked: Sequence[str], gold: Collection[str], k: int) -> float:
    """1.0 when a gold source is among the first k retrieved sources."""
    return float(any(_relevant(s, gold) for s in ranked[:k]))


def reciprocal_rank(ranked: Sequence[str], gold: Collection[str], k: int = 10) -> float:
    """1/rank of the first gold source within the first k (0 when none)."""
    for i, s in enumerate(ranked[:k]):
        if _relevant(s, gold):
            return 1.0 / (i + 1)
    return 0.0


def ndcg_at(ranked: Sequence[str], gold: Collection[str], k: int = 10) -> float:
    """Document-level nDCG@k: each gold source gains once, at the first rank it appears."""
    wanted = {basename(g) for g in gold}
    if not wanted:
        return 0.0
    seen: set[str] = set()
    dcg = 0.0
    for i, s in enumerate(ranked[:k]):
        name = basename(s)
        if name in wanted and name not in seen:
            seen.add(name)
            dcg += 1.0 / math.log2(i + 2)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(wanted), k)))
    return dcg / ideal


def all_sources_at(ranked: Sequence[str], gold: Collection[str], k: int) -> float:
    """1.0 when every gold source appears among the first k retrieved sources."""
    top = {basename(s) for s in ranked[:k]}
    return float({basename(g) for g in gold} <= top)


def evidence_at(passages: Sequence[str], terms: Sequence[str], k: int) -> float:
    """1.0 when every term occurs in at least one of the first k passages."""
    norms = [normalize(p) for p in passages[:k]]
    return float(all(any(contains_term(p, t, normalized=True) for p in norms) for t in terms))


def citation_keys(text: str) -> list[str]:
    """Every [S#] key in an answer, in order ("[S1, S2]" gives both)."""
    return keys_in(text)  # the answer layer's own parser, so eval and app cannot disagree


def citations_valid(text: str, valid: Collection[str]) -> bool:
    """True when every key in the text is one of the answer's citations."""
    return all(k in valid for k in citation_keys(text))


def cited_source_correct(cited: Sequence[str], gold: Collection[str]) -> float:
    """1.0 when at least one cited passage comes from a gold source."""
    return float(any(_relevant(s, gold) for s in cited))


def cited_source_precision(cited: Sequence[str], gold: Collection[str]) -> float:
    """Share of cited passages that come from a gold source (0 when nothing is cited)."""
    if not cited:
        return 0.0
    return sum(_relevant(s, gold) for s in cited) / len(cited)


def abstention_scores(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float | None]:
    """Abstention as a classifier: pairs of (should abstain, did abstain); None if undefined."""
    tp = fp = fn = tn = 0
    for should, did in pairs:
        tp += should and did
        fp += (not should) and did
        fn += should and not did
        tn += (not should) and not did
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    far = fp / (fp + tn) if fp + tn else None
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    balanced = None
    if recall is not None and far is not None:
        balanced = (recall + (1.0 - far)) / 2
    return {
        "abstention_precision": precision,
        "abstention_recall": recall,
        "abstention_f1": f1,
        "false_abstention_rate": far,
        "balanced_accuracy": balanced,
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def mean(values: Iterable[float]) -> float | None:
    """Arithmetic mean, None for no values."""
    xs = list(values)
    return sum(xs) / len(xs) if xs else None


def gold_passages(
    candidates: Sequence[tuple[str, str]],
    gold: Collection[str],
    terms: Sequence[str],
    limit: int = 3,
) -> list[str]:
    """Fewest passages of the gold sources that together hold the terms (greedy set cover)."""
    pool = [(text, normalize(text)) for src, text in candidates if _relevant(src, gold)]
    left = [t for t in terms if t.strip()]
    chosen: list[str] = []
    while left and len(chosen) < limit:
        best, best_found = None, 0
        for text, norm in pool:
            found = sum(contains_term(norm, t, normalized=True) for t in left)
            if found > best_found and text not in chosen:
                best, best_found = text, found
        if best is None:
            break
        chosen.append(best)
        norm_best = normalize(best)
        left = [t for t in left if not contains_term(norm_best, t, normalized=True)]
    return chosen


def relevant_passages(
    candidates: Sequence[tuple[str, str]],
    gold: Collection[str],
    terms: Sequence[str],
    limit: int = 10,
) -> list[str]:
    """Passages of the gold sources that hold at least one term, those with most terms first."""
    found: list[tuple[int, int, str]] = []
    for src, text in candidates:
        if _relevant(src, gold):
            norm = normalize(text)
            n = sum(contains_term(norm, t, normalized=True) for t in terms)
            if n:
                found.append((-n, len(found), text))
    return [text for _, _, text in sorted(found)[:limit]]


def question_scores(
    *,
    kind: str,
    gold_sources: Sequence[str],
    must_include: Sequence[str],
    ranked_sources: Sequence[str],
    passages: Sequence[str],
    answer: str,
    abstained: bool,
    cited_sources: Sequence[str],
    k: int,
    cited_keys: Sequence[str] = (),
) -> dict[str, float]:
    """Per-question scores; a key is present only where the metric applies to this question."""
    scores: dict[str, float] = {"abstained": float(abstained)}
    if kind == "unanswerable":
        return scores
    scores.update(
        {
            "hit@1": hit_at(ranked_sources, gold_sources, 1),
            f"hit@{k}": hit_at(ranked_sources, gold_sources, k),
            "mrr@10": reciprocal_rank(ranked_sources, gold_sources, 10),
            "ndcg@10": ndcg_at(ranked_sources, gold_sources, 10),
            f"evidence@{k}": evidence_at(passages, must_include, k),
            "must_include_recall": 0.0 if abstained else term_recall(answer, must_include),
        }
    )
    if kind == "multi_hop":
        scores[f"all_sources@{k}"] = all_sources_at(ranked_sources, gold_sources, k)
    if not abstained:
        scores["citation_validity"] = float(citations_valid(answer, set(cited_keys)))
        scores["cited_answer_rate"] = float(bool(cited_sources))
        scores["cited_source_correctness"] = cited_source_correct(cited_sources, gold_sources)
        scores["cited_source_precision"] = cited_source_precision(cited_sources, gold_sources)
    return scores


def aggregate(
    rows: Sequence[Mapping[str, float]], kinds: Sequence[str], abstention: bool = True
) -> dict[str, float]:
    """Average every per-question score over the rows that have it; add abstention and latency."""
    out: dict[str, float] = {"questions": float(len(rows))}
    keys = sorted({k for r in rows for k in r if k != "latency_ms"})
    for key in keys:
        m = mean(r[key] for r in rows if key in r)
        if m is not None:
            out[key] = m
    out.pop("abstained", None)
    pairs = [
        (kind == "unanswerable", bool(r.get("abstained")))
        for r, kind in zip(rows, kinds, strict=True)
    ]
    out["abstained_rate"] = mean(float(did) for _, did in pairs) or 0.0
    for name, value in abstention_scores(pairs).items():
        if value is not None and abstention:
            out[name] = value
    lat = [r["latency_ms"] for r in rows if "latency_ms" in r]
    if lat:
        out["latency_p50_ms"] = percentile(lat, 50)
        out["latency_p95_ms"] = percentile(lat, 95)
    return out
