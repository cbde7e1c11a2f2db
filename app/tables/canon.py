"""One thing written several ways in a column is one group: 'GLTU', 'Great Lakes Tech' and
'Great Lakes Technological University'; 'osprey2-h100' and 'Osprey 2 (H100)'; 'VA' and
'Virginia'; a slip such as 'Ohio Vally University'.

Groups are read from the column's own values, never from a list of one table's names: the
same key after shortenings are written out, the same letters and digits once punctuation is
dropped, the same place code, one misspelt word, a shortened form, or an acronym.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from app.tables.aliases import acronym_tail, alias_keys
from app.tables.headers import canon, fold, name_key, norm
from app.tables.places import code_of, place_column
from index.tables import TableInfo

# Words an organisation's short form often leaves out ('Great Lakes Tech' for '… University').
_GENERIC = frozenset(
    {"university", "college", "institute", "institution", "school", "of", "the", "and", "at"}
    | {"for", "in"}
)
_JOINERS = frozenset({"of", "the", "and", "at", "for", "in", "de", "du"})


@lru_cache(maxsize=20_000)
def _words(value: str) -> list[str]:
    """A value's normalised words (read once per value: columns are compared pairwise)."""
    return norm(value).split()


def _key(value: str) -> str:
    """The name key without a leading article: 'The Ohio Valley University' → 'ohio valley …'."""
    key = name_key(norm(value))
    return key[4:] if key.startswith("the ") and len(key) > 4 else key


def _kinds(value: str) -> str:
    """The name's own words and its kind words, in any order: 'Tallgrass U' and 'University
    of Tallgrass' are one; 'Tallgrass College' is another ('' when it has no kind word)."""
    words = ["university" if w == "u" else w for w in canon(norm(value)).split()]
    kinds = sorted({w for w in words if w in _GENERIC and w not in _JOINERS})
    own = sorted({w for w in words if w not in _GENERIC})
    return f"{' '.join(own)} | {' '.join(kinds)}" if own and kinds else f"?{value}"


def _squashed(value: str) -> str:
    """Letters and digits only: 'osprey2-h100' and 'Osprey 2 (H100)' are both 'osprey2h100'."""
    return re.sub(r"[^a-z0-9]", "", fold(value).lower())


def _one_slip(a: list[str], b: list[str]) -> bool:
    """Same words but one, a long word misspelt ('vally' for 'valley'); digits must agree."""
    from rapidfuzz import fuzz

    if len(a) != len(b) or len(a) < 2:
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    digits = re.sub(r"\D", "", x) == re.sub(r"\D", "", y)
    return digits and min(len(x), len(y)) >= 5 and fuzz.ratio(x, y) >= 85


def _prefix_of(part: str, word: str) -> bool:
    """'tech' for 'technological', 'univ' for 'university': a clipped word or a shared stem."""
    if len(part) >= 3 and word.startswith(part):
        return True
    n = 0
    while n < min(len(part), len(word)) and part[n] == word[n]:
        n += 1
    return n >= 6  # 'technology' and 'technological' share a stem


def _covers(parts: list[str], words: list[str]) -> bool:
    """The short form's parts stand, in order, for words of the long one, starting at its first
    word; the long words left out are only generic ones ('university', 'of')."""
    if len(parts) < 2 or not words or not _prefix_of(parts[0], words[0]):
        return False
    i = 0
    for p in parts:
        while i < len(words) and not _prefix_of(p, words[i]):
            if words[i] not in _GENERIC:
                return False
            i += 1
        if i == len(words):
            return False
        i += 1
    return all(w in _GENERIC for w in words[i:])


def _short_form(short: str, full: str) -> bool:
    """'GLTU' (initials), 'ChesTech' (clipped words run together) or 'Great Lakes Tech'
    (clipped words) for a longer name of the same column."""
    words = _words(full)
    if len(words) < 2:
        return False
    written = fold(short).strip()
    if re.fullmatch(r"[A-Z]{3,6}", written):
        initials = "".join(w[0] for w in words if w not in _JOINERS)
        return written.lower() == initials
    if re.fullmatch(r"(?:[A-Z][a-z]+){2,4}", written):
        return _covers([p.lower() for p in re.findall(r"[A-Z][a-z]+", written)], words)
    parts = canon(norm(short)).split()
    full_words = canon(" ".join(words)).split()
    if acronym_tail(short, full):
        return True  # "Cedar Valley CC" for "Cedar Valley Community College"
    return len(parts) < len(full_words) and _covers(parts, full_words)


# Columns with more distinct values than this are free text (titles): no slips or short forms.
_FUZZY_MAX = 1000


@lru_cache(maxsize=64)
def _groups(values: tuple[str, ...], fuzzy: bool = True) -> dict[str, tuple[str, ...]]:
    """Each value → every value of its group (only values with another spelling appear);
    `fuzzy` also joins slips and short forms (category columns only: pairs are compared)."""
    parent = {v: v for v in values}

    def find(v: str) -> str:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    places = place_column(values)
    by: dict[str, str] = {}
    for v in values:
        squashed = _squashed(v)
        keys = [f"k:{_key(v)}", f"s:{squashed}", f"w:{_kinds(v)}", *alias_keys(v)]
        if len(squashed) > 2 and squashed.endswith("s"):
            keys.append(f"s:{squashed[:-1]}")  # "SUs" and "SU" are one unit
        if places is not None and (code := code_of(v, places.kind)):
            keys.append(f"p:{code}")
        for k in keys:
            if k in by:
                union(v, by[k])
            else:
                by[k] = v
    if places is None and fuzzy and len(values) <= _FUZZY_MAX:
        _slips(values, union, find)
        _short_forms(values, union, find)
    members: dict[str, list[str]] = {}
    for v in values:
        members.setdefault(find(v), []).append(v)
    return {v: tuple(ms) for ms in members.values() if len(ms) > 1 for v in ms}


def short_for(written: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """The values a question's acronym or run-together short form stands for ('BSU' for 'Bayou
    State University'), when they are one thing; () otherwise."""
    if not re.fullmatch(r"[A-Z]{3,6}|(?:[A-Z][a-z]+){2,4}", written):
        return ()
    if len(values) > _FUZZY_MAX:
        return ()
    groups = _groups(values)
    fits = {groups.get(v, (v,)) for v in values if _short_form(written, v)}
    return fits.pop() if len(fits) == 1 else ()


def _slips(values: tuple[str, ...], union: Any, find: Any) -> None:
    """Join values whose words differ in one misspelt word; only values sharing all other
    words are compared (a bucket per word left out), so long columns stay fast."""
    buckets: dict[tuple[str, ...], list[str]] = {}
    split = {v: _key(v).split() for v in values}
    for v, words in split.items():
        for i in range(len(words)):
            buckets.setdefault((str(i), *words[:i], *words[i + 1 :]), []).append(v)
    for group in buckets.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if find(a) != find(b) and _one_slip(split[a], split[b]):
                    union(a, b)


def _short_forms(values: tuple[str, ...], union: Any, find: Any) -> None:
    """Join a short form to the one longer name it fits; only names starting with the short
    form's first letter are compared."""
    by_letter: dict[str, list[str]] = {}
    for v in values:
        by_letter.setdefault(norm(v)[:1], []).append(v)
    for short in values:
        written = norm(short)
        if not written or (len(written.split()) > 1 and len(written) > 40):
            continue  # a long phrase is nobody's short form
        fits = {
            find(full)
            for full in by_letter.get(written[0], ())
            if full != short and _short_form(short, full)
        }
        fits.discard(find(short))
        if len(fits) == 1:
            union(short, fits.pop())


def distinct_things(table: TableInfo, column: str) -> int:
    """How many different things a text column holds, its spellings of one counted once."""
    col = table.column(column)
    if col is None:
        return 0
    groups = variants(table, column)
    return len({groups.get(v, (v,)) for v in col.values})


def variants(table: TableInfo, column: str) -> dict[str, tuple[str, ...]]:
    """Value → every spelling of the same thing in a text column ({} for other columns)."""
    col = table.column(column)
    if col is None or col.type != "text" or not col.values:
        return {}
    return _groups(col.values, col.categorical or len(col.values) <= 300)


def spelled(table: TableInfo, column: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """The values with every other spelling of each added ('GLTU' brings its full name)."""
    groups = variants(table, column)
    return tuple(dict.fromkeys(w for v in values for w in groups.get(v, (v,))))


def label(spellings: tuple[str, ...]) -> str:
    """One label naming a group: its longest spelling first ('Virginia / VA')."""
    return " / ".join(sorted(spellings, key=lambda s: (-len(s), s)))


def spelling_groups(values: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each value with another spelling among `values` → all its spellings (slips included)."""
    return _groups(values)


def is_short_form(short: str, full: str) -> bool:
    """'Calumet Tech' for 'Calumet Institute of Technology', 'GLTU' for its initials."""
    return _short_form(short, full)
