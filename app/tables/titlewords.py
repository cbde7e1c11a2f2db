"""Phrases found inside free-text cells (titles): a few words, or one coined word, held by
only a few cells. Owns `title_phrases` and `special`."""

from __future__ import annotations

import re

from app.tables.headers import Tokens, norm
from app.tables.match import Match
from app.tables.valueindex import STOP, ColumnIndex


def special(token: str) -> bool:
    """A coined word in a title ('LLMaven', 'Gaudi2', 'Lake-GPT'): worth matching alone."""
    # "GPUs", "APIs": a common acronym's plural is not coined
    return bool(re.search(r"[a-z][A-Z]|[A-Za-z]\d|[A-Z]{3,}(?!s\b)", token))


def title_phrases(q: Tokens, ix: ColumnIndex, rows: int, common: set[str]) -> list[Match]:
    """Phrases of two or more words, or one coined word, found in only a few free-text cells.

    Words of the table's own title ('NAIRR', 'allocations') name the table, not a row.
    """
    out = []
    limit = max(1, min(3, rows // 10))
    for n in (4, 3, 2, 1):
        for i in range(len(q.low) - n + 1):
            words = q.low[i : i + n]
            if words[0] in STOP or words[-1] in STOP or set(words) & common:
                continue
            if {w[:-1] for w in words if w.endswith("s")} & common:
                continue  # "allocations" when the title says "Allocation Usage Report"
            key = " ".join(words)
            pairs = zip(ix.originals, ix.norms, strict=True)
            hits = [v for v, k in pairs if f" {key} " in f" {k} "]
            if not hits or len(hits) > limit:
                continue
            if n == 1 and not any(
                special(t)
                for h in hits
                for t in re.findall(r"\S+", h)
                if norm(t) == key or norm(t).startswith(key + " ")
            ):
                continue
            out.append(Match(ix.column.name, (key,), i, i + n, 70.0 + n, n == 1, "contains"))
    return out
