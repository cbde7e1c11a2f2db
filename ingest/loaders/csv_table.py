"""Allocation tables (CSV) to one readable section per row plus aggregate summaries."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from typing import Any

from ingest.errors import LoadError
from ingest.exports import (
    blank_legends,
    child_rows,
    compact_dates,
    european_numbers,
    expand_pairs,
    marked_values,
    pasted_pages,
    place_states,
    scaled_units,
    span_header,
)
from ingest.tabular import build_table
from ingest.types import Section, Table

_MAX_SUMMARY_ITEMS = 40


def read_csv(text: str, title: str) -> list[Section]:
    """Return row sections ("row 17") and summary sections (counts, maxima) for a table."""
    return read_table(text, title)[0]


def read_table(text: str, title: str) -> tuple[list[Section], Table]:
    """Row and summary sections plus the typed table; odd input becomes warnings, not errors."""
    warnings: list[str] = []
    if "\ufeff" in text or text.startswith("\u00ef\u00bb\u00bf"):
        warnings.append("removed a byte-order mark")
        text = text.replace("\ufeff", "").removeprefix("\u00ef\u00bb\u00bf")
    reader = csv.reader(io.StringIO(text), _dialect(text))
    rows = [r for r in reader if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise LoadError("CSV has a header but no data rows")
    rows = _without_title(rows, warnings)
    rows = _without_empty_columns(_without_footer(span_header(rows, warnings), warnings))
    rows = _group_headings(rows, warnings)
    # "Granted\n(in unit)": a header cell with a line break inside its quotes is one name
    names = [" ".join(h.split()) or f"column {i + 1}" for i, h in enumerate(rows[0])]
    names, body = expand_pairs(names, rows[1:], warnings)
    european_numbers(names, body, warnings)
    compact_dates(names, body, warnings)
    header = _unique(names, warnings)
    header, body = blank_legends(header, body, warnings)  # before any fill-down
    header, body = marked_values(header, pasted_pages(header, body, warnings), warnings)
    body = scaled_units(header, body, warnings)
    rows = [header, *_without_totals(body, warnings)]
    if len(rows) < 2:
        raise LoadError("CSV has a header but no data rows (only totals)")
    rows = [rows[0], *_continued(header, _merged_blanks(header, rows[1:], warnings), warnings)]
    header, body = child_rows(header, rows[1:], warnings)
    header, body = place_states(header, body, warnings)
    rows = [header, *body]
    records: list[dict[str, str]] = []
    sections: list[Section] = []
    ragged = [n for n, raw in enumerate(rows[1:], start=1) if len(raw) != len(header)]
    if ragged:
        shown = ", ".join(str(n) for n in ragged[:5]) + (" …" if len(ragged) > 5 else "")
        warnings.append(
            f"{len(ragged)} row(s) have a different number of cells than the header's "
            f"{len(header)} (rows {shown}); short rows were padded with empty cells"
        )
    width = max(len(r) for r in rows)
    full_header = header + [f"extra {i + 1}" for i in range(width - len(header))]
    for n, raw in enumerate(rows[1:], start=1):
        # Ragged rows: pad short ones, keep extra cells under numbered columns.
        cells = [c.strip() for c in raw] + [""] * (len(header) - len(raw))
        names = header + [f"extra {i + 1}" for i in range(len(cells) - len(header))]
        rec = {k: v for k, v in zip(names, cells, strict=True) if v}
        records.append(rec)
        said = "; ".join(f"{_label(k)}: {v}" for k, v in rec.items())
        sections.append(Section(text=f"{title}, row {n}. {said}.", locator=f"row {n}", number=n))
    sections.extend(_summaries(title, header, records))
    table = build_table(full_header, rows[1:], range(1, len(rows)))
    return sections, Table(
        table.columns,
        table.rows,
        table.row_numbers,
        table.unit_column,
        (*warnings, *table.warnings),
    )


def _dialect(text: str) -> Any:
    """The delimiter that splits most lines into the same number of cells.

    csv.Sniffer alone picks ',' for "Feb-25;LX-101;$2,000": a thousands separator inside
    unquoted cells outvotes the real delimiter, so the candidates are also compared by how
    consistently they split the lines (measured on the sample tables: sniffing failed there).
    """
    try:
        sniffed = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        sniffed = csv.excel  # type: ignore[assignment]
    lines = [line for line in text.splitlines()[:200] if line.strip()]

    def consistency(delimiter: str) -> tuple[float, int]:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter, quotechar='"')]
        width = max(set(widths), key=widths.count) if widths else 1
        return (widths.count(width) / len(widths) if width > 1 else 0.0), width

    best = max(",;\t|", key=consistency)
    if consistency(best)[0] > consistency(sniffed.delimiter)[0]:

        class Chosen(csv.excel):
            delimiter = best

        return Chosen
    return sniffed


def _without_title(rows: list[list[str]], warnings: list[str]) -> list[list[str]]:
    """Drop title or comment lines above the header: one filled cell over a row of several."""
    dropped = []
    # (a title and a legend line: several one-cell lines before the header)
    lead = next((i for i, r in enumerate(rows[:6]) if sum(1 for c in r if c.strip()) >= 2), 0)
    while lead and len(rows) > 2:
        dropped.append(next((c.strip() for c in rows[0] if c.strip()), ""))
        rows, lead = rows[1:], lead - 1
    if dropped:
        shown = "; ".join(d[:80] for d in dropped)
        warnings.append(f"read {len(dropped)} line(s) above the header as a title: {shown}")
    return rows


_DECORATION = re.compile(r"^[\s=#*_~:-]+|[\s=#*_~:-]+$")


def _group_headings(rows: list[list[str]], warnings: list[str]) -> list[list[str]]:
    """Rows that only head a group ("== Education ==" over the education awards) become a Type
    column of the rows under them, instead of rows of their own."""
    header, body = rows[0], rows[1:]
    heads = [
        i
        for i, r in enumerate(body)
        if sum(1 for c in r if c.strip()) == 1 and r[0].strip() and len(header) >= 3
    ]
    if len(heads) < 2 or heads[0] != 0:
        return rows  # a grouping starts at the top and has at least two groups
    out, current = [[*header, "Type"]], ""
    for i, r in enumerate(body):
        if i in heads:
            current = _DECORATION.sub("", r[0]).strip()
            continue
        out.append([*r, *[""] * (len(header) - len(r)), current])
    names = ", ".join(_DECORATION.sub("", body[i][0]).strip() for i in heads[:5])
    warnings.append(f"read {len(heads)} group heading row(s) ({names}) as a Type column")
    return out


def _without_footer(rows: list[list[str]], warnings: list[str]) -> list[list[str]]:
    """Drop notes below the table: one filled cell holding a sentence, under rows of several."""
    dropped = []
    while len(rows) > 2:
        filled = [c.strip() for c in rows[-1] if c.strip()]
        if len(filled) != 1 or len(filled[0].split()) < 4:
            break
        dropped.append(filled[0])
        rows = rows[:-1]
    if dropped:
        shown = "; ".join(d[:80] for d in reversed(dropped))
        warnings.append(f"read {len(dropped)} line(s) below the table as notes: {shown}")
    return rows


_TOTAL_CELL = re.compile(
    r"(?:grand\s+|sub-?)?totals?:?|(?:quarter|year|period)\s+(?:sub-?)?totals?:?", re.I
)
_TOTAL = re.compile(
    r"^(?:grand\s+|sub-?)?totals?\b|^all\s+(?:projects|awards|rows)\b"
    # a label that ends in the word: "Report total", "Center subtotal", "Kestrel GPU total:"
    r"|^(?:[a-z][\w&.-]*\s+){1,3}(?:grand\s+|sub-?)?totals?:?$"
    r"|^(?:carried|brought|balance)\s+forward\b|^[cb]/f\b",  # a page's running sum
    re.I,
)


def _without_totals(rows: list[list[str]], warnings: list[str]) -> list[list[str]]:
    """Leave out a report's own total and subtotal rows: they are sums of rows, not awards."""
    kept = [
        r
        for r in rows
        if not (r and _TOTAL.match(next((c.strip() for c in r if c.strip()), "")))
        # "Q4 2024, Subtotal, , , 14, …": a cell that is only the word, beside the row's period
        and not any(_TOTAL_CELL.fullmatch(c.strip()) for c in r[:4])
    ]
    if len(kept) < len(rows):
        warnings.append(
            f"left out {len(rows) - len(kept)} total or subtotal row(s): the report's own sums "
            "are not awards, and every total is computed from the rows"
        )
    return kept


_FREE_TEXT = re.compile(r"note|comment|remark|description|abstract|summary", re.I)


def _merged_blanks(
    header: list[str], rows: list[list[str]], warnings: list[str]
) -> list[list[str]]:
    """A report that writes a value once for a block of rows (merged cells exported as blanks):
    the leading columns whose blanks nest (a blank project only under a blank institution) are
    filled down from the row above."""

    def blank(r: list[str], i: int) -> bool:
        return i >= len(r) or not r[i].strip()

    if not rows or blank(rows[0], 0) or not any(blank(r, 0) for r in rows):
        return rows
    lead = 0
    while lead < len(header) and not blank(rows[0], lead):
        col_blank = [blank(r, lead) for r in rows]
        if not any(col_blank):
            break
        # a blank here means a blank in every column before it: the same block goes on
        nested = (all(blank(r, j) for j in range(lead)) for r in rows if blank(r, lead))
        if not all(nested):
            break
        lead += 1
    if lead == 0:
        return rows
    out: list[list[str]] = []
    filled = 0
    for r in rows:
        row = list(r)
        for i in range(lead):
            if blank(row, i) and out and i < len(row):
                row[i] = out[-1][i]
                filled += 1
        out.append(row)
    names = ", ".join(_label(h) for h in header[:lead])
    warnings.append(f"filled {filled} blank cell(s) of {names} down from the block's first row")
    return out


def _continued(header: list[str], rows: list[list[str]], warnings: list[str]) -> list[list[str]]:
    """A project over several rows (one per resource) often names its title and people only in
    the first: a row with the same first cell as the row above takes that row's text cells where
    it has none (numbers, dates and notes are never copied)."""
    out: list[list[str]] = []
    filled = 0
    # Only when the first column names projects: mostly distinct ("RCC-25-003"), not a grouping
    # such as a quarter ("FY25 Q1") that many unrelated rows share.
    firsts = [r[0].strip() for r in rows if r and r[0].strip()]
    if not firsts or len(set(firsts)) < 0.5 * len(firsts):
        return rows
    for raw in rows:
        row = list(raw)  # a short or long row keeps its shape: the ragged check reports it
        prev = out[-1] if out else None
        if prev and row and row[0].strip() and row[0].strip() == prev[0].strip():
            for i, cell in enumerate(row[: len(header)]):
                above = prev[i].strip() if i < len(prev) else ""
                if cell.strip() or not above or _FREE_TEXT.search(header[i]):
                    continue
                if _number(above) is not None or re.search(r"\d", above):
                    continue  # amounts, dates and codes belong to their own row
                row[i] = above
                filled += 1
        out.append(row)
    if filled:
        warnings.append(
            f"filled {filled} blank cell(s) from the row above where a row continues the same "
            f"{_label(header[0])} (one project over several rows)"
        )
    return out


def _without_empty_columns(rows: list[list[str]]) -> list[list[str]]:
    """Drop columns with no header and no cell (a comma ending every line): nothing to name."""
    width = max(len(r) for r in rows)
    empty = {
        i
        for i in range(width)
        if all(i >= len(r) or not r[i].strip() for r in rows)  # header cell included
    }
    if not empty:
        return rows
    return [[c for i, c in enumerate(r) if i not in empty] for r in rows]


def _unique(header: list[str], warnings: list[str]) -> list[str]:
    """Rename repeated column names ("amount", "amount 2") so every column can be named."""
    seen: Counter[str] = Counter()
    out = []
    for h in header:
        seen[h] += 1
        out.append(h if seen[h] == 1 else f"{h} {seen[h]}")
    dups = sorted(h for h, c in seen.items() if c > 1)
    if dups:
        warnings.append(f"repeated column names {', '.join(dups)} were numbered")
    return out


def _label(col: str) -> str:
    """Turn a column name like request_type into 'request type'."""
    return col.replace("_", " ").strip()


def _number(v: str) -> float | None:
    """Parse '12,000' or '1.5e3' as a number; None if it is not one."""
    try:
        return float(v.replace(",", "").replace("$", ""))
    except ValueError:
        return None


def _summaries(title: str, header: list[str], records: list[dict[str, str]]) -> list[Section]:
    """Counts by each categorical column and the largest amounts per resource."""
    out: list[Section] = []
    n = len(records)
    id_col = header[0]
    label_col = next(
        (h for pat in ("title", "name") for h in header if re.search(pat, h, re.I)), id_col
    )
    out.append(
        Section(
            text=f"Summary of {title}: the table lists {n} allocations (awards) in total, "
            f"with columns {', '.join(_label(h) for h in header)}.",
            locator="summary",
            heading="Totals",
        )
    )
    for col in header:
        if not re.search(r"type|state|resource|field|institution|provider|unit|provenance", col):
            continue
        counts = Counter(r.get(col, "(blank)") for r in records)
        if len(counts) > _MAX_SUMMARY_ITEMS or len(counts) < 2:
            continue
        # One sentence per value, so an extractive answer can quote exactly the count asked for.
        sentences = [
            f"{v} of the {n} listed awards have {_label(col)} {k}." for k, v in counts.most_common()
        ]
        out.append(
            Section(
                text=" ".join(sentences),
                locator="summary",
                heading=f"How many awards are listed for each {_label(col)}",
            )
        )
    amount_col = next((h for h in header if re.search(r"amount|quantity|award_size", h)), None)
    res_col = next((h for h in header if re.search(r"resource", h)), None)
    unit_col = next((h for h in header if re.search(r"unit", h)), None)
    if amount_col and res_col:
        by_res: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in records:
            if _number(r.get(amount_col, "")) is not None:
                by_res[r.get(res_col, "(blank)")].append(r)
        parts = []
        for res, rs in sorted(by_res.items()):
            ranked = sorted(rs, key=lambda r: -(_number(r[amount_col]) or 0.0))
            unit = ranked[0].get(unit_col, "") if unit_col else ""
            total = sum(_number(r[amount_col]) or 0.0 for r in rs)
            desc = [
                f"{r[amount_col]} {unit} to {r.get(label_col, '')} ({r.get(id_col, '')}"
                + (f", {r['institution']}" if r.get("institution") else "")
                + ")"
                for r in ranked[:2]
            ]
            line = f"The largest allocation on {res} is {desc[0]}"
            if len(desc) > 1:
                line += f"; the second largest is {desc[1]}"
            parts.append(f"{line}; {len(rs)} award(s) on {res}, {total:,.0f} {unit} in total.")
        for i in range(0, len(parts), 6):
            out.append(
                Section(
                    text=" ".join(parts[i : i + 6]),
                    locator="summary",
                    heading="Largest (biggest, maximum) allocations per resource",
                )
            )
    return out
