"""Cells that join a unit and its organisation ('Dept. of Physics, Univ. of Minnetonka', in
either order): a question naming the organisation finds every row of it, whatever the unit
and however the organisation is written ('Univ of', a slip, 'Inst.', ', LLC')."""

from __future__ import annotations

import re
from functools import lru_cache

from app.tables.canon import is_short_form, spelling_groups
from app.tables.headers import Tokens, name_key, norm
from app.tables.match import Match
from index.tables import ColumnInfo

# A part that is only a legal form ('Bluestem Analytics, LLC') names no organisation, and a
# legal form at a name's end does not change the name.
_LEGAL = re.compile(r"\s*,?\s*\b(llc|inc|ltd|gmbh|corp|co|plc|lp|llp)\.?\s*$", re.I)
# A column holds joined cells when at least this share of its values has a comma part.
_JOINED_SHARE = 0.4
_MAX_ROWS = 20  # the spec's limit on values in one filter


def _parts(value: str) -> list[str]:
    """The organisation names in a cell: its comma parts, legal forms dropped."""
    out = []
    for part in value.split(","):
        bare = _LEGAL.sub("", part).strip()
        if bare and not _LEGAL.fullmatch(" " + part.strip()):
            out.append(bare)
    return out


@lru_cache(maxsize=64)
def _part_index(values: tuple[str, ...]) -> dict[str, tuple[str, ...]] | None:
    """Part key → the cells holding that part or another spelling of it; None when the
    column's cells are not joined names."""
    if sum("," in v for v in values) < _JOINED_SHARE * len(values):
        return None
    holders: dict[str, set[str]] = {}
    for v in values:
        for p in _parts(v):
            holders.setdefault(p, set()).add(v)
    # 'Univ. of X', 'Univeristy of X', 'Calumet Inst. of Technology': one organisation
    groups = spelling_groups(tuple(sorted(holders)))
    out: dict[str, set[str]] = {}
    for p in holders:
        cells = {c for s in groups.get(p, (p,)) for c in holders[s]}
        out.setdefault(name_key(norm(p)), set()).update(cells)
    return {k: tuple(sorted(v)) for k, v in out.items() if k}


def part_matches(q: Tokens, column: ColumnInfo) -> list[Match]:
    """Organisations the question names by a capitalised phrase, found inside joined cells:
    exactly, with a slip in a long name, or by a short form ('Calumet Tech')."""
    from rapidfuzz import fuzz, process

    index = _part_index(column.values) if column.type == "text" and column.values else None
    if not index:
        return []
    keys = tuple(index)
    out: list[Match] = []
    for n in range(min(6, len(q.low)), 1, -1):
        for i in range(len(q.low) - n + 1):
            if not q.orig[i][:1].isupper() or not q.orig[i + n - 1][:1].isupper():
                continue  # a name is written with capitals at both ends
            phrase = " ".join(q.orig[i : i + n])
            key = name_key(norm(phrase))
            cells = index.get(key)
            score = 95.0
            if cells is None and len(key) >= 8:
                best = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=88)
                if best is not None and best[0][:1] == key[:1]:
                    cells, score = index[best[0]], float(best[1]) - 5
            if cells is None:
                fits = {index[k] for k in keys if is_short_form(phrase, k)}
                cells, score = (fits.pop(), 90.0) if len(fits) == 1 else (None, 0.0)
            if cells and len(cells) <= _MAX_ROWS:
                out.append(Match(column.name, cells, i, i + n, score, True))
    return out
