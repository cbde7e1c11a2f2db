"""Is each sentence of a model answer supported by the passages it cites? (No judge model.)

Two checks per sentence, after the literature on attribution (see shared notes: NLI models
take lexical overlap for entailment, so numbers get typed checks):
- every number, money amount, rate, date and name in the sentence occurs in a cited passage
  with the same type and unit ("$1,500 per core-hour" needs that price, not an allocation of
  1,500 core-hours);
- enough of the sentence's content words occur in its best cited passage sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.answerability.text import FUNCTION_WORDS
from app.answerability.values import NUMBER_WORDS
from app.citations import KEY_GROUP, keys_in
from index.types import Hit

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"(])")  # a trailing [S1] stays with its sentence
_WORD = re.compile(r"[a-z0-9]+")
_NUM = re.compile(
    r"(?<![A-Za-z0-9.])(?P<cur>\$|€|£|usd\s?|eur\s?)?(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<mult>[kmb]\b|thousand|"
    r"million|billion)?(?P<pct>\s?%|\s?percent)?",
    re.I,
)
_UNIT_AFTER = re.compile(r"^\s*(?:-\s*)?([a-z]+(?:[- ]hours?)?)", re.I)
_PER = re.compile(r"^\s*(?:[a-z-]+\s+){0,2}(?:per|/|an|a)\s+([a-z-]+)", re.I)
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][A-Za-z0-9]*(?:[A-Z0-9][A-Za-z0-9]*)+|[A-Z]{2,})\b")
_STOP = FUNCTION_WORDS
# Different spellings of one unit; a unit not listed is compared as written.
_UNIT_ALIASES = {
    "gpu-hours": "gpu-hour",
    "gpu hours": "gpu-hour",
    "gpu-hour": "gpu-hour",
    "node-hours": "node-hour",
    "node hours": "node-hour",
    "node-hour": "node-hour",
    "core-hours": "core-hour",
    "core hours": "core-hour",
    "core-hour": "core-hour",
    "hours": "hour",
    "hrs": "hour",
    "h": "hour",
    "months": "month",
    "weeks": "week",
    "days": "day",
    "years": "year",
    "sus": "su",
    "credits": "credit",
    "gb": "gb",
    "tb": "tb",
    "pages": "page",
    "gpus": "gpu",
    "nodes": "node",
    "students": "student",
}


@dataclass(frozen=True)
class Quantity:
    """A number in a sentence with its type: money, percent, rate, unit or plain."""

    value: float
    kind: str  # "money", "percent", "rate", "unit", "year", "plain"
    unit: str = ""


@dataclass(frozen=True)
class SupportResult:
    """The answer with unsupported sentences removed."""

    text: str
    used: tuple[str, ...]
    removed: tuple[str, ...]  # why each removed sentence was removed (with its start)
    uncited: int


def _unit(word: str) -> str:
    """Normalise a unit word."""
    w = word.lower().strip()
    return _UNIT_ALIASES.get(w, w.rstrip("s") if len(w) > 3 else w)


_NUMBER_WORDS = {**NUMBER_WORDS, "once": "1 time", "twice": "2 times"}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)


def quantities(text: str) -> list[Quantity]:
    """Typed numbers in a text (number words such as "five" or "twice" included)."""
    text = _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1).lower()], text)
    out: list[Quantity] = []
    for m in _NUM.finditer(text):
        raw = m.group("num").replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        mult = (m.group("mult") or "").lower()
        value *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}.get(mult, 1.0)
        value *= {"b": 1e9, "billion": 1e9}.get(mult, 1.0)
        rest = text[m.end() : m.end() + 40]
        per = _PER.match(rest)
        after = _UNIT_AFTER.match(rest)
        if m.group("cur") or re.match(r"^\s*(dollars|usd|euros)", rest, re.I):
            q = Quantity(value, "money", _unit(per.group(1)) if per else "")
        elif m.group("pct"):
            q = Quantity(value, "percent")
        elif 1900 <= value <= 2100 and "." not in raw and "," not in m.group("num"):
            q = Quantity(value, "year")
        elif per and after and _unit(after.group(1)) not in ("per", "a", "an"):
            q = Quantity(value, "rate", _unit(after.group(1)) + "/" + _unit(per.group(1)))
        elif after and after.group(1).lower() not in _STOP:
            q = Quantity(value, "unit", _unit(after.group(1)))
        else:
            q = Quantity(value, "plain")
        out.append(q)
    return out


def _supported_quantity(q: Quantity, passage: list[Quantity]) -> bool:
    """The same value with a compatible type in the passage."""
    for p in passage:
        if abs(p.value - q.value) > 1e-9 * max(1.0, abs(q.value)):
            continue
        if q.kind in ("plain", "year") or q.kind == p.kind == "percent":
            return True
        if q.kind == "money":
            if p.kind == "money" and (not q.unit or q.unit == p.unit):
                return True
            continue
        if q.kind == "rate" and p.kind == "rate" and p.unit == q.unit:
            return True
        if q.kind == "unit" and p.kind in ("unit", "rate") and p.unit.split("/")[0] == q.unit:
            return True
    return False


def _words(text: str) -> set[str]:
    """Content words, crudely stemmed."""
    return {w.rstrip("s") if len(w) > 3 else w for w in _WORD.findall(text.lower())} - _STOP


def sentence_problems(sentence: str, cited: Sequence[str], min_support: float) -> list[str]:
    """Why one sentence is not supported by its cited passages (empty when it is)."""
    claim = KEY_GROUP.sub("", sentence)
    joined = "\n".join(cited)
    have = quantities(joined)
    problems = [
        f"{q.value:g} ({q.kind}{' ' + q.unit if q.unit else ''}) is not in the cited passage"
        for q in quantities(claim)
        if not _supported_quantity(q, have)
    ]
    low = joined.lower()
    for month in _MONTHS:
        if re.search(rf"\b{month}\b", claim, re.I) and month not in low:
            problems.append(f"date {month.title()} is not in the cited passage")
    for m in _NAME.finditer(claim):
        if m.group(1).lower() not in low:
            problems.append(f"name {m.group(1)} is not in the cited passage")
    words = _words(claim)
    if words:
        best = max(
            (len(words & _words(s)) / len(words) for c in cited for s in _SENT.split(c)),
            default=0.0,
        )
        if best < min_support and len(words) >= 4:
            problems.append(f"only {best:.0%} of its words are in the cited passage")
    return problems


def check_support(
    text: str, hits: Sequence[Hit], keys: Sequence[str], min_support: float
) -> SupportResult:
    """Keep the sentences their cited passages support; uncited sentences are kept as prose."""
    passages = {k: h.chunk.text for k, h in zip(keys, hits, strict=True)}
    kept: list[str] = []
    removed: list[str] = []
    used: list[str] = []
    uncited = 0
    for sent in _SENT.split(text.strip()):
        if not sent.strip():
            continue
        cited = [k for k in keys_in(sent) if k in passages]
        if not cited:
            uncited += 1 if len(sent.split()) >= 5 else 0
            # An uncited sentence may only frame the answer: it may not add numbers or names.
            if quantities(KEY_GROUP.sub("", sent)):
                removed.append(f"{sent[:60]}… (a number with no citation)")
                continue
            kept.append(sent)
            continue
        problems = sentence_problems(sent, [passages[k] for k in cited], min_support)
        if problems:
            removed.append(f"{sent[:60]}… ({'; '.join(problems[:2])})")
            continue
        kept.append(sent)
        used.extend(k for k in cited if k not in used)
    return SupportResult(" ".join(kept), tuple(used), tuple(removed), uncited)
