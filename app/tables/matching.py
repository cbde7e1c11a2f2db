"""Find what a question names in a table: cell values (fuzzily), states and countries.

Owns `find_values` and how its matches are combined: each text column is searched by the
kind of column it is (places, lists, free text, names, units), then overlapping matches are
resolved. The lookups live in valueindex.py; short and partial names in shortnames.py;
phrases inside titles in titlewords.py.
"""

from __future__ import annotations

import re

from app.tables.canon import short_for, spelled
from app.tables.durations import length_matches
from app.tables.flags import with_flags
from app.tables.headers import SYNONYMS, Tokens, canon, name_key, norm, singular
from app.tables.kindnouns import drop_kind_nouns, header_words
from app.tables.lists import is_list_column, list_words, whole_item
from app.tables.match import Match
from app.tables.namewords import amount_words, outside_title
from app.tables.ops import ROW_WORDS, negated
from app.tables.orgparts import part_matches
from app.tables.partitions import spelled_all
from app.tables.people import with_first_names
from app.tables.placematch import place_matches
from app.tables.shortnames import abbreviated, inner_phrases
from app.tables.titlewords import special, title_phrases
from app.tables.valueindex import STOP, ColumnIndex, all_tokens, indexes, proper
from index.tables import TableInfo


def find_values(question: str, table: TableInfo) -> list[Match]:
    """Every value of the table the question names, longest and best matches first."""
    q = Tokens.of(question)
    found: list[Match] = []
    amounts = amount_words(table)
    heads = header_words(table)  # "expire" names the Expires column, no slip for "Expired"
    for ix in indexes(table):
        found += _column_matches(q, ix, table, amounts, heads)
    found = with_flags(q, table, found + length_matches(q, table))  # "renewals", "12 months"
    found = outside_title(q, table, drop_kind_nouns(q, found, amounts))
    # one name written several ways ('GLTU', 'Great Lakes Tech') is matched in all its spellings
    found = [
        Match(m.column, _qualified(table, m.column, spelled_all(table, m.column, m.values)),
              m.start, m.end, m.score, m.strong)
        if m.op == "in"
        else m
        for m in _resolve(found, q)
    ]  # fmt: skip
    return with_first_names(q, _uncoordinated(q, found))


def _qualified(table: TableInfo, column: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """A state and the same state with a qualifier after it, in a column of a few states:
    'CANCELLED' and 'CANCELLED by 41207' are both cancelled jobs."""
    col = table.column(column)
    if col is None or not col.categorical or len(col.values) > 12:
        return values
    said = {norm(v) for v in values}
    more = tuple(
        v
        for v in col.values
        if v not in values and any(norm(v).startswith(f"{s} by ") for s in said)
    )
    return values + more


def _column_matches(
    q: Tokens, ix: ColumnIndex, table: TableInfo, amounts: frozenset[str], heads: frozenset[str]
) -> list[Match]:
    """The values of one text column the question names, searched as that kind of column."""
    col = ix.column.name
    if ix.places is not None:
        return place_matches(q, col, ix.places)
    if not ix.identifier and is_list_column(ix.column.values):
        return _list_matches(q, ix, table)
    found = list(part_matches(q, ix.column))  # "Dept. of X, Univ. of Y": Y named alone
    if ix.free_text:
        return found + title_phrases(q, ix, table.rows, set(norm(table.title).split()))
    found += _phrase_matches(q, ix, heads)
    if ix.units:
        return found  # a unit is named whole ("GPU-hours"), never by one of its words ("GPU")
    if not ix.identifier:
        found += abbreviated(q, ix) + inner_phrases(q, ix)
        # "BSU", "ChesTech" in the question for a name the table writes out
        found += [
            Match(col, vs, i, i + 1, 90.0, True)
            for i, w in enumerate(q.orig)
            if ix.column.categorical and w.lower() not in ix.tokens
            for vs in [short_for(w, ix.column.values)]
            if vs
        ]
    return found + _word_matches(q, ix, table, amounts, heads)


def _list_matches(q: Tokens, ix: ColumnIndex, table: TableInfo) -> list[Match]:
    """Words of a list column's items: 'LLMs' in 'multilingual LLMs' and in 'LLM fine-tuning;
    evaluation' (the rows whose items hold the word; a loose match, so whole values elsewhere
    win)."""
    common = set(norm(table.title).split())
    out = []
    for words, i, end, strong in list_words(q, ix.column.values, common):
        score = 85.0 if strong and whole_item(words, ix.column.values) else 65.0
        out.append(Match(ix.column.name, (words,), i, end, score, strong, "contains"))
    return out


def _phrase_matches(q: Tokens, ix: ColumnIndex, heads: frozenset[str]) -> list[Match]:
    """Whole values named by a run of question words, as written, in the plural or singular,
    or with a slip that keeps the first letter."""
    from rapidfuzz import fuzz, process

    col = ix.column.name
    found: list[Match] = []
    maxlen = min(8, max(len(k.split()) for k in ix.norms))
    for n in range(1, maxlen + 1):
        for i in range(len(q.low) - n + 1):
            key = name_key(q.phrase(i, n))
            if n == 1 and key in STOP:
                continue
            values = ix.phrases.get(key)
            plural = False
            if not values and not key.isdigit() and (n > 1 or len(key) >= 2):
                values = ix.phrases.get(key + "s")  # "SU" for "SUs", "node hour"
                plural = bool(values)
            if not values and len(key) > 4:
                values = ix.phrases.get(singular(key))  # "companies" for "Company"
            if not values and n == 1 and re.fullmatch(r"[A-Z]{2,}s", q.orig[i]):
                values = ix.phrases.get(key[:-1])  # "SUs" for a unit written "SU"
            if values:
                short = len(key) <= 2
                written = q.orig[i] + "s" * plural
                if short and written not in values:
                    continue  # two-letter values ("OR", "IN") only in their own capitals
                strong = ix.identifier or any(proper(v) for v in values)
                found.append(Match(col, values, i, i + n, 100.0 - plural, strong))
            elif n > 1 and (q.low[i] in STOP or q.low[i + n - 1] in STOP):
                continue  # a near-miss phrase does not start or end on "did", "the" …
            elif len(key) >= 6 and not (ix.identifier or key.isdigit() or key in heads):
                best = process.extractOne(key, ix.norms, scorer=fuzz.ratio, score_cutoff=90)
                if best is not None and best[0][:1] == key[:1]:  # a slip keeps its first letter
                    values = ix.phrases[best[0]]
                    found.append(Match(col, values, i, i + n, float(best[1]) - 5, True))
    return found


def _word_matches(
    q: Tokens, ix: ColumnIndex, table: TableInfo, amounts: frozenset[str], heads: frozenset[str]
) -> list[Match]:
    """Values named by one of their words ('Danube' for 'Danube Medical University'), or a
    word few values share (a loose match)."""
    col = ix.column.name
    found: list[Match] = []
    for i, t in enumerate(q.low):
        if t in STOP or (len(t) < 4 and not q.orig[i].isupper()) or t.isdigit():
            continue  # a bare number is an amount or a year, not a word of a name
        if t in ROW_WORDS or t in amounts:
            continue  # "projects" names the rows, "GPU" of "GPU hours" an amount column
        holders, end = _token_holders(q, i, ix, all_tokens(table) | heads)
        if len(t) < 4:
            # "DE" is not the "de" of "Pieter de Vries": a short word keeps its capitals
            holders = tuple(h for h in holders if q.orig[i] in re.findall(r"\w+", h))
        if not holders:
            continue
        one = len(set(spelled(table, col, holders))) == len(spelled(table, col, holders[:1]))
        if one and len(norm(holders[0]).split()) > 1 and not _is_synonym(t):
            # One word of a longer name names it when written as a name ("Danube"), not
            # as an ordinary lower-case word ("medical" of "Danube Medical University").
            # (several holders that are spellings of one name count as one)
            named = any(ch.isupper() or ch.isdigit() for ch in holders[0]) and (
                not q.orig[i].islower() or special(q.orig[i])
            )
            found.append(Match(col, holders, i, end, 80.0 if named else 60.0, named))
        elif 1 < len(holders) <= 5 and not _is_synonym(t):
            # "Marrowfield University" for addresses at marrowfield.edu: a name written as one
            # names everyone whose e-mail domain holds it
            domain = all("@" in h for h in holders) and not q.orig[i].islower()
            found.append(Match(col, holders, i, end, 80.0 if domain else 60.0, domain))
    return found


def _uncoordinated(q: Tokens, found: list[Match]) -> list[Match]:
    """Drop a loose one-word match joined by 'and'/'or' to a whole value of another column:
    in 'medical and health projects' both words describe one thing, and 'Health' is the value
    the table holds; 'medical' is not a filter on the organisation 'Danube Medical University'.
    """
    whole = [m for m in found if m.score >= 95]

    def joined(a: Match, b: Match) -> bool:
        lo, hi = (a, b) if a.start < b.start else (b, a)
        return q.low[lo.end : hi.start] in (("and",), ("or",))

    return [
        m
        for m in found
        if m.strong
        or m.end - m.start > 1
        or not any(o.column != m.column and joined(m, o) for o in whole)
    ]


def _token_holders(
    q: Tokens, i: int, ix: ColumnIndex, exact: frozenset[str] = frozenset()
) -> tuple[tuple[str, ...], int]:
    """Values holding question token i, also written apart ('Jetstream 2') or misspelt (not
    when the table holds the word as written: 'science' is not a slip for 'eScience')."""
    from rapidfuzz import fuzz, process

    t = canon(q.low[i])
    if i + 1 < len(q.low) and (joined := t + q.low[i + 1]) in ix.tokens:
        return ix.tokens[joined], i + 2
    if t in ix.tokens:
        return ix.tokens[t], i + 1
    if len(t) > 4 and singular(t) in ix.tokens:
        return ix.tokens[singular(t)], i + 1
    if len(t) >= 5 and not t.isdigit() and t not in exact and not everyday(t):
        keys = [k for k in ix.tokens if len(k) >= 5]
        best = process.extractOne(t, keys, scorer=fuzz.ratio, score_cutoff=88)
        if best is not None and best[0][:1] == t[:1]:  # "spending" is no slip for "pending"
            return ix.tokens[best[0]], i + 1
    return (), i + 1


def everyday(word: str) -> bool:
    """A word common in general English is written as meant, never a slip for a near one:
    "compute" does not name "Computer Science". (Misspellings such as "recieve" sit below 3
    on wordfreq's Zipf scale; "compute" is at 3.4.)"""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= 3.0


def _is_synonym(token: str) -> bool:
    """True for words that name columns ('state', 'university'): not values on their own."""
    return token in SYNONYMS


def _resolve(found: list[Match], q: Tokens) -> list[Match]:
    """Keep the best match for each stretch of the question; longer and surer matches win."""
    found.sort(key=lambda m: (-(m.end - m.start), -m.score))
    taken: list[Match] = []
    for m in found:
        clash = [t for t in taken if t.start < m.end and m.start < t.end]
        if not clash:
            taken.append(m)
        elif all(
            t.start == m.start and t.end == m.end and t.score == m.score and t.column != m.column
            for t in clash
        ):
            taken.append(m)  # the same words name values of two columns equally well
    merged: dict[tuple[str, str, bool], Match] = {}
    for m in taken:
        # words searched in a cell stay separate filters (both must be there); values of a
        # column are merged into one filter (any of them)
        # ... and a value the question excludes ('not West Virginia') stays a filter of its own
        key = (
            m.column,
            m.op if m.op != "contains" else f"contains {m.values}",
            negated(q, m.start),
        )
        if key in merged:
            old = merged[key]
            values = tuple(dict.fromkeys(old.values + m.values))
            small, big = sorted((old.values, m.values), key=len)
            if (old.end == m.start or m.end == old.start) and set(small) < set(big):
                values = small  # "Nneka Okafor": side by side, the words of one name narrow it
            merged[key] = Match(
                m.column,
                values,
                min(old.start, m.start),
                max(old.end, m.end),
                max(old.score, m.score),
                old.strong or m.strong,
                m.op,
            )
        else:
            merged[key] = m
    return list(merged.values())
