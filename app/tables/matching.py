"""Find what a question names in a table: cell values (fuzzily), states and countries."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from app.tables.aliases import cloud_names
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
from app.tables.places import PlaceColumn, place_column
from index.tables import ColumnInfo, TableInfo

# Words that never identify a value on their own, whatever the table holds.
_STOP = frozenset({
    "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "by", "with", "from",
    "about", "into", "over", "per", "is", "are", "was", "were", "be", "which", "what", "who",
    "whom", "whose", "how", "many", "much", "did", "does", "do", "has", "have", "had", "any",
    "all", "each", "every", "this", "that", "these", "those", "it", "its", "their", "there",
    "than", "then", "as",
})  # fmt: skip
# Shortenings in institution names ("Univ", "St", "Inst of Tech").
_ABBREVIATIONS = {"u": "university", "st": "state", "cc": "community", "poly": "polytechnic"}


@dataclass(frozen=True)
class _ColumnIndex:
    """Lookup structures for one text column."""

    column: ColumnInfo
    phrases: dict[str, tuple[str, ...]]  # normalised value → original values
    tokens: dict[str, tuple[str, ...]]  # token → values holding it
    norms: tuple[str, ...]
    originals: tuple[str, ...]
    identifier: bool
    free_text: bool
    places: PlaceColumn | None
    units: bool


@lru_cache(maxsize=16)
def _indexes(table: TableInfo) -> tuple[_ColumnIndex, ...]:
    """Build (once per table version) the lookups for every text column."""
    out = []
    for c in table.columns:
        if c.type != "text" or not c.values:
            continue
        phrases: dict[str, list[str]] = defaultdict(list)
        tokens: dict[str, set[str]] = defaultdict(set)
        units = c.name == table.unit_column
        for v in c.values:
            key = name_key(norm(v))  # "Univ. of Kallio", "University of Kallio": one key
            # "Amazon Web Services", "amazon cloud": a public cloud under any of its names
            for k in {key, *(name_key(n) for n in cloud_names(v))} - {""}:
                phrases[k].append(v)
            if units:
                # "cloud credits" for "cloud credits (USD)"; "credits" when no other unit has it
                bare = canon(norm(re.sub(r"\(.*?\)", " ", v)))
                if bare and v not in phrases[bare]:
                    phrases[bare].append(v)
                last = bare.split()[-1] if bare else ""
                heads = [canon(norm(re.sub(r"\(.*?\)", " ", u))).split()[-1:] for u in c.values]
                generic = last in ("hours", "hrs", "units", "hour")  # SUs are hours too
                if len(last) > 2 and heads.count([last]) == 1 and not generic:
                    phrases[last] += [v] * (v not in phrases[last])
            for t in set(key.split()):
                tokens[t].add(v)
        unique = len(c.values) == table.rows and table.rows > 1
        identifier = unique and all(any(ch.isdigit() for ch in v) for v in c.values)
        avg = sum(len(v) for v in c.values) / len(c.values)
        free_text = not c.categorical and not identifier and avg > 25
        out.append(
            _ColumnIndex(
                c,
                {k: tuple(v) for k, v in phrases.items()},
                {k: tuple(sorted(v)) for k, v in tokens.items()},
                tuple(phrases),
                tuple(phrases[k][0] for k in phrases),
                identifier,
                free_text,
                place_column(c.values),
                units,
            )
        )
    return tuple(out)


def _proper(value: str) -> bool:
    """Values written with capitals, digits or several words name something specific."""
    return len(value.split()) > 1 or any(ch.isupper() or ch.isdigit() for ch in value)


def _special(token: str) -> bool:
    """A coined word in a title ('LLMaven', 'Gaudi2', 'Lake-GPT'): worth matching alone."""
    # "GPUs", "APIs": a common acronym's plural is not coined
    return bool(re.search(r"[a-z][A-Z]|[A-Za-z]\d|[A-Z]{3,}(?!s\b)", token))


def find_values(question: str, table: TableInfo) -> list[Match]:
    """Every value of the table the question names, longest and best matches first."""
    from rapidfuzz import fuzz, process

    q = Tokens.of(question)
    found: list[Match] = []
    amounts = amount_words(table)
    heads = header_words(table)  # "expire" names the Expires column, no slip for "Expired"
    for ix in _indexes(table):
        col = ix.column.name
        if ix.places is not None:
            found += place_matches(q, col, ix.places)
            continue
        if not ix.identifier and is_list_column(ix.column.values):
            # "LLMs" in "multilingual LLMs" and in "LLM fine-tuning; evaluation": the rows
            # whose items hold the word (a loose match, so whole values elsewhere win)
            common = set(norm(table.title).split())
            for words, i, end, strong in list_words(q, ix.column.values, common):
                score = 85.0 if strong and whole_item(words, ix.column.values) else 65.0
                found.append(Match(col, (words,), i, end, score, strong, "contains"))
            continue
        found += part_matches(q, ix.column)  # "Dept. of X, Univ. of Y": Y named alone
        if ix.free_text:
            found += _title_phrases(q, ix, table.rows, set(norm(table.title).split()))
            continue
        maxlen = min(8, max(len(k.split()) for k in ix.norms))
        for n in range(1, maxlen + 1):
            for i in range(len(q.low) - n + 1):
                key = name_key(q.phrase(i, n))
                if n == 1 and key in _STOP:
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
                    strong = ix.identifier or any(_proper(v) for v in values)
                    found.append(Match(col, values, i, i + n, 100.0 - plural, strong))
                elif n > 1 and (q.low[i] in _STOP or q.low[i + n - 1] in _STOP):
                    continue  # a near-miss phrase does not start or end on "did", "the" …
                elif len(key) >= 6 and not (ix.identifier or key.isdigit() or key in heads):
                    best = process.extractOne(key, ix.norms, scorer=fuzz.ratio, score_cutoff=90)
                    if best is not None and best[0][:1] == key[:1]:  # a slip keeps its first letter
                        values = ix.phrases[best[0]]
                        found.append(Match(col, values, i, i + n, float(best[1]) - 5, True))
        if ix.units:
            continue  # a unit is named whole ("GPU-hours"), never by one of its words ("GPU")
        if not ix.identifier:
            found += _abbreviated(q, ix) + _inner_phrases(q, ix)
            # "BSU", "ChesTech" in the question for a name the table writes out
            found += [
                Match(col, vs, i, i + 1, 90.0, True)
                for i, w in enumerate(q.orig)
                if ix.column.categorical and w.lower() not in ix.tokens
                for vs in [short_for(w, ix.column.values)]
                if vs
            ]
        for i, t in enumerate(q.low):
            if t in _STOP or (len(t) < 4 and not q.orig[i].isupper()) or t.isdigit():
                continue  # a bare number is an amount or a year, not a word of a name
            if t in ROW_WORDS or t in amounts:
                continue  # "projects" names the rows, "GPU" of "GPU hours" an amount column
            holders, end = _token_holders(q, i, ix, _all_tokens(table) | heads)
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
                    not q.orig[i].islower() or _special(q.orig[i])
                )
                found.append(Match(col, holders, i, end, 80.0 if named else 60.0, named))
            elif 1 < len(holders) <= 5 and not _is_synonym(t):
                found.append(Match(col, holders, i, end, 60.0, False))
    found = with_flags(q, table, found + length_matches(q, table))  # "renewals", "12 months"
    found = outside_title(q, table, drop_kind_nouns(q, found, amounts))
    # one name written several ways ('GLTU', 'Great Lakes Tech') is matched in all its spellings
    found = [
        Match(m.column, spelled_all(table, m.column, m.values), m.start, m.end, m.score, m.strong)
        if m.op == "in"
        else m
        for m in _resolve(found, q)
    ]
    return with_first_names(q, _uncoordinated(q, found))


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


def _inner_phrases(q: Tokens, ix: _ColumnIndex) -> list[Match]:
    """Two or more question words found together inside several values of a category column:
    'AI Factories' names both 'AI Factories Fast Lane' and 'AI Factories Playground'."""
    if not ix.column.categorical or ix.free_text:
        return []
    out = []
    for n in range(min(4, len(q.low)), 1, -1):
        for i in range(len(q.low) - n + 1):
            words = q.low[i : i + n]
            if words[0] in _STOP or words[-1] in _STOP:
                continue
            key = f" {canon(' '.join(words))} "
            held = (o for k, vs in ix.phrases.items() if key in f" {k} " for o in vs)
            hits = list(dict.fromkeys(held))
            if 1 < len(hits) <= 10:
                strong = any(_proper(v) for v in hits)
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
    if len(full) >= 3 and word.startswith(full) and full not in _STOP:
        return True  # the table abbreviates: "Univ" in the cell, "University" in the question
    return len(word) >= 5 and fuzz.ratio(word, full) >= 85


def _abbreviated(q: Tokens, ix: _ColumnIndex) -> list[Match]:
    """Names written short or partly ('Chesapeake Inst of Tech', 'Magnolia St'): two or more
    question words standing, in order, for words of one value, at least one of them distinctive.
    """
    spans: dict[tuple[int, int], list[tuple[float, str]]] = defaultdict(list)
    for key, originals in ix.phrases.items():
        vt = [t for t in key.split() if t not in _STOP]
        if len(vt) < 2:
            continue
        for i in range(len(q.low)):
            if q.low[i] in _STOP:
                continue
            j, v, hits, distinct, end = i, 0, 0, False, i
            while j < len(q.low) and v < len(vt):
                w = q.low[j]
                if w in _STOP and hits:
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


@lru_cache(maxsize=16)
def _all_tokens(table: TableInfo) -> frozenset[str]:
    """Every word of every text value: a word found as written is never also a misspelling."""
    return frozenset(t for ix in _indexes(table) for t in ix.tokens)


def _token_holders(
    q: Tokens, i: int, ix: _ColumnIndex, exact: frozenset[str] = frozenset()
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
    if len(t) >= 5 and not t.isdigit() and t not in exact:
        keys = [k for k in ix.tokens if len(k) >= 5]
        best = process.extractOne(t, keys, scorer=fuzz.ratio, score_cutoff=88)
        if best is not None and best[0][:1] == t[:1]:  # "spending" is no slip for "pending"
            return ix.tokens[best[0]], i + 1
    return (), i + 1


def _is_synonym(token: str) -> bool:
    """True for words that name columns ('state', 'university'): not values on their own."""
    return token in SYNONYMS


def _title_phrases(q: Tokens, ix: _ColumnIndex, rows: int, common: set[str]) -> list[Match]:
    """Phrases of two or more words, or one coined word, found in only a few free-text cells.

    Words of the table's own title ('NAIRR', 'allocations') name the table, not a row.
    """
    out = []
    limit = max(1, min(3, rows // 10))
    for n in (4, 3, 2, 1):
        for i in range(len(q.low) - n + 1):
            words = q.low[i : i + n]
            if words[0] in _STOP or words[-1] in _STOP or set(words) & common:
                continue
            key = " ".join(words)
            pairs = zip(ix.originals, ix.norms, strict=True)
            hits = [v for v, k in pairs if f" {key} " in f" {k} "]
            if not hits or len(hits) > limit:
                continue
            if n == 1 and not any(
                _special(t)
                for h in hits
                for t in re.findall(r"\S+", h)
                if norm(t) == key or norm(t).startswith(key + " ")
            ):
                continue
            out.append(Match(ix.column.name, (key,), i, i + n, 70.0 + n, n == 1, "contains"))
    return out


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
