"""Abstention calibration: sweep the relevance threshold and write the best one to settings."""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.abstain import relevance, should_abstain
from app.errors import ConfigError
from eval.dataset import GoldenItem
from eval.metrics import abstention_scores

if TYPE_CHECKING:
    from app.answer import Assistant
    from index.types import Hit


@dataclass(frozen=True)
class Probe:
    """One question's retrieval, enough to replay the abstention decision at any threshold."""

    id: str
    question: str
    unanswerable: bool
    hits: tuple[Hit, ...]

    @property
    def relevance(self) -> float:
        """Best cosine similarity among the hits."""
        return relevance(self.hits)


@dataclass(frozen=True)
class Point:
    """Abstention quality at one (min_relevance, lookalike_relevance) setting."""

    min_relevance: float
    lookalike_relevance: float
    recall: float  # unanswerable questions abstained on
    answer_rate: float  # answerable questions answered
    precision: float
    f1: float
    balanced: float


def probe(assistant: Assistant, items: Sequence[GoldenItem], k: int | None = None) -> list[Probe]:
    """Ask each question once (extractive, so no model is called) and keep what it retrieved."""
    out = []
    for it in items:
        answer = assistant.ask(it.question, history=it.history, backend="extractive", k=k)
        standalone = answer.standalone_question or it.question
        out.append(Probe(it.id, standalone, not it.answerable, answer.hits))
    return out


def score(probes: Sequence[Probe], vocab: set[str], t: float, lookalike: float) -> Point:
    """Replay app.abstain.should_abstain at one setting and score it."""
    pairs = [
        (p.unanswerable, should_abstain(p.question, p.hits, vocab, t, lookalike) is not None)
        for p in probes
    ]
    s = abstention_scores(pairs)
    far = s["false_abstention_rate"]
    return Point(
        min_relevance=round(t, 4),
        lookalike_relevance=round(lookalike, 4),
        recall=s["abstention_recall"] or 0.0,
        answer_rate=1.0 - (far or 0.0),
        precision=s["abstention_precision"] or 0.0,
        f1=s["abstention_f1"] or 0.0,
        balanced=s["balanced_accuracy"] or 0.0,
    )


def thresholds(values: Sequence[float], floor: float = 0.0) -> list[float]:
    """Midpoints between consecutive distinct values (≥ floor), plus one below and one above.

    The abstention outcome only changes where a threshold crosses a question's relevance, so
    each midpoint stands for one interval, and it is the widest-margin choice inside it.
    """
    xs = sorted({round(v, 6) for v in values if v >= floor})
    if not xs:
        return [round(floor, 4)]
    mids = [round((a + b) / 2, 4) for a, b in itertools.pairwise(xs)]
    return [round(max(floor, xs[0] - 0.01), 4), *mids, round(xs[-1] + 0.01, 4)]


def _tied(points: Sequence[Point], min_answer_rate: float) -> list[Point]:
    """The points with the best balanced accuracy (then F1) that keep answering enough."""
    ok = [p for p in points if p.answer_rate >= min_answer_rate] or list(points)
    best = max((p.balanced, p.f1) for p in ok)
    return [p for p in ok if abs(p.balanced - best[0]) < 1e-9 and abs(p.f1 - best[1]) < 1e-9]


def choose(points: Sequence[Point], min_answer_rate: float) -> Point:
    """Best balanced accuracy keeping answerable questions answered; middle of a tied run."""
    tied = _tied(points, min_answer_rate)
    return tied[len(tied) // 2]


def _centred(
    points: Sequence[Point], min_answer_rate: float, rescore: Callable[[float], Point], attr: str
) -> Point:
    """The centre of the best plateau when its outcome is the same throughout (widest margin)."""
    tied = _tied(points, min_answer_rate)
    lo, hi = getattr(tied[0], attr), getattr(tied[-1], attr)
    centre = rescore(round((lo + hi) / 2, 4))
    same = (centre.recall, centre.answer_rate) == (tied[0].recall, tied[0].answer_rate)
    return centre if same else tied[len(tied) // 2]


def sweep(
    probes: Sequence[Probe], vocab: set[str], lookalike: float, min_answer_rate: float
) -> tuple[Point, list[Point], list[Point]]:
    """Sweep min_relevance, then lookalike_relevance at the chosen min_relevance."""
    rel = [p.relevance for p in probes]
    curve = [score(probes, vocab, t, lookalike) for t in thresholds(rel)]
    chosen = _centred(
        curve, min_answer_rate, lambda t: score(probes, vocab, t, lookalike), "min_relevance"
    )
    t = chosen.min_relevance
    looks = [score(probes, vocab, t, la) for la in thresholds(rel, floor=t)]
    better = _centred(
        looks, min_answer_rate, lambda la: score(probes, vocab, t, la), "lookalike_relevance"
    )
    if better.balanced > chosen.balanced + 1e-9:
        chosen = better
    return chosen, curve, looks


def curve_table(points: Sequence[Point], chosen: Point, column: str = "min_relevance") -> str:
    """The trade-off curve as a text table; only rows where the outcome changes, chosen marked."""
    lines = [f"{column:>19}  abstain-recall  answer-rate  precision  f1     balanced"]
    prev: tuple[float, float] | None = None
    if all(p != chosen for p in points):
        # The chosen value may be the centre of a plateau, between two swept thresholds.
        points = sorted([*points, chosen], key=lambda p: float(getattr(p, column)))
    for p in points:
        outcome = (p.recall, p.answer_rate)
        if outcome == prev and p != chosen:
            continue
        prev = outcome
        mark = "  <- chosen" if p == chosen else ""
        lines.append(
            f"{getattr(p, column):>19.4f}  {p.recall:>14.3f}  {p.answer_rate:>11.3f}  "
            f"{p.precision:>9.3f}  {p.f1:.3f}  {p.balanced:.3f}{mark}"
        )
    return "\n".join(lines)


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")


def set_toml_values(path: Path, table: str, values: dict[str, float]) -> None:
    """Set keys of one [table] in a TOML file, keeping every other line and comment as it was."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix it before calibrating") from exc
    lines = text.splitlines()
    start = next(
        (i for i, ln in enumerate(lines) if (m := _HEADER.match(ln)) and m[1] == table), None
    )
    if start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines.append(f"[{table}]")
        start = len(lines) - 1
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines)
    )
    for key, value in values.items():
        pat = re.compile(rf"^(\s*){re.escape(key)}\s*=\s*[^#\n]*?(\s*#.*)?$")
        new = f"{key} = {value!r}"
        hit = next((i for i in range(start + 1, end) if pat.match(lines[i])), None)
        if hit is None:
            insert = end
            while insert > start + 1 and not lines[insert - 1].strip():
                insert -= 1
            lines.insert(insert, new)
            end += 1
        else:
            m = pat.match(lines[hit])
            assert m is not None
            lines[hit] = f"{m[1]}{new}{m[2] or ''}"
    out = "\n".join(lines) + "\n"
    try:
        parsed = tomllib.loads(out).get(table, {})
    except tomllib.TOMLDecodeError:
        parsed = {}
    if any(parsed.get(k) != v for k, v in values.items()):
        raise ConfigError(f"could not set {table}.{', '.join(values)} in {path}; edit it by hand")
    path.write_text(out, encoding="utf-8")
