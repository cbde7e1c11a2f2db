"""The quotable sentences of retrieved passages, with where each sits in its passage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.compose.kinds import is_record
from app.guard import looks_like_injection
from index.types import Hit
from ingest.sentences import split_sentences

_WORD = re.compile(r"[a-z0-9]+")
# A split after an abbreviation ("Pitfall no. 1: …", "e.g. GPUs") cut one sentence in two.
_ABBREV = re.compile(r"\b(?:no|nos|vs|e\.g|i\.e|etc|approx|dr|mr|mrs|ms|st|fig|cf)\.$", re.I)
# A short verdict ("No.", "Yes, partly.", "Sources disagree.") belongs with the sentence after it.
_LEAD_IN_WORDS = 3
_NUMBERING = re.compile(r"^\(?\d+[.)]?$")
_BULLET = re.compile(r"^(?:[-*•·#>|]+|\d+[.)])\s*")
MIN_WORDS = 4


@dataclass(frozen=True)
class Unit:
    """One quotable sentence: its text, its passage (hit index) and place in that passage."""

    text: str
    hit: int
    pos: int  # order among the passage's units
    pieces: tuple[str, ...]  # the split sentences it joins (their vectors are stored at ingest)
    line_item: bool  # a whole line of a list, slide or steps passage
    prev: int | None = None  # the unit before it in the same passage (index into the units list)


def norm(text: str) -> str:
    """Lower-case words only, for comparing sentences."""
    return " ".join(_WORD.findall(text.lower()))


def _joined(sentences: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Re-join abbreviation splits and short verdicts with the sentence that follows."""
    out: list[tuple[str, tuple[str, ...]]] = []
    carry: list[str] = []
    for sent in sentences:
        if _NUMBERING.match(sent):
            continue  # a lone "1." left by splitting a numbered line
        carry.append(sent)
        short_verdict = len(sent.split()) <= _LEAD_IN_WORDS and sent.endswith(".")
        if _ABBREV.search(sent) or (short_verdict and len(carry) == 1):
            continue
        out.append((" ".join(carry), tuple(carry)))
        carry = []
    if carry:
        out.append((" ".join(carry), tuple(carry)))
    return out


def _lines(text: str) -> set[str]:
    """The passage's lines without bullets or numbering (when it has several lines)."""
    lines = [_BULLET.sub("", ln.strip()).strip() for ln in text.splitlines() if ln.strip()]
    return {norm(ln) for ln in lines} if len(lines) >= 3 else set()


def build_units(hits: Sequence[Hit]) -> list[Unit]:
    """Candidate sentences of the hits: no headings, questions, injections or page furniture."""
    per_hit = [_joined(split_sentences(h.chunk.text, h.chunk.heading)) for h in hits]
    # A sentence found in two different passages is furniture (a footer, a reminder repeated on
    # every slide), not an answer.
    seen: dict[str, set[int]] = {}
    for i, sents in enumerate(per_hit):
        for text, _ in sents:
            seen.setdefault(norm(text), set()).add(i)
    units: list[Unit] = []
    for i, (hit, sents) in enumerate(zip(hits, per_hit, strict=True)):
        heading = norm(hit.chunk.heading)
        lines = _lines(hit.chunk.text)
        last: int | None = None
        pos = 0
        for text, pieces in sents:
            key = norm(text)
            if len(seen[key]) > 1 or key == heading or text.rstrip().endswith("?"):
                last = None  # what follows a dropped line has lost its antecedent
                continue
            if len(text.split()) < MIN_WORDS or "sample material" in text.lower():
                last = None
                continue
            if looks_like_injection(text):
                last = None  # instructions planted in a document are never repeated
                continue
            # A table row is one line of a list, however the passage was laid out.
            listed = key in lines or is_record(text)
            units.append(Unit(text, i, pos, pieces, listed, last))
            last = len(units) - 1
            pos += 1
    return units
