"""Places a question names, matched against a column of states, provinces or countries."""

from __future__ import annotations

from app.tables.countries import CODE_ALIASES
from app.tables.headers import Tokens
from app.tables.match import Match
from app.tables.places import ABROAD, COUNTRY, MIXED, PlaceColumn
from ingest.states import PROVINCES, STATES

# A country named in a column of its states or provinces: all of them.
_US = frozenset(STATES) - frozenset(PROVINCES)
_REGIONS = {"canada": frozenset(PROVINCES), "canadian": frozenset(PROVINCES)}
_REGIONS |= {"united states": _US, "usa": _US}

# Words that are also two-letter state codes: only their capitals ("OR", "IN") name a state.
_CODE_WORDS = frozenset(
    {"al", "as", "co", "de", "hi", "id", "in", "la", "ma", "me", "mo", "ms", "ne", "oh", "ok", "or"}
    | {"pa", "on", "pe", "ns", "nt"}
)


def place_matches(q: Tokens, column: str, places: PlaceColumn) -> list[Match]:
    """Place names anywhere; codes as whole capitalised tokens; mapped to the column's form.

    A country code must be one the column holds: 'AI' or 'IT' in a question are words far
    more often than Anguilla or Italy. State codes keep their older rule ('md', 'tx' in lower
    case are no English words).
    """
    names = places.names()
    shouting = all(t.isupper() for t in q.orig)
    out = []
    for n in (4, 3, 2, 1):
        for i in range(len(q.low) - n + 1):
            region = _REGIONS.get(q.phrase(i, n)) if places.kind != COUNTRY else None
            if region is not None:
                # "institutions in Canada": every province the column holds (a loose match)
                covered = tuple(
                    v for c in sorted(region & set(places.by_code)) for v in places.by_code[c]
                )
                out += [Match(column, covered, i, i + n, 90.0, False)] if covered else []
                continue
            code = names.get(q.phrase(i, n))
            tok = q.orig[i]
            if code is None and n == 1 and len(tok) == 2 and places.kind != COUNTRY:
                if tok.upper() in STATES and tok.isupper() and not shouting:
                    code = tok
                elif tok.upper() in STATES and q.low[i] not in _CODE_WORDS:
                    code = tok.upper() if tok.islower() or shouting else None
            elif code is None and n == 1 and len(tok) == 2 and tok.isupper() and not shouting:
                held = CODE_ALIASES.get(tok, tok)
                code = held if held in places.by_code else None
            if code is None and n == 1 and len(tok) == 2 and tok.isupper() and not shouting:
                # "UK", "JP" beside states: a country code the mixed column holds
                held = ABROAD + CODE_ALIASES.get(tok, tok)
                code = held if places.kind == MIXED and held in places.by_code else None
            if code is not None:
                values = places.values_for(code)
                out.append(Match(column, values, i, i + n, 100.0, True))
    return out
