"""Column roles read from a table's types, values and headers, never from one table's names."""

from __future__ import annotations

import re

from app.tables.headers import SYNONYMS, column_label, norm
from index.tables import ColumnInfo, TableInfo
from ingest.headers import CAMEL_ID

# Words naming one record of a table of awards or requests (general vocabulary of such tables).
_RECORD_WORDS = frozenset(
    {"award", "allocation", "grant", "project", "request", "proposal", "application"}
)


_ID_WORDS = ("id", "no", "number", "code")


def row_noun(table: TableInfo) -> str:
    """What a row is called: the title's last plural word ('allocations'), else 'rows'."""
    words = norm(re.sub(r"\(.*?\)", "", table.title)).split()
    # "Cloud Credits Award Log": a word for a record ('award') names the rows, never a unit
    # ('credits') the title also mentions; the last such word wins, as the head noun does.
    records = [w.rstrip("s") + "s" for w in words if w.rstrip("s") in _RECORD_WORDS]
    if records:
        return records[-1]
    # a unit the cells are counted in ('credits', 'hours') is never what a row is
    units = {w for c in table.columns if c.numeric for w in norm(c.unit).split()}
    unit_col = table.column(table.unit_column) if table.unit_column else None
    units |= {w for v in (unit_col.values if unit_col else ()) for w in norm(v).split()}
    plural = [
        w
        for w in words
        if w.endswith("s") and len(w) > 3 and not w.endswith("ss") and w not in units
    ]
    if plural:
        return plural[-1]  # "Compute Allocations Awarded" → allocations
    # "JobID", "Request No.": what the row's identifier names ("jobs"), else plain "rows"
    named = [w for w in norm(_spaced(identifier(table))).split() if w not in _ID_WORDS]
    return f"{named[0].rstrip('s')}s" if len(named) == 1 and named[0].isalpha() else "rows"


def row_key(table: TableInfo) -> str:
    """The column that says what each row is: its code column, else a first column of
    near-distinct names ('Course' of a roster where a course runs again in a later term)."""
    ident = identifier(table)
    if ident:
        return ident
    first = table.columns[0] if table.columns else None
    near = first is not None and first.type == "text" and len(first.values) >= 0.5 * table.rows
    return first.name if near and first is not None and table.rows > 1 else ""


# Headers of a number that orders or places a row rather than measuring it ("Section 2").
_PLACE_HEADS = re.compile(
    r"(^|_|\s)(id|year|no|number|section|sec|part|seq|sequence|round|phase|rank|priority|"
    r"version|level|tier|cohort|week)$",
    re.I,
)
# Words of a header holding what a row was given: the amount a unit column speaks for.
_GIVEN_HEADS = re.compile(r"\b(award|awarded|amount|allocated|allocation|granted|total)\b", re.I)


# "JobID", "ProjectId": an identifier written in camel case; "NNodes", "NGPUS": a count of
# things a row used, written as scheduler exports do
_CAMEL_ID = re.compile(CAMEL_ID + r"|^N[A-Z][A-Za-z]*$")


def _spaced(header: str) -> str:
    """A camel-case header as words: "ChargeUnit" → "Charge Unit", "JobID" → "Job ID"."""
    return re.sub(r"([a-z])([A-Z])", r"\1 \2", header)


def _shares_stem(name: str, unit_column: str) -> bool:
    """Whether a header and the unit column's header share a word's stem, 'unit' aside."""
    if not unit_column:
        return False

    def stems(header: str) -> set[str]:
        words = re.findall(r"[a-z]{4,}", _spaced(header).lower())
        return {w[:5] for w in words if not w.startswith("unit")}

    return bool(stems(unit_column) & stems(name))


def default_measure(table: TableInfo) -> str | None:
    """The numeric column a row's amount is in: not an id, a year, a section, a count of
    people or a per-person rate; a header of what was given wins ('Awarded')."""
    cols = [
        c
        for c in table.columns
        if c.numeric
        and not _PLACE_HEADS.search(c.name)
        and not _CAMEL_ID.search(c.name)
        and not counts_people(c)
        and not column_label(c.name).startswith("per ")
    ]
    given = [c for c in cols if _GIVEN_HEADS.search(column_label(c.name))]
    # a unit column speaks for the amount its header names ("ChargeUnit" for "Charged")
    spoken = [c for c in cols if _shares_stem(c.name, table.unit_column)]
    if spoken or given or cols:
        return (spoken or given or cols)[0].name
    # only counts: keep the first that is not an id or a year, as before
    for c in table.columns:
        if c.numeric and not re.search(r"(^|_|\s)(id|year|no|number)$", c.name, re.I):
            return c.name
    return None


_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}|\b\d{1,2}:\d{2}\b")


def identifier(table: TableInfo) -> str:
    """The column of codes with digits naming each row ('NAIRR240008'), or ''. A code may
    repeat a few times (a project renewed in a later quarter), so near-unique is enough."""
    for c in table.columns:
        if any(_TIMESTAMP.search(v) for v in c.values):
            continue  # "2025-09-30 11:07 UTC" says when a row changed, not which row it is
        many = c.type == "text" and table.rows > 1 and len(c.values) >= 0.8 * table.rows
        if many and all(_code(v) or (len(c.values) == table.rows and _digit(v)) for v in c.values):
            return c.name
    # A usage report lists a project once per resource: codes repeat more, yet name the rows.
    for c in table.columns:
        repeated = c.type == "text" and len(c.values) >= 0.5 * table.rows > 1
        if repeated and all(_code(v) for v in c.values):
            return c.name
    # A ledger lists a project once a month: a column headed by a record word ("Project",
    # "Award #") whose cells are all codes still names what each row belongs to.
    for c in table.columns:
        head = set(norm(column_label(c.name)).split())
        if c.type == "text" and c.values and head & _RECORD_WORDS and all(map(_code, c.values)):
            return c.name
    return ""


def _digit(value: str) -> bool:
    """A value with a digit in it."""
    return any(ch.isdigit() for ch in value)


_MONTH_CODE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[-/.']?\d{2,4}"
    r"|\d{4}-\d{2}|\d{4}-?[qhw]\d{1,2}|fy\d{2,4}",
    re.I,
)


def _code(value: str) -> bool:
    """One word of letters and digits ('mat24017', 'RC-24-012'), not a month ('Jan-25')."""
    v = value.strip()
    return (
        " " not in v
        and _digit(v)
        and any(ch.isalpha() for ch in v)
        and not (_MONTH_CODE.fullmatch(v))
    )


# Which date a question asks of a row with a start and an end: general English, not headers.
_END_WORDS = re.compile(
    r" (?:end|ends|ended|ending|expire|expires|expired|expiring|expiry|finish|finishes|"
    r"finished|run out|runs out|ran out|close|closes|closed|conclude|concludes|concluded|"
    r"wrap up|wraps up|wrapped up|over by|due to end) "
)
_START_WORDS = re.compile(
    r" (?:start|starts|started|starting|begin|begins|began|beginning|kick off|kicks off|open|"
    r"opens|opened|kicked off|launch|launched|launches|commence|commenced|commences|"
    r"get going|got going) "
)
_END_COLUMN = re.compile(
    r"\b(end|ends|ending|expiry|expiration|expires|until|finish|finishes|close|closes|closing|"
    r"to|due)\b"
)
_START_COLUMN = re.compile(
    r"\b(start|starts|starting|begin|begins|beginning|from|commencement|open|opens|opening)\b"
)


def dated_event(nq: str) -> bool:
    """'due to end', 'started', 'expires': the question asks when rows start or end."""
    return bool(_END_WORDS.search(nq) or _START_WORDS.search(nq))


def span_columns(table: TableInfo) -> tuple[str, str] | None:
    """A start-date and an end-date column ('Start date', 'End date'), when the table has both:
    a row is running between them."""
    dates = [c.name for c in table.columns if c.type == "date"]
    start = next((c for c in dates if _START_COLUMN.search(column_label(c))), "")
    end = end_column(table)
    return (start, end) if start and end and start != end else None


def end_column(table: TableInfo) -> str:
    """The date column a row ends on ('End', 'Expires'), or "" when the table has none."""
    return next(
        (
            c.name
            for c in table.columns
            if c.type == "date" and _END_COLUMN.search(column_label(c.name))
        ),
        "",
    )


def date_columns(table: TableInfo, words: tuple[str, ...] = ()) -> tuple[str, str]:
    """The date column the question's words point at ('ends' → 'End Date'), else the first;
    and a whole-number year column for tables without dates."""
    dates = [c for c in table.columns if c.type == "date"]
    named = [
        c
        for c in dates
        if any(
            len(w) >= 3 and any(t.startswith(w) for t in words)
            for w in column_label(c.name).split()
            if w not in ("date", "dates", "day", "on", "of")
        )
    ]
    said = " " + " ".join(words) + " "
    for role, asked in ((_END_COLUMN, _END_WORDS), (_START_COLUMN, _START_WORDS)):
        if not named and asked.search(said):
            # "run out", "expire" ask the end date; "kicked off", "began" the start date
            named = [c for c in dates if role.search(column_label(c.name))]
    date_col = (named or dates)[0].name if dates else ""
    year_col = next(
        (
            c.name
            for c in table.columns
            if c.type == "integer"
            and re.search(r"\byears?\b", column_label(c.name))
            and isinstance(c.low, int | float)
            and c.low >= 1900
            and isinstance(c.high, int | float)
            and c.high <= 2100
        ),
        "",
    )
    return date_col, "" if date_col else year_col


def measure_like(col: ColumnInfo | None) -> bool:
    """A numeric column that holds amounts (not an id or a year)."""
    return (
        col is not None
        and col.numeric
        and not re.search(r"\b(id|year|no|number)\b", column_label(col.name))
    )


# Headers of a count of people ("Students", "Seats"): such a column is never in the row's unit.
_PEOPLE_COUNTS = frozenset({
    "students", "learners", "participants", "trainees", "attendees", "seats", "enrollment",
    "enrolment", "headcount", "members", "users", "people",
})  # fmt: skip


def counts_people(col: ColumnInfo | None) -> bool:
    """A numeric column counting people ('Students', 'No. of participants')."""
    return (
        col is not None
        and col.numeric
        and bool(set(column_label(col.name).split()) & _PEOPLE_COUNTS)
        and "per" not in column_label(col.name).split()
    )


PERSON_HEADS = frozenset(
    # a scheduler's log names each job's person by login: "User", "Username", "Login"
    {"pi", "pis", "investigator", "lead", "owner", "contact", "person", "user", "username", "login"}
)
_HOLDER_HEADS = PERSON_HEADS | frozenset(SYNONYMS["institution"].split())


def person_column(name: str) -> bool:
    """A column headed as a person ('PI', 'Lead investigator', 'Contact')."""
    return bool(set(re.findall(r"[a-z]+", name.lower())) & PERSON_HEADS)


def has_people(table: TableInfo) -> bool:
    """The table names a person per row (a 'PI' or 'Lead investigator' column)."""
    return any(person_column(c.name) for c in table.columns)


def holder_column(table: TableInfo, name: str, ident: str) -> bool:
    """A column naming who holds a row: a person, an institution, or the row's own code."""
    return name == ident or bool(set(re.findall(r"[a-z]+", name.lower())) & _HOLDER_HEADS)
