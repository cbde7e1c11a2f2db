"""Which columns a question names and asks about: groups, counted values, ranked subjects."""

from __future__ import annotations

import re
from collections.abc import Sequence, Set

import app.tables.ops as ops
from app.tables.canon import distinct_things, variants
from app.tables.gate import unit_heads
from app.tables.headers import Tokens, canon, column_label, column_refs, norm
from app.tables.kindnouns import stem_refs
from app.tables.match import Match
from app.tables.roles import measure_like, person_column
from index.tables import ColumnInfo, TableInfo

_ROWS = {"rows", "entries", "grants", "grant", "requests", "proposals"}
_DISTINCT = {"different", "distinct", "unique", "separate"}
# Nouns of amounts in any unit: "how many hours" adds amounts up (per unit), not rows.
_AMOUNTS = {"hours", "hrs", "credits", "dollars", "units", "sus", "su", "tb", "gb", "tokens"}
_MENTION = re.compile(
    r"^(?:mention|mentions|mentioning|contain|contains|containing|titled|called)$"
)


def ranked_subject(q: Tokens, table: TableInfo, ident: str) -> str:
    """The column a ranking ranks: 'which institution …', 'top 3 institutions …',
    'rank resources by …'; '' when rows themselves are ranked."""
    lead = {"which", "what", "whose", "top", "rank", "sort", "order", *ops.NUMBERS}
    for i, t in enumerate(q.low):
        if t in lead or t.isdigit():
            # the next word ("which system"), else the next two ("which access mode")
            for n in (1, 2):
                for r in column_refs(" ".join(q.orig[i + 1 : i + 1 + n]), table):
                    col = table.column(r)
                    if col is not None and col.type == "text" and col.categorical and r != ident:
                        return r
    # "who ran the most jobs": the people a row names are what is ranked
    if q.low[:1] == ("who",):
        people = [c.name for c in table.columns if c.type == "text" and person_column(c.name)]
        if len(people) == 1:
            return people[0]
    return ""


def attribute_column(q: Tokens, table: TableInfo, ident: str) -> str:
    """Any column asked for by 'who/what are the …' or 'which/what …' ('who are the PIs at X')."""
    for i, t in enumerate(q.low):
        if t not in ("which", "what", "whose", "who"):
            continue
        j = i + 1
        while j < len(q.low) and q.low[j] in ("is", "are", "was", "were", "the", "s"):
            j += 1
        for r in column_refs(" ".join(q.orig[j : j + 2]), table):
            if r != ident:
                return r
    return ""


_KINDS = {"kind", "kinds", "type", "types", "sort", "sorts"}


def _past_kind(q: Tokens, i: int) -> int:
    """The index after 'what' and any 'kinds of' / 'types of' ('what kinds of programs')."""
    j = i + 1
    if q.low[j : j + 1] and q.low[j] in _KINDS and q.low[j + 1 : j + 2] == ("of",):
        j += 2
    return j


def asked_column(q: Tokens, table: TableInfo, ident: str) -> str:
    """The text column right after 'which', 'what' or 'whose' ('which institutions …',
    'what kinds of programs …'), or ''."""
    for i, t in enumerate(q.low):
        if t not in ("which", "what", "whose"):
            continue
        j = _past_kind(q, i)
        for r in column_refs(" ".join(q.orig[j : j + 2]), table):
            col = table.column(r)
            if col is not None and col.type == "text" and col.categorical and r != ident:
                return r
    return ""


def distinct_column(q: Tokens, table: TableInfo, noun: str, ident: str) -> str | None:
    """'how many institutions …', 'number of different states': the column whose values count."""
    for i, t in enumerate(q.low):
        if (t, q.low[i + 1] if i + 1 < len(q.low) else "") not in (
            ("how", "many"),
            ("number", "of"),
        ):
            continue
        j = i + 2
        while j < len(q.low) and q.low[j] in _DISTINCT | {"the"}:
            j += 1
        rows = j < len(q.low) and (
            q.low[j] in (noun, noun.rstrip("s")) or q.low[j] in ops.ROW_WORDS
        )
        col = table.column(ident)
        repeats = bool(col and len(col.values) < table.rows)
        if rows and set(q.low[i + 2 : j]) & _DISTINCT and repeats:
            return ident  # "how many different projects": a project renewed is counted once
        # "how many projects" of a "Project" column listing a project once per resource
        said = q.low[j].rstrip("s") if j < len(q.low) else ""
        label = column_label(ident).lower()
        # ("how many awards" of an "Award Number" column where one award has two rows)
        if rows and repeats and said and (said == label.rstrip("s") or said == label.split()[0]):
            return ident
        # "how many projects" where rows are requests: the Project column, counted once each
        other = next(
            (
                c.name
                for c in table.columns
                if rows and said and c.type == "text" and c.name != ident
                and column_label(c.name).lower().rstrip("s") == said and len(c.values) < table.rows
            ),
            None,
        )  # fmt: skip
        if other is not None:
            return other
        if j >= len(q.low) or rows:
            return None
        after = q.low[j + 1] if j + 1 < len(q.low) else ""
        if after in (noun, noun.rstrip("s")) or after in ops.ROW_WORDS:
            return None  # "how many course allocations": a word describing the rows counted
        for r in column_refs(q.orig[j], table):
            col = table.column(r)
            if col is not None and col.type == "text" and r not in (ident, table.unit_column):
                return r
        return None
    return None


def what_names_column(q: Tokens, table: TableInfo, noun: str) -> bool:
    """'what resource …', 'what projects …': a 'what' that asks for a column or for rows."""
    for i, t in enumerate(q.low):
        if t == "what":
            j = _past_kind(q, i)
            nxt = " ".join(q.low[j : j + 2])
            if column_refs(q.low[j] if j < len(q.low) else "", table):
                return True
            if any(w in nxt.split() for w in (noun, noun.rstrip("s"), "projects", "awards")):
                return True
    return False


# Verbs whose "by" names who did it ("held by", "led by"), not a breakdown.
_AGENT_VERBS = frozenset({"held", "led", "owned", "managed", "headed", "hosted", "operated"})


def grouped_columns(q: Tokens, table: TableInfo, matches: Sequence[Match]) -> list[str]:
    """Columns after 'per', 'each', 'every' or 'by' ('awards per resource', 'per CloudBank
    offering': a name several values share stands for their column)."""
    out: list[str] = []
    for i, t in enumerate(q.low):
        if t not in ops.GROUP:
            continue
        if t == "by" and i and q.low[i - 1] in _AGENT_VERBS:
            continue  # "held by institutions in Oregon": who holds them, no group
        # "each of the on-prem clusters": a name several values share, a word or two on
        k = i + 1 + (q.low[i + 1 : i + 3] == ("of", "the")) * 2
        # ... but one person or place in several spellings ("led by Petrova") is no group
        shared = [
            m
            for m in matches
            if m.op == "in"
            and (
                _several(m, table)
                if m.start == i + 1
                else k > i + 1 and m.start in (k, k + 1) and len(m.values) > 1
            )
        ]
        out += [m.column for m in shared if m.column not in out]
        after = q.low[i + 1 : i + 2]
        if (
            "across" in (t, q.low[i - 1] if i else "")
            and after != ("each",)
            and (t != "across" or after in (("all",), ("every",)))
        ):
            continue  # "altogether, across every system": one total over them all
        j = i + 1
        if t == "each" and q.low[j : j + 1] == ("of",):
            j += 2 if q.low[j + 1 : j + 2] == ("the",) else 1  # "each of the GPU systems"
        tail = " ".join(q.low[j : j + 3])
        found: list[str] = []
        for col in column_refs(tail, table):
            info = table.column(col)
            if info is None or info.type != "text" or distinct_things(table, col) == table.rows:
                continue  # "ranked by size" orders; a unique id ("by number of …") never groups
            first = q.low[j] if j < len(q.low) else ""
            label = column_label(col)
            # the header's word, clipped either way ('alloc type'), or its noun one word on
            # ('per fiscal quarter' for 'FY Qtr', 'each of the GPU systems')
            clipped = len(first) >= 4 and first.startswith(label.split()[0][:4])
            named = (
                first
                and (
                    label.startswith(first)
                    or clipped
                    or any(col in column_refs(w, table) for w in q.low[j : j + 2])
                    # "per institution and program": two groups
                    or (
                        q.low[j + 1 : j + 2] == ("and",) and col in column_refs(q.low[j + 2], table)
                    )
                )
            )
            if named and col not in out:
                found.append(col)
        found = _heads(found, q.low[j : j + 3], table)
        # "by institution type" is the Institution Type column, not also Institution
        said = " ".join(q.low[j : j + 4])
        whole = [c for c in found if " " in column_label(c) and f"{column_label(c)}" in said]
        found = whole or found
        # "per institution" groups by the Institution column, not also by a Recipient column
        # a synonym names; with no column named by its own word, the first one named
        own = [c for c in found if _own_word(c, q.low[j : j + 3])]
        out += own or found[:1]
    return out[:2]


def _own_word(col: str, words: tuple[str, ...]) -> bool:
    """One of the words is the column's own header word (or its plural or full spelling)."""
    label = set(column_label(col).split()) | set(canon(column_label(col)).split())
    return any(w in label or w.rstrip("s") in label or canon(w) in label for w in words)


def count_column(refs: Sequence[str], table: TableInfo, ident: str) -> str | None:
    """The column whose values are counted for 'which resource has the most awards'."""
    for r in refs:
        c = table.column(r)
        if c is not None and c.type == "text" and c.categorical and r != ident:
            return r
    return None


def mentioned(q: Tokens, table: TableInfo) -> list[Match]:
    """'awards that mention transformers', 'with diffusion models in the title': words searched
    for in the free-text column (the title), however many rows hold them."""
    out: list[Match] = []
    for i, t in enumerate(q.low):
        if _MENTION.match(t) and i + 1 < len(q.low):
            spans = [(i + 1, i + 1 + n) for n in (3, 2, 1)]  # the longest phrase found wins
        elif q.low[i + 1 : i + 4] in (("in", "the", "title"), ("in", "their", "titles")):
            spans = [(i + 1 - n, i + 1) for n in (3, 2, 1) if i + 1 - n >= 0]
        else:
            continue
        for c in table.columns:
            if c.type != "text" or c.categorical or any(m.column == c.name for m in out):
                continue
            texts = [f" {norm(v)}" for v in c.values]
            for lo, hi in spans:
                words = [w for w in q.low[lo:hi] if w]
                if not words or words[0] in ("the", "a", "an") or words[-1] in ("the", "a"):
                    continue
                phrase = _mention_phrase(words, texts)
                if phrase:
                    out.append(Match(c.name, (phrase,), lo, hi, 75.0, True, "contains"))
                    break
    return out


def _mention_phrase(words: list[str], texts: list[str]) -> str:
    """The words as searched: the singular when a cell holds it as a word ('transformers'
    finds 'transformer'), else as written when found ('catalysis' is no plural), else ''."""
    last = words[-1]
    stripped = (
        last[:-1] if len(last) > 3 and last.endswith("s") and not last.endswith("ss") else last
    )
    single = " ".join([*words[:-1], stripped])
    written = " ".join(words)
    if any(f" {single} " in f"{v} " for v in texts):
        return single
    if any(f" {written}" in v for v in texts):
        return written
    return single if any(f" {single}" in v for v in texts) else ""


def counts_things(table: TableInfo, name: str | None) -> bool:
    """A whole-number column with no unit: a count of things ('First-Time PIs', 'Awards')."""
    col = table.column(name) if name else None
    return col is not None and col.type == "integer" and not col.unit


def per_row_count(noun: str, table: TableInfo) -> str | None:
    """A whole-number column counting the noun on each row ('Awards', 'No. of awards'), or
    None: a summary row stands for several awards."""
    for c in table.columns:
        label = re.sub(r"^(?:no|number|count|num)\s+of\s+|^#\s*", "", column_label(c.name))
        if c.type == "integer" and not c.unit and label in (noun, noun.rstrip("s") + "s"):
            return c.name
    return None


def counts_measure(q: Tokens, inside: Set[int], table: TableInfo, units: Sequence[Match]) -> bool:
    """'how many SUs / GPU hours / credits': the words after 'how many' name the amount."""
    for i in range(len(q.low) - 1):
        if q.low[i : i + 2] != ("how", "many"):
            continue
        after = range(i + 2, min(i + 5, len(q.low)))
        if i + 2 < len(q.low) and q.low[i + 2] in ops.ROW_WORDS | _ROWS:
            # "how many allocations": rows, even where a column is named so; but a column
            # that counts them per row ("Awards: 4" in a summary by institution) adds up
            return per_row_count(q.low[i + 2], table) is not None
        if any(m.start in after for m in units) or q.low[min(i + 2, len(q.low) - 1)] in _AMOUNTS:
            return True
        # "how many Talus hours": a unit of the Unit column ("GPU hrs") after a named value
        heads = unit_heads(table) if table.unit_column else set()
        if any(q.low[j] in heads for j in after if j not in inside and q.low[j] != "time"):
            return True
        tail = " ".join(q.orig[j] for j in after if j not in inside)
        if tail and any(measure_like(table.column(r)) for r in column_refs(tail, table)):
            head = column_refs(q.orig[i + 2], table)
            return not head or any(measure_like(table.column(r)) for r in head)
    return False


def named_measure(
    refs: Sequence[str], table: TableInfo, year_col: str, q: Tokens | None = None
) -> str | None:
    """The first amount column the question names; a share column ('% Used') only when the
    question asks for a share: 'GPU-hours used' adds hours, never percentages."""
    asks_share = q is not None and bool(set(q.low) & _SHARE_WORDS or "%" in " ".join(q.low))
    return next(
        (
            r
            for r in refs
            if r != year_col
            and measure_like(table.column(r))
            and (asks_share or q is None or not is_share(table.column(r)))
        ),
        None,
    )


_SHARE_WORDS = frozenset({"percent", "percentage", "share", "fraction", "proportion", "pct"})


def is_share(col: ColumnInfo | None) -> bool:
    """A column of percentages: its unit is '%' or its header says so ('% Used', 'Pct used')."""
    if col is None:
        return False
    return col.unit == "%" or bool(re.search(r"%|\bpe?r?ce?nt|\bpct\b", col.name, re.I))


def outside_headers(q: Tokens, matches: list[Match], table: TableInfo) -> list[Match]:
    """Drop loose matches inside a header the question quotes: 'science' of 'field of science'
    names the column, not the value 'Computer Science'; 'institutes' names the column
    'Institute', not the value 'Norrby Health Institute'."""
    spans = [(i, i + 1) for i, w in enumerate(q.orig) if column_refs(w, table)]
    for c in table.columns:
        label = column_label(c.name).split()
        n = len(label)
        if n > 1:
            spans += [
                (i, i + n) for i in range(len(q.low) - n + 1) if list(q.low[i : i + n]) == label
            ]
    return [
        m
        for m in matches
        if m.score >= 100 or not any(a <= m.start and m.end <= b for a, b in spans)
    ]


_NONE = {"no", "without", "missing", "lacking", "lacks", "lack", "blank", "empty"}
_BLANK = {"blank", "empty", "missing", "unknown"}


def _heads(found: list[str], words: tuple[str, ...], table: TableInfo) -> list[str]:
    """'by allocation type': of two columns named by adjacent words, the second word is the
    head noun and the first only qualifies it, so the group is Type, not also Allocation #."""
    at = {c: next((k for k, w in enumerate(words) if c in column_refs(w, table)), -1)
          for c in found}  # fmt: skip
    return [c for c in found if not any(at[c] >= 0 and at[d] == at[c] + 1 for d in found)]


def blank_columns(q: Tokens, table: TableInfo) -> list[tuple[str, int, int]]:
    """'which projects have no end date', 'awards without a partition', 'where the PI is
    blank': (column, first token, end token) of each column whose cells must be empty."""
    out: list[tuple[str, int, int]] = []
    for i, t in enumerate(q.low):
        if t in _NONE:  # "no end date", "without a partition"
            j = i + 1 + (q.low[i + 1 : i + 2] in (("a",), ("an",), ("any",), ("the",)))
            spans = [(j, j + n) for n in (3, 2, 1) if j + n <= len(q.low)]
        elif t in ("is", "are") and q.low[i + 1 : i + 2] and q.low[i + 1] in _BLANK:
            spans = [(i - n, i) for n in (3, 2, 1) if i - n >= 0]  # "the PI is blank"
        else:
            continue
        for lo, hi in spans:
            col = _best_ref(q, lo, hi, table)
            if t in _NONE and counts_things(table, col):
                break  # "no first-time PIs" of a count column is a count of 0 (ops.bounds)
            if col and col not in [c for c, _, _ in out]:
                out.append((col, min(lo, i), max(hi, i + 2 if t in ("is", "are") else hi)))
                break
    return out


def _best_ref(q: Tokens, lo: int, hi: int, table: TableInfo) -> str:
    """The column the words name, the one sharing most words with its header first."""
    words = set(q.low[lo:hi])
    refs = column_refs(" ".join(q.orig[lo:hi]), table) or stem_refs(words, table)
    scored = [(len(words & set(column_label(r).split())), r) for r in refs]
    return max(scored)[1] if scored else ""


def _several(m: Match, table: TableInfo) -> bool:
    """The match names several things, not one thing in several spellings."""
    groups = variants(table, m.column)
    return len({groups.get(v, (v,)) for v in m.values}) > 1
