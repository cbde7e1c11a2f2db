"""Habits of exported tables, undone before the cells are typed: a cell of 'key=value' pairs,
numbers written the European way ('21.480,5'), compact dates ('20260406') under a header
that says so, and places written 'City, ST'. Each change is reported as a warning; nothing is
dropped.
"""

from __future__ import annotations

import re
from datetime import date

from ingest.cells import parse_number
from ingest.states import STATES

_PAIR = re.compile(r"^\s*[A-Za-z][\w ]{0,20}\s*=")
_PAIRS = re.compile(r"^\s*[A-Za-z][\w ]{0,20}\s*=[^;|]*(?:[;|]\s*[A-Za-z][\w ]{0,20}\s*=[^;|]*)+$")
# "21.480,5", "9.000", "0,75": dots group thousands, a comma marks the decimals
_EURO = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^-?\d+,\d+$")
_EURO_PROOF = re.compile(r"^-?\d{1,3}(?:\.\d{3})+,\d+$|^-?\d{1,3}(?:\.\d{3}){2,}$|^-?\d+,\d{1,2}$")
_US_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_COMPACT_HEADER = re.compile(r"yyyymmdd|\b(?:date|start|end|ends|ended|expires?|updated)\b", re.I)


def _column(rows: list[list[str]], i: int) -> list[str]:
    """The cells of column i ('' where a row is short)."""
    return [r[i].strip() if i < len(r) else "" for r in rows]


def expand_pairs(
    header: list[str], rows: list[list[str]], warnings: list[str]
) -> tuple[list[str], list[list[str]]]:
    """'org=Harrowgate University; pi=Dr. Aldous; st=GA' in one column becomes columns org, pi
    and st (in the order the keys first appear), whatever order each cell lists them in."""
    for i, name in enumerate(header):
        cells = [c for c in _column(rows, i) if c]
        if not cells or sum(bool(_PAIRS.match(c)) for c in cells) < 0.8 * len(cells):
            continue
        keys: list[str] = []
        parsed = []
        for cell in _column(rows, i):
            pairs = {}
            for part in re.split(r"\s*[;|]\s*", cell):
                if _PAIR.match(part):
                    key, _, value = part.partition("=")
                    key = key.strip()
                    pairs[key] = value.strip()
                    if key not in keys:
                        keys.append(key)
            parsed.append(pairs)
        new_header = header[:i] + keys + header[i + 1 :]
        new_rows = [
            r[:i] + [p.get(k, "") for k in keys] + r[i + 1 :]
            for r, p in zip(rows, parsed, strict=True)
        ]
        warnings.append(f"read column {name!r} of key=value pairs as columns {', '.join(keys)}")
        return expand_pairs(new_header, new_rows, warnings)  # another such column, if any
    return header, rows


def european_numbers(header: list[str], rows: list[list[str]], warnings: list[str]) -> None:
    """Rewrite in place the numbers of columns written '21.480,5' (dots for thousands): when a
    cell of the table proves the style ('8.950,5'), every column of such figures ('9.000')
    without a bare US-style cell ('21,480.5') is read so, as one export writes all alike."""
    columns = [_column(rows, i) for i in range(len(header))]
    if not any(
        any(_EURO_PROOF.match(c) for c in cells) and not any(_US_THOUSANDS.match(c) for c in cells)
        for cells in columns
    ):
        return
    for i, name in enumerate(header):
        cells = [c for c in columns[i] if c]
        euro = sum(bool(_EURO.match(c)) for c in cells)
        if not euro or euro < 0.5 * len(cells) or any(_US_THOUSANDS.match(c) for c in cells):
            continue
        changed = 0
        for r in rows:
            if i < len(r) and _EURO.match(r[i].strip()):
                r[i] = r[i].strip().replace(".", "").replace(",", ".")
                changed += 1
        if changed:
            warnings.append(
                f"column {name!r}: read {changed} number(s) written the European way "
                "(dots group thousands, a comma marks decimals)"
            )


def compact_dates(header: list[str], rows: list[list[str]], warnings: list[str]) -> None:
    """Rewrite in place '20260406' as '2026-04-06' in a column whose header names a date and
    whose filled cells are all valid eight-digit dates."""
    for i, name in enumerate(header):
        if not _COMPACT_HEADER.search(name):
            continue
        cells = [c for c in _column(rows, i) if c]
        if not cells or not all(_eight_digit_date(c) for c in cells):
            continue
        for r in rows:
            if i < len(r) and r[i].strip():
                d = _eight_digit_date(r[i].strip())
                r[i] = d.isoformat() if d else r[i]
        warnings.append(f"column {name!r}: read its YYYYMMDD cells as dates")


def _eight_digit_date(cell: str) -> date | None:
    """'20260406' → 2026-04-06, else None."""
    if not re.fullmatch(r"(19|20)\d{6}", cell):
        return None
    try:
        return date(int(cell[:4]), int(cell[4:6]), int(cell[6:]))
    except ValueError:
        return None


# "Ardmore Falls, OR": a place written as city and postal code; the code alone is the state.
_CITY_STATE = re.compile(r"^[^,]{2,},\s*([A-Z]{2})\.?$")


def place_states(
    header: list[str], rows: list[list[str]], warnings: list[str]
) -> tuple[list[str], list[list[str]]]:
    """A column of 'City, ST' cells gains a State column beside it holding the codes, so
    'in Oregon' and 'per state' work on a table that never wrote the state on its own."""
    if any(re.fullmatch(r"(?i)states?|st|state code", h.strip()) for h in header):
        return header, rows
    for i, name in enumerate(header):
        cells = [c for c in _column(rows, i) if c]
        codes = [m.group(1) for c in cells if (m := _CITY_STATE.match(c)) and m.group(1) in STATES]
        if len(cells) < 3 or len(codes) < 0.8 * len(cells):
            continue
        states = [(m.group(1) if (m := _CITY_STATE.match(c)) else "") for c in _column(rows, i)]
        warnings.append(f"column {name!r}: its 'City, ST' cells also give a State column")
        return (
            [*header[: i + 1], "State", *header[i + 1 :]],
            [[*r[: i + 1], s, *r[i + 1 :]] for r, s in zip(rows, states, strict=True)],
        )
    return header, rows


def span_header(rows: list[list[str]], warnings: list[str]) -> list[list[str]]:
    """A two-row header: a sparse first row naming spans ('Corvane (GPU)' over Awarded, Used,
    % used; merged cells exported as blanks) above a full row of names. The rows become one
    header; a name that repeats under different spans takes its span as a prefix."""
    if len(rows) < 3:
        return rows
    top, names = rows[0], rows[1]
    width = max(len(top), len(names))
    filled_top = [i for i, c in enumerate(top) if c.strip()]
    filled = [c.strip() for c in names if c.strip()]
    if not (2 <= len(filled_top) <= width // 2 and len(filled) >= 0.8 * width):
        return rows
    if any(re.fullmatch(r"[\d.,%$ -]+", c) for c in filled):
        return rows  # the second row holds data, so the first is the header
    span, spans = "", []
    for i in range(width):
        span = top[i].strip() if i < len(top) and top[i].strip() else span
        spans.append(span if i >= filled_top[0] else "")
    counts: dict[str, int] = {}
    for c in names:
        counts[c.strip()] = counts.get(c.strip(), 0) + 1
    merged = [
        f"{spans[i]} {c.strip()}" if counts[c.strip()] > 1 and c.strip() and spans[i] else c
        for i, c in enumerate(names)
    ]
    shown = ", ".join(top[i].strip() for i in filled_top)
    warnings.append(f"read a two-row header: the spans {shown} prefix the names they repeat")
    return [merged, *rows[2:]]


# "↳ FR-101-S1", "└ X", "- X" at the start of an id cell: a row that belongs to the row above.
# A dash or plus only with a space and a word after it: "-$350" is a negative amount.
_CHILD = re.compile(r"^\s*(?:[↳└⤷→]\s*|(?:--?>?|\+)\s+)(?=[A-Za-z]*\d*[A-Za-z])")


def child_rows(
    header: list[str], rows: list[list[str]], warnings: list[str]
) -> tuple[list[str], list[list[str]]]:
    """Rows marked as parts of the row above ('↳ FR-101-S1', a supplement) lose the mark and
    take the parent's blank descriptive cells (PI, institution, place); a '<id> family' column
    holds the parent's id on the parent and its parts, so 'FR-101 with its supplements' can be
    added up and projects counted without their parts."""
    for i in range(len(header)):
        cells = _column(rows, i)
        marked = [n for n, c in enumerate(cells) if _CHILD.match(c)]
        if not marked or marked[0] == 0 or len(marked) > 0.6 * len(rows):
            continue
        out: list[list[str]] = []
        parent: list[str] = []
        for n, r in enumerate(rows):
            row = list(r) + [""] * (len(header) - len(r))
            if n in marked:
                row[i] = _CHILD.sub("", row[i])
                # the parent's words fill what the child leaves blank, never its amounts
                for j, cell in enumerate(row):
                    if not cell.strip() and j < len(parent) and not _AMOUNTISH.match(parent[j]):
                        row[j] = parent[j]
                out.append([*row[: i + 1], parent[i], *row[i + 1 :]])
            else:
                parent = row
                out.append([*row[: i + 1], row[i], *row[i + 1 :]])
        family = f"{header[i]} family"
        warnings.append(
            f"column {header[i]!r}: {len(marked)} row(s) marked as parts of the row above; "
            f"they take its blank details, and {family!r} names the row each belongs to"
        )
        return [*header[: i + 1], family, *header[i + 1 :]], out
    return header, rows


_AMOUNTISH = re.compile(r"^\s*[-$€£~(]*\d")


# "Status (blank = pending)", "Decision (empty means undecided)": the header says what a
# blank cell of its column stands for.
_LEGEND = re.compile(
    r"\s*[(\[]\s*(?:blank|empty|no entry)\s*(?:=|means|:)\s*([A-Za-z][\w -]{0,30}?)\s*[)\]]\s*",
    re.I,
)


def blank_legends(
    header: list[str], rows: list[list[str]], warnings: list[str]
) -> tuple[list[str], list[list[str]]]:
    """A header that says what its blank cells mean gets those cells filled with it, and
    loses the note ('Status (blank = pending)' becomes Status, its blanks 'pending')."""
    out_header = list(header)
    out_rows = [list(r) for r in rows]
    for i, name in enumerate(header):
        m = _LEGEND.search(name)
        if m is None:
            continue
        out_header[i] = (name[: m.start()] + " " + name[m.end() :]).strip() or name
        meaning = m.group(1).strip()
        n = 0
        for r in out_rows:
            if i < len(r) and not r[i].strip():
                r[i] = meaning
                n += 1
        warnings.append(f"column {name!r}: its {n} blank cell(s) read as {meaning!r}, as it says")
    return out_header, out_rows


def pasted_pages(header: list[str], rows: list[list[str]], warnings: list[str]) -> list[list[str]]:
    """Rows that repeat the header (a second page pasted under the first) and comment lines
    ('# corrected on …') are no data rows."""
    names = [h.strip().lower() for h in header if h.strip()]
    kept, repeats, comments = [], 0, 0
    for r in rows:
        cells = [c.strip() for c in r if c.strip()]
        if cells and [c.lower() for c in cells] == names:
            repeats += 1
        elif cells and cells[0].startswith("#") and r[0].strip().startswith("#"):
            comments += 1
        else:
            kept.append(r)
    if repeats:
        warnings.append(f"left out {repeats} row(s) repeating the header (a pasted next page)")
    if comments:
        warnings.append(f"left out {comments} comment line(s) starting with '#'")
    return kept


# "(✔ posted / ⏳ pending / ✖ void)", "(Y = yes, N = no)": a header's key to short marks.
_KEY_ITEM = re.compile(r"^\s*(\S{1,3})\s*(?:=|:|\s)\s*([A-Za-z][\w -]{0,24}?)\s*$")


def marked_values(
    header: list[str], rows: list[list[str]], warnings: list[str]
) -> tuple[list[str], list[list[str]]]:
    """A header that keys its column's marks ('Status (✔ posted / ⏳ pending)') gets the
    marks replaced by their words and loses the key, when every cell is one of the marks."""
    out_header, out_rows = list(header), [list(r) for r in rows]
    for i, name in enumerate(header):
        m = re.search(r"\s*\(([^()]*)\)\s*$", name)
        if m is None:
            continue
        items = [_KEY_ITEM.match(part) for part in re.split(r"[/;,]", m.group(1))]
        if len(items) < 2 or not all(items):
            continue
        key = {it.group(1): it.group(2).strip() for it in items if it}
        cells = {c.strip() for c in _column(rows, i) if c.strip()}
        if not cells or not cells <= set(key):
            continue
        for r in out_rows:
            if i < len(r) and r[i].strip():
                r[i] = key[r[i].strip()]
        out_header[i] = name[: m.start()].strip() or name
        shown = ", ".join(f"{k} = {v}" for k, v in key.items())
        warnings.append(f"column {name!r}: its marks read by the header's key ({shown})")
    return out_header, out_rows


# "k core-h" beside "core-h" in a Unit column: thousands of the same unit.
_SCALED_UNIT = re.compile(r"^\s*([kKM])\s+(\S.*)$")


def scaled_units(header: list[str], rows: list[list[str]], warnings: list[str]) -> list[list[str]]:
    """A per-row Unit column that writes some amounts in thousands ('k core-h') and others
    plainly ('core-h'): the table's one amount column is multiplied out, the unit made plain,
    so amounts in one unit add up."""
    units = [i for i, h in enumerate(header) if re.fullmatch(r"(?i)\s*units?\s*", h)]
    if len(units) != 1:
        return rows
    u = units[0]
    amounts = [
        i
        for i in range(len(header))
        if i != u
        and (cells := [c for c in _column(rows, i) if c])
        and sum(parse_number(c) is not None for c in cells) >= 0.8 * len(cells)
        and not re.search(r"(?i)\b(?:id|year|no|#)\b", header[i])
    ]
    scaled = [n for n, c in enumerate(_column(rows, u)) if _SCALED_UNIT.match(c)]
    if len(amounts) != 1 or not scaled:
        return rows
    a = amounts[0]
    out = [list(r) for r in rows]
    for n in scaled:
        m = _SCALED_UNIT.match(out[n][u])
        value = parse_number(out[n][a]) if a < len(out[n]) else None
        if m is None or value is None:
            continue
        factor = 1_000_000 if m.group(1) == "M" else 1000
        total = value * factor
        out[n][a] = str(int(total)) if float(total).is_integer() else str(total)
        out[n][u] = m.group(2).strip()
    warnings.append(
        f"column {header[a]!r}: {len(scaled)} amount(s) given in thousands by "
        f"{header[u]!r} ('k …') were multiplied out"
    )
    return out
