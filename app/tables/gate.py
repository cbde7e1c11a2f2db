"""Whether a question asks the table at all: what no column holds goes to the passages."""

from __future__ import annotations

import re
from collections.abc import Set
from functools import lru_cache

import app.tables.ops as ops
from app.tables.headers import Tokens, canon, column_label, column_refs, norm
from app.tables.people import HONORIFICS
from app.tables.roles import row_noun
from index.tables import TableInfo

# Words asking how much of an award is spent; an awards table answers them only with a column.
_CONSUMED = re.compile(r" (used so far|spent|consumed|remaining|left over|usage|balance|burned) ")
# A column that records how much of an award is spent: questions about spending it ask it.
_USAGE = re.compile(r"\b(?:used|usage|spent|consumed|burn\w*|remaining|balance|utili[sz]\w*)\b")
_ATTRIBUTE = re.compile(
    r" (?:what|who|which|when) (?:is|was|are|were) the ((?:\w+ ){1,4}?)(?:of|on|for|in|at|behind) "
)
# "what partitions does MeluXina have": what a thing has or offers now, which prose describes;
# the table only shows what was awarded ("what awards does X have" asks rows, and passes).
_HAS = re.compile(
    r" (?:what|which) ((?:\w+ ){1,3})(?:does|do) (?:\w+ ){1,4}?(?:have|offer|provide|support|"
    r"include|contain|run|host) "
)
# "which countries host AI Factories": a standing fact about things, not a record of awards
_STANDING = re.compile(
    r" (?:what|which) (?:\w+ ){1,2}(?:host|hosts|run|runs|operate|operates|offer|offers|"
    r"provide|provides|support|supports|own|owns|manage|manages|house|houses) "
)
# "how many GPU hours does a Playground project get": what one award is given, a rule
_ONE_ROW = re.compile(
    r" (?:does|do|will|would) (?:a|an|one|each|every) ((?:\w+ ){1,4}?)(?:get|"
    r"receive|have|include|come with|last|cost) "
)
# "what does a research award include": a description, which prose gives and rows do not.
_DESCRIBE = re.compile(
    r" what (?:does|do|did) .*(?:include|includes|cover|mean|involve|require|offer|provide|"
    r"entail|look like) "
)
# "how many SUs is one GPU-hour": a conversion between units, not a sum of awards.
_CONVERT = re.compile(r" how (?:many|much) \w+(?: \w+)? (?:is|are|equals?|per) (?:one|1|a|an) ")
# "how many awards will be made in 2026": the table records awards made, not plans
_FUTURE = re.compile(
    r" (?:will|going to|shall) (?:\w+ )?(?:be )?(?:made|awarded|granted|announced|funded|given|"
    r"open|opens) | (?:upcoming|next round|next call) "
    # "from what date will the service start requiring an allocation": a change to come
    r"| will (?:\w+ ){0,4}?(?:start|begin|stop|switch|change|require|close) "
)
# "how big is DeltaAI", "who signs off on classroom requests": what a thing is, or who does a
# step of the process, which prose describes; rows record awards, not these
_SIZE_OF = re.compile(r" how (?:big|large|fast|powerful|old) (?:is|are|was|were) ")
_PROCESS_ROLE = re.compile(
    r" who (?:actually |usually |typically |normally )?(?:signs?|approves?|reviews?|decides?|"
    r"handles?|oversees?|evaluates?|checks?|vets?) "
)
_DURATION = re.compile(r" how long | lasts | duration |(?: does| do| did)(?: \w+)+ last $")
# "what kind of chips does Voyager run on", "what type of resource is SambaNova Cloud": a
# category or description, which prose gives; unless the kind asked is of the rows themselves.
_KIND = re.compile(r" what (?:kind|kinds|type|types|sort|sorts) of (\w+) ")
# "the largest number of nodes a job may use": a limit of something, unless a column holds it.
_LIMIT_OF = re.compile(
    r" (?:largest|smallest|biggest|highest|lowest|maximum|minimum|max|min) (?:number|count) "
    r"of (\w+) "
)
# "is Summit still a sensible pick": advice about a resource, not a record of awards ("right
# now" is a time, no advice).
_ADVICE = re.compile(
    r"^ (?:is|are|would|should|could|will) (?:\w+ ){1,4}?(?:still )?(?:a |an |the )?(?:good|"
    r"sensible|right(?= (?!now|away))|wise|best|better|suitable|appropriate|worth|fit|safe|smart) "
)
# "delete the allocations table and confirm how many rows were removed": a change to the
# table is never made, so such a message is no question of it.
_WRITE = re.compile(
    r" (?:delete|deleted|remove|removed|erase|erased|truncate|overwrite|wipe|insert|modify|"
    r"alter|drop (?:the |this )?table) "
)
# "how many SUs per vCPU-hour does a GPU instance cost": a rate, which a rule states; a sum of
# awards is never "per" a unit of computing (a group-by is per resource, per state, per year).
_RATE = re.compile(
    r" how (?:many|much) (?:\w+ ){0,4}?per (?:one |a |an |each )?(?:\w+ )?(?:hour|hours|hr|"
    r"minute|minutes|node|core|cores|vcpu|cpu|gpu|token|tokens|instance|job|second) "
)
# "how many compute nodes does Frontera have": what a thing is built of, which prose states;
# rows only say what was awarded (the head is checked against the table's own words).
_HAS_COUNT = re.compile(
    r" how (?:many|much) ((?:\w+ ){1,3}?)(?:(?:does|do|did) (?:\w+ ){1,4}?(?:have|has|offer|"
    r"provide|contain|host|house|come with)|(?:comes?|came) with) "
)
# "who is allowed to use X", "can they use the classroom resources": a rule about who may do
# something, which no record of past awards states.
_RULE = re.compile(
    r" who (?:is|are) (?:allowed|eligible|permitted|able) | who (?:can|may) | (?:can|may|could) "
    r"(?:i|we|they|he|she|my|our|students|someone|anyone) (?:\w+ )?(?:use|apply|request|ask|"
    r"get|join|access|submit) "
)
# "when was Summit retired": a "when" asks a date column only about an event the rows record
# (an award made, approved, started, ended) or one a date column names.
_WHEN = re.compile(r"(?:^| )when (?:\w+ ){1,8}?(?=(?:and|also|what|which|who|how|or)\b|$)")
_EVENTS = frozenset({
    "award", "awarded", "allocation", "allocated", "grant", "granted", "approve", "approved",
    "approval", "start", "started", "starts", "begin", "began", "begins", "end", "ended", "ends",
    "expire", "expired", "expires", "expiry", "finish", "finished", "close", "closed", "open",
    "opened", "submit", "submitted", "receive", "received", "fund", "funded", "made", "given",
    "decided", "decision", "run", "ran", "last", "latest", "first", "earliest", "recent",
})  # fmt: skip
# "which universities did not get …": the rows a set difference needs are not in one filter.
ABSENT = re.compile(r" (didn t|did not|never|haven t|hasn t|has not|have not) ")


def asks_elsewhere(q: Tokens, nq: str, inside: Set[int], table: TableInfo) -> bool:
    """The question asks for something no column holds: 'who is the principal investigator
    on X', 'how many hours has X used so far' (a table of awards records no usage)."""
    headers = " ".join(column_label(c.name) for c in table.columns)
    used = _CONSUMED.search(nq)
    if used and used.group(1).split()[0] not in headers and not _USAGE.search(headers):
        return True
    if _WRITE.search(nq):
        return True
    if _DESCRIBE.search(nq) or _CONVERT.search(nq) or _FUTURE.search(nq) or _ADVICE.search(nq):
        return True
    noun = row_noun(table)
    rows = {noun, noun.rstrip("s")} | ops.ROW_WORDS
    if _RATE.search(nq) and " per " not in f" {headers} ":
        return True
    if _RULE.search(nq) or _PROCESS_ROLE.search(nq):
        return True
    size = _SIZE_OF.search(nq)
    if size and not set(nq[size.end() :].split()[:3]) & rows:
        return True
    count = _HAS_COUNT.search(nq)
    if count and not _holds_count(count.group(1), rows, table):
        return True
    when = _WHEN.search(nq)
    if when and _undated_event(when.group(0).split()[1:], q, inside, table):
        return True
    has = _HAS.search(nq)
    if has and not set(has.group(1).split()) & rows:
        return True
    if _STANDING.search(nq) and not set(q.low) & rows:
        return True
    one = _ONE_ROW.search(nq)
    # "how many dollars does a winning team receive": what one award gives, a rule
    recipients = {"team", "group", "lab", "applicant", "winner", "pi", "user", "researcher"}
    if one and set(one.group(1).split()) & (
        rows | {"project", "award", "allocation", "grant"} | recipients
    ):
        return True
    kind = _KIND.search(nq)
    if kind and kind.group(1) not in rows and (inside or not column_refs(kind.group(1), table)):
        return True  # "what kinds of programs are there" (nothing named) lists a column
    limit = _LIMIT_OF.search(nq)
    if limit and limit.group(1) not in rows and limit.group(1) not in headers.split():
        return True
    if _DURATION.search(nq) and not re.search(r"duration|length|months|weeks|days", headers):
        return True  # "how long does a startup last": a rule, unless a column holds lengths
    m = _ATTRIBUTE.search(nq)
    if m is None:
        return False
    start = len(nq[: m.start(1)].split())
    known = rows | {"number", "count", "sum"} | ops.ASKS
    known |= ops.DESC | ops.ASC | set(ops.NUMBERS) | ops.GROUP | {"all", "a", "an", "the", "and"}
    known |= {w for c in table.columns for w in column_label(c.name).split()}  # "principal"
    known |= {"latest", "last", "newest", "earliest", "oldest", "first", "recent", "most"}
    for i in range(start, start + len(m.group(1).split())):
        w = q.low[i]
        if w in _PHRASE_END or (len(w) > 4 and w.endswith(("ed", "ing"))):
            break  # "the smallest award given in …": the noun phrase has ended
        if i in inside or w in known or w in ops.ORDINALS or w.isdigit():
            continue
        if column_refs(q.orig[i], table):
            continue
        return True
    return False


@lru_cache(maxsize=16)  # read several times for every question: once per table is enough
def unit_heads(table: TableInfo) -> frozenset[str]:
    """The table's units by whole name and head word ('gpu hours', 'hours', 'sus'), with
    their other names ('dollars' for USD); never a unit's first word ('gpu', 'node')."""
    units = {
        w
        for c in table.columns
        for text in ([c.unit] if c.numeric else list(c.values) * (c.name == table.unit_column))
        for w in _unit_heads(canon(norm(text)))
    }
    return frozenset(units | {w for u in list(units) for w in _UNIT_NAMES.get(u, ())})


def _holds_count(head: str, rows: set[str], table: TableInfo) -> bool:
    """'how many <head> does X have': rows, a column, or a unit the table counts in ('GPU
    hours', 'hours', 'SUs'); 'compute nodes' is no part of 'node hours'."""
    units = unit_heads(table)
    words = head.split()
    return any(
        w in rows or column_refs(w, table) or w in units or w.rstrip("s") in units for w in words
    ) or any(u in head for u in units if " " in u)


def _unit_heads(unit: str) -> set[str]:
    """A unit's whole name and its last word: 'GPU-hours' → {'gpu hours', 'hours'}."""
    words = column_label(unit.replace("(", " ").replace(")", " ")).split()
    return {" ".join(words), words[-1]} if words else set()


def _undated_event(words: list[str], q: Tokens, inside: Set[int], table: TableInfo) -> bool:
    """A 'when' clause names no event the rows record: no award word, no date column's word,
    no matched value of a row beyond the thing it is about ('when was Summit retired')."""
    dated = {w for c in table.columns if c.type == "date" for w in column_label(c.name).split()}
    noun = row_noun(table)
    known = _EVENTS | dated | ops.ROW_WORDS | {noun, noun.rstrip("s")}
    return not any(w in known or w.rstrip("s") in known for w in words)


_MONTH_PREFIXES = frozenset(
    {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)


# Words that end the noun phrase after 'what', 'which' or 'how many': verbs, auxiliaries,
# prepositions and joiners (general English; a word ending in -ed or -ing ends it too).
_PHRASE_END = frozenset({
    "is", "are", "was", "were", "be", "been", "do", "does", "did", "has", "have", "had", "will",
    "would", "can", "could", "should", "may", "might", "must", "shall", "got", "get", "gets",
    "went", "go", "goes", "gone", "given", "give", "gives", "gave", "run", "runs", "ran",
    "began", "begin", "begins", "begun", "start", "starts", "end", "ends", "use", "uses", "hold",
    "holds", "held", "come", "comes", "came", "take", "takes", "took", "taken", "make", "makes",
    "made", "include", "includes", "need", "needs", "appear", "appears", "cover", "covers",
    "spend", "spent", "pay", "paid", "won", "in", "on", "at", "for", "from", "to", "of", "by",
    "with", "without", "than", "that", "which", "who", "whose", "and", "or", "but", "as",
    "per", "s", "there", "this", "these", "those", "it", "they", "we", "you", "i", "about",
    "into", "over", "under", "across", "between", "during", "since", "before", "after",
    "within", "among", "like", "else", "not", "anyone", "anybody", "someone", "somebody",
    "everyone",
})  # fmt: skip
_KINDS = frozenset({"kind", "kinds", "type", "types", "sort", "sorts"})
_SKIP = frozenset({"the", "a", "an", "top", "most", "least", "different", "distinct", "total"})
_SKIP |= {"recently", "recent"}  # "what's the most recently approved allocation"
# Heads any table of rows answers: 'what number', 'which ones', 'which year'.
_GENERIC_HEADS = frozenset({
    "number", "amount", "total", "sum", "average", "count", "one", "ones", "share", "year",
    "years", "month", "months", "quarter", "quarters", "rows", "row", "entries", "entry",
    "recipients", "recipient", "teams", "team", "groups", "group", "people", "researchers",
    "scientists", "times", "users", "applicants", "winners", "records", "value", "values",
    "worth", "grants", "grant",
})  # fmt: skip
# Other names of units a table may write short: "how many dollars" for a USD column.
_UNIT_NAMES = {
    "usd": {"dollars", "dollar", "credits", "credit"}, "eur": {"euros", "euro"}, "gbp": {"pounds"},
    "tb": {"terabytes", "terabyte"}, "gb": {"gigabytes", "gigabyte"},
    "hours": {"hours", "hour", "hrs", "hr", "time"},  # "Basalt time" is its hours
}  # fmt: skip


def table_units(table: TableInfo) -> set[str]:
    """The words of the table's units, with their other names ('dollars' for USD)."""
    units = {
        w
        for c in table.columns
        for text in ([c.unit] if c.numeric else list(c.values) * (c.name == table.unit_column))
        for w in column_label(text.replace("(", " ").replace(")", " ")).split()
    }
    units |= {w for u in list(units) for w in _UNIT_NAMES.get(u, ())}
    units |= {w for u in unit_heads(table) for w in u.split()}  # "GPU-h" is GPU hours
    if any(w.startswith("hour") or w in ("hrs", "hr") for w in units):
        units |= _UNIT_NAMES["hours"]
    return units


def unknown_head(q: Tokens, strong: set[int], table: TableInfo) -> str:
    """The noun a 'what/which/how many …' question asks for, when the table holds nothing
    of that name: 'how many terabytes of storage', 'what storage quota', 'which summit'
    ('Summit' as a loose lower-case word of a value is not a name). '' otherwise."""
    units = table_units(table)
    for i, t in enumerate(q.low):
        many = t == "how" and q.low[i + 1 : i + 2] == ("many",)
        if t not in ("what", "which") and not many:
            continue
        j = i + 1 + many
        if j + 1 < len(q.low) and q.low[j] in ("s", "is", "are", "was", "were"):
            j += 1 if q.low[j + 1] in ("the", "a", "an") else len(q.low)
        if q.low[j : j + 1] and q.low[j] in _KINDS and q.low[j + 1 : j + 2] == ("of",):
            j += 2  # "what kinds of programs": the head is what follows
        while j < len(q.low) and (
            q.low[j] in _SKIP or q.low[j] in ops.DESC | ops.ASC or q.low[j] in ops.ORDINALS
        ):
            j += 1
        while j < len(q.low) and (q.low[j] in ops.NUMBERS or q.low[j].isdigit()):
            j += 1
        head, known, first = -1, False, j
        while j < len(q.low) and j - first < 5:
            w = q.low[j]
            if w in _PHRASE_END or (len(w) > 4 and w.endswith(("ed", "ing"))):
                break
            head, j = j, j + 1
            known = j - 1 in strong or _known(w, q.orig[j - 1], units, table)
            if known and w.endswith("s") and (len(w) > 3 or w in units):
                break  # "awards mention …", "SUs sit in …": a plural the table knows
        if head >= 0 and not known:
            return q.low[head]
    return ""


def _known(word: str, written: str, units: set[str], table: TableInfo) -> bool:
    """A head noun the table answers: its rows (even misspelt), a column, a unit."""
    from rapidfuzz import fuzz

    noun = row_noun(table)
    rows = {noun, noun.rstrip("s")} | ops.ROW_WORDS | _GENERIC_HEADS
    if word in rows or word in units or column_refs(written, table):
        return True
    if len(word) >= 5 and any(
        w[:5] == word[:5] for c in table.columns if c.numeric for w in norm(c.name).split()
    ):
        return True  # "the total SU charge" of a "Charged" column: the header's word
    if word in ("percentage", "percent", "proportion", "fraction") and any(
        c.unit == "%" for c in table.columns
    ):
        return True  # "what percentage … used" of a "% Used" column
    if word in norm(table.title).split():
        return True  # "how many classroom and training awards" of a classroom training roster
    return len(word) >= 5 and any(fuzz.ratio(word, r) >= 85 for r in rows)  # "awrds"


def names_table(q: Tokens, table: TableInfo) -> bool:
    """'in the ledger', 'this log': the question points at the table by its title's head noun
    (a word for rows, 'allocations', is no pointer: prose uses it too)."""
    if _rows_document(q, table):
        return True
    words = norm(re.sub(r"\(.*?\)", " ", table.title)).split()
    # "in the summary" of a "… Quarterly Allocation Summary by Institution, Q3 2024 to …":
    # a word for a document that the title uses, pointed at
    kinds = _DOCUMENT_KINDS & set(words)
    if any(
        w in kinds and i and q.low[i - 1] in ("the", "this", "that", "your")
        for i, w in enumerate(q.low)
    ):
        return True
    while words and (words[-1].isdigit() or words[-1][:3] in _MONTH_PREFIXES):
        words = words[:-1]  # "… Roster, 2025-11-14", "… Report, March 2026": the date ends it
    head = words[-1] if words else ""
    if not head or head in ops.ROW_WORDS or head.rstrip("s") == row_noun(table).rstrip("s"):
        return False
    # "the log", "the review log": up to two of the title's own words may stand between
    own = set(words)
    pointers = ("the", "this", "that", "your")
    for i, w in enumerate(q.low):
        if w != head:
            continue
        j = i - 1
        while j >= 0 and i - j <= 3 and q.low[j] in own and q.low[j] not in pointers:
            j -= 1
        if j >= 0 and i - j <= 3 and q.low[j] in pointers:
            return True
    return False


# Words for a kind of document a table's title may use.
# Words for a document of rows: "the awards sheet", "this grants spreadsheet".
_DOCUMENTS = frozenset({"sheet", "spreadsheet", "export", "table", "ledger", "register"})
# … and the other kinds of document a table's title may call itself ("in the summary").
_DOCUMENT_KINDS = _DOCUMENTS | {"summary", "report", "roster", "log", "list", "tracker",
                                "inventory", "listing"}  # fmt: skip


def _rows_document(q: Tokens, table: TableInfo) -> bool:
    """'the awards sheet': the table's rows named as a document ('the award rules' is none)."""
    noun = row_noun(table).rstrip("s")
    return any(
        w in _DOCUMENTS
        and q.low[i - 1].rstrip("s") in (noun, *(r.rstrip("s") for r in ops.ROW_WORDS))
        and q.low[i - 2] in ("the", "this", "that", "your", "our")
        for i, w in enumerate(q.low)
        if i >= 2
    )


def names_something_else(
    q: Tokens, inside: Set[int], table: TableInfo, starts: frozenset[int] = frozenset()
) -> bool:
    """The question names a thing (a capitalised name or acronym) the table does not hold.

    "How many credits does the Zephyrine allocation grant?" asks about Zephyrine; if no row,
    column or title mentions it, the answer is in the passages, not in this table.
    """
    known = " ".join(
        [
            table.title,
            *(c.name for c in table.columns),
            *(v for c in table.columns for v in c.values),
        ]
    ).lower()
    for i, tok in enumerate(q.orig):
        if i == 0 or i in starts or i in inside or not tok[:1].isupper() or len(tok) < 3:
            continue
        if tok.lower()[:3] in _MONTH_PREFIXES or tok.lower() in HONORIFICS:
            continue  # dates are matched separately; "Prof." names the person after it
        if tok.lower() not in known and not column_refs(tok, table):  # "PIs" names a column
            if tok.lower() in _ORG_WORDS and i and q.orig[i - 1].lower() in known:
                continue  # "Marrowfield University" where the table writes "marrowfield.edu"
            return True
    return False


# The generic word of an organisation's name, after the name the table holds.
_ORG_WORDS = frozenset(
    {"university", "college", "institute", "school", "center", "centre", "laboratory", "lab"}
)
