"""Columns of places — US states or countries — and the question words that name a place.

A place is named by its name, another usual name ('Czech Republic'), an adjective for
countries ('Finnish'), or its two-letter code ('TX', 'FI'). The column decides the kind: a
column whose values are mostly countries reads 'DE' as Germany, one of states as Delaware.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.tables.countries import ADJECTIVES, CODE_ALIASES, COUNTRIES, COUNTRY_NAMES
from ingest.states import NAMES, STATES

STATE, COUNTRY = "state", "country"
# US states beside foreign countries in one column ('WI', 'Wisconsin', 'Japan', 'UK'): read as
# states first (a US table's 'CA' and 'Georgia' are states); a country's code is prefixed so it
# never meets a state's.
MIXED = "state or country"
ABROAD = "C-"
_WORD = re.compile(r"[a-z0-9]+")


def place_key(text: str) -> str:
    """Lower-case words without accents: 'Côte d'Ivoire' → 'cote d ivoire'."""
    plain = unicodedata.normalize("NFKD", text.lower())
    return " ".join(_WORD.findall("".join(c for c in plain if not unicodedata.combining(c))))


_COUNTRY_KEYS = {place_key(k): v for k, v in COUNTRY_NAMES.items()}
_STATE_KEYS = {place_key(k): v for k, v in NAMES.items()}


def code_of(value: str, kind: str) -> str | None:
    """The code of a cell ('Finland' → 'FI', 'TX' → 'TX'), or None when it is no place."""
    v = value.strip()
    if kind == MIXED:
        state = code_of(v, STATE)
        country = None if state else code_of(v, COUNTRY)
        return state or (ABROAD + country if country else None)
    if kind == STATE:
        return v.upper() if v.upper() in STATES else _STATE_KEYS.get(place_key(v))
    up = CODE_ALIASES.get(v.upper(), v.upper())
    if len(v) == 2 and up in COUNTRIES:
        return up
    return _COUNTRY_KEYS.get(place_key(v))


@dataclass(frozen=True)
class PlaceColumn:
    """A column of places: its kind, and the column's own values for each code it holds."""

    kind: str
    by_code: dict[str, tuple[str, ...]]
    codes_written: bool  # the cells are codes ('TX'), not names

    def values_for(self, code: str) -> tuple[str, ...]:
        """The cells standing for a place, in the column's own spelling."""
        if code in self.by_code:
            return self.by_code[code]
        if code.startswith(ABROAD):
            return (COUNTRIES[code[len(ABROAD) :]],)
        if self.codes_written:
            return (code,)
        return (STATES[code] if self.kind != COUNTRY else COUNTRIES[code],)

    def names(self) -> dict[str, str]:
        """Question phrases naming a place of this kind → code."""
        if self.kind == STATE:
            return _STATE_KEYS
        if self.kind == MIXED:
            abroad = {k: ABROAD + c for k, c in (_COUNTRY_KEYS | ADJECTIVES).items()}
            return abroad | _STATE_KEYS  # 'Georgia' stays the state
        return _COUNTRY_KEYS | ADJECTIVES


@lru_cache(maxsize=256)
def place_column(values: tuple[str, ...]) -> PlaceColumn | None:
    """The column's places when at least 80 % of its values are states, or countries, or
    (failing both) states and countries together."""
    if len(values) < 2:
        return None
    for kind in (STATE, COUNTRY, MIXED):
        codes = {v: code_of(v, kind) for v in values}
        known = [v for v, c in codes.items() if c]
        if len(known) >= 0.8 * len(values):
            by_code: dict[str, tuple[str, ...]] = {}
            for v in known:
                code = codes[v]
                assert code is not None
                by_code[code] = (*by_code.get(code, ()), v)
            written = sum(len(v) == 2 for v in values) >= 0.8 * len(values)
            return PlaceColumn(kind, by_code, written)
    return None


def is_place_column(values: tuple[str, ...]) -> bool:
    """True when most of a column's values are states or countries."""
    return place_column(values) is not None
