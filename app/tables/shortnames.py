"""Names written short or in part: 'Chesapeake Inst of Tech', 'Magnolia St', and 'AI
Factories' for every value it starts. Owns `abbreviated` and `inner_phrases`."""

from __future__ import annotations

from collections import defaultdict

from app.tables.headers import SYNONYMS, Tokens, canon
from app.tables.match import Match
from app.tables.valueindex import STOP, ColumnIndex, proper

# Shortenings in institution names ("Univ", "St", "Inst of Tech").
_ABBREVIATIONS = {"u": "university", "st": "state", "cc": "community", "poly": "polytechnic"}


def inner_phrases(q: Tokens, ix: ColumnIndex) -> list[Match]:
    """Two or more question words found together inside several values of a category column:
    'AI Factories' names both 'AI Factories Fast Lane' and 'AI Factories Playground'."""
    if not ix.column.categorical or ix.free_text:
        return []
    out = []
    for n in range(min(4, len(q.low)), 1, -1):
        for i in range(len(q.low) - n + 1):
            words = q.low[i : i + n]
            if words[0] in STOP or words[-1] in STOP:
                continue
            key = f" {canon(' '.join(words))} "
            held = (o for k, vs in ix.phrases.items() if key in f" {k} " for o in vs)
            hits = list(dict.fromkeys(held))
            if 1 < len(hits) <= 10:
                strong = any(proper(v) for v in hits)
                out.append(Match(ix.column.name, tuple(hits), i, i + n, 95.0, strong))
    return out


def _short_for(word: str, full: str) -> bool:
    """'univ' for 'university', 'inst' for 'institute', 'st' for 'state', either way round, or a
    near spelling."""
    from rapidfuzz import fuzz

    if word == full or _ABBREVIATIONS.get(word) == full:
        return True
    if len(word) >= 3 and full.startswith(word):
        return True
    if len(full) >= 3 and word.startswith(full) and full not in STOP:
        return True  # the table abbreviates: "Univ" in the cell, "University" in the question
    return len(word) >= 5 and fuzz.ratio(word, full) >= 85


def abbreviated(q: Tokens, ix: ColumnIndex) -> list[Match]:
    """Names written short or partly ('Chesapeake Inst of Tech', 'Magnolia St'): two or more
    question words standing, in order, for words of one value, at least one of them distinctive.
    """
    spans: dict[tuple[int, int], list[tuple[float, str]]] = defaultdict(list)
    for key, originals in ix.phrases.items():
        vt = [t for t in key.split() if t not in STOP]
        if len(vt) < 2:
            continue
        for i in range(len(q.low)):
            if q.low[i] in STOP:
                continue
            j, v, hits, distinct, end = i, 0, 0, False, i
            while j < len(q.low) and v < len(vt):
                w = q.low[j]
                if w in STOP and hits:
                    j += 1
                    continue
                k = next((k for k in range(v, len(vt)) if _short_for(w, vt[k])), None)
                if k is None:
                    break
                hits, v, j, end = hits + 1, k + 1, j + 1, j + 1
                distinct |= w not in SYNONYMS and w not in _ABBREVIATIONS and len(w) > 2
            if hits >= 2 and distinct and 2 * hits >= len(vt):
                spans[(i, end)] += [(90 + 5 * hits / len(vt), o) for o in originals]
    out = []
    for (i, end), scored in spans.items():
        best = max(sc for sc, _ in scored)
        values = tuple(dict.fromkeys(o for sc, o in scored if sc == best))
        out.append(Match(ix.column.name, values, i, end, best, True))
    return out
