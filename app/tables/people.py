"""People written 'Surname, I.' in a table and named 'Javier Ramirez' or 'Prof. Kowalski' in a
question: the first name belongs to the match, and a title before a name names no one else."""

from __future__ import annotations

import re
from dataclasses import replace

from app.tables.headers import Tokens, fold
from app.tables.match import Match

# Titles written before a person's name; they name no row or column themselves.
HONORIFICS = frozenset({"prof", "professor", "dr", "doctor", "mr", "mrs", "ms", "mx", "sir"})
_SURNAME_FIRST = re.compile(r"^\s*([^,]+),\s*([A-Z])(?:\.|[a-z'-]+)?\s*$")  # "Okafor, N(neka)"


def _initial(value: str) -> str:
    """'Ramírez, J.' → 'j'; '' for a value not written surname first."""
    m = _SURNAME_FIRST.match(fold(value))
    return m.group(2).lower() if m else ""


def with_first_names(q: Tokens, matches: list[Match]) -> list[Match]:
    """A capitalised word just before a surname match whose initial it shares is the person's
    first name ('Javier Ramirez' for 'Ramírez, J.'): it joins the match, and of two people
    with that surname the one with the initial is kept."""
    out = []
    for m in matches:
        i = m.start - 1
        initials = {_initial(v) for v in m.values}
        word = q.orig[i] if i >= 0 else ""
        if m.op != "in" or "" in initials or not word[:1].isupper() or len(word) < 2:
            out.append(m)
            continue
        fits = tuple(v for v in m.values if _initial(v) == word[0].lower())
        out.append(replace(m, values=fits, start=i) if fits else m)
    return out
