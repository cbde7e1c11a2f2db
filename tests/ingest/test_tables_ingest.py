"""CSV tables are kept as typed DuckDB tables in each index version; odd CSVs warn, not fail."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb

from index.embedder import Embedder
from index.store import VERSIONS, read_manifest
from index.tables import CATALOG_FILE, DB_FILE
from ingest.tabular import build_table
from tests.helpers import build_index

# A byte-order mark, a short row, a long row, and an amount column with text in it.
MALFORMED = (
    "\ufeffid,site,amount,opened\n"
    "K1,North Lab,1200,2024-01-05\n"
    "K2,South Lab,see notes,2024-02-11\n"
    "K3,North Lab\n"
    "K4,East Lab,300,2024-04-30,stray cell\n"
    "K5,East Lab,450,2024-05-01\n"
    "K6,South Lab,700,2024-06-15\n"
).encode("utf-8")


def test_malformed_csv_loads_with_warnings(tmp_path: Path, embedder: Embedder) -> None:
    src = tmp_path / "docs" / "labs.csv"
    src.parent.mkdir()
    src.write_bytes(MALFORMED)
    root = tmp_path / "index"
    plan, result = build_index([str(src)], root, embedder)
    assert not plan.skipped and result.version
    notes = " | ".join(w.message for w in plan.warnings)
    assert "different number of cells" in notes and "rows 3, 4" in notes
    assert "'see notes' in row 2" in notes  # "n/a" would be no value at all, not text
    vdir = root / VERSIONS / result.version
    (table,) = json.loads((vdir / CATALOG_FILE).read_text())["tables"]
    types = {c["name"]: c["type"] for c in table["columns"]}
    assert types == {"id": "text", "site": "text", "amount": "integer", "opened": "date",
                     "extra 1": "text"}  # fmt: skip
    con = duckdb.connect(str(vdir / DB_FILE), read_only=True)
    try:
        rows = con.execute(f"SELECT _row, c0, c2 FROM {table['name']} ORDER BY _row").fetchall()
    finally:
        con.close()
    assert rows[0] == (1, "K1", 1200) and rows[1] == (2, "K2", None) and rows[2] == (3, "K3", None)
    manifest = read_manifest(root)
    assert manifest is not None and manifest.tables["tables"][table["doc_id"]]["rows"] == 6


def test_unchanged_table_is_carried_into_the_next_version(
    tmp_path: Path, embedder: Embedder
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "labs.csv").write_text("id,amount\nA,1\nB,2\n")
    root = tmp_path / "index"
    build_index([str(docs)], root, embedder)
    (docs / "note.md").write_text("# Note\n\nA page that changes nothing about the table.\n")
    plan, result = build_index([str(docs)], root, embedder)
    assert [d.doc.source for d in plan.loaded] == [str(docs / "note.md")]
    assert result.version
    vdir = root / VERSIONS / result.version
    (table,) = json.loads((vdir / CATALOG_FILE).read_text())["tables"]
    con = duckdb.connect(str(vdir / DB_FILE), read_only=True)
    try:
        assert con.execute(f"SELECT sum(c1) FROM {table['name']}").fetchone() == (3,)
    finally:
        con.close()


def test_dates_in_other_programs_formats() -> None:
    cells = [["15-Mar-2025", "03/15/25", "March 2025"], ["2-Apr-2025", "04/02/25", "2025-04"]]
    table = build_table(["awarded", "opened", "month"], cells, [1, 2])
    assert [c.type for c in table.columns] == ["date", "date", "date"]
    assert table.rows[0] == (date(2025, 3, 15), date(2025, 3, 15), date(2025, 3, 1))
    assert table.rows[1] == (date(2025, 4, 2), date(2025, 4, 2), date(2025, 4, 1))
    assert not table.warnings


def test_amounts_written_with_their_units() -> None:
    header = ["award", "amount", "budget"]
    cells = [
        ["A1", "5,000 GPU-hours", "$1,200"],
        ["A2", "200 node-hours", "$300"],
        ["A3", "1,500 GPU-hours", "$50"],
    ]
    table = build_table(header, cells, [1, 2, 3])
    names = [c.name for c in table.columns]
    assert names == ["award", "amount", "amount unit", "budget"]
    assert table.unit_column == "amount unit"
    assert [r[1:3] for r in table.rows] == [
        (5000, "GPU-hours"),
        (200, "node-hours"),
        (1500, "GPU-hours"),
    ]
    one = build_table(["id", "storage"], [["S1", "10 TB"], ["S2", "25 TB"]], [1, 2])
    assert one.columns[1].type == "integer" and one.columns[1].unit == "TB"
    assert not one.unit_column


def test_currency_signs_give_the_unit() -> None:
    table = build_table(["grant", "budget"], [["G1", "€1,200"], ["G2", "€300.50"]], [1, 2])
    assert table.columns[1].type == "number" and table.columns[1].unit == "EUR"
    assert [r[1] for r in table.rows] == [1200.0, 300.5]
    pounds = build_table(["grant", "cost"], [["G1", "£40"], ["G2", "£2,000"]], [1, 2])
    assert pounds.columns[1].unit == "GBP" and [r[1] for r in pounds.rows] == [40, 2000]


# A usage report: one project over several rows (title and PI only in its first row), amounts
# with their units in the cells of three columns (one overdrawn), and a subtotal row at the end.
USAGE_REPORT = (
    "Award,Title,Lead,Machine,Granted,Spent,Left\n"
    'AW-01,Glacier melt,"Ivers, Ana",Birch,"10,000 SU","9,000 SU","1,000 SU"\n'
    "AW-01,,,Birch-GPU,2k GPU-h,500 GPU-h,1.5k GPU-h\n"
    'AW-02,Soil carbon,"Ruiz, Ben",Birch,"4,000 SU","4,300 SU","-300 SU"\n'
    'AW-03,Tide gauges,"Kim, Jo",Birch,"6,000 SU",,\n'
    'Subtotal,,,Birch,"20,000 SU","13,300 SU","700 SU"\n'
)


def test_a_usage_report_drops_its_totals_fills_continued_rows_and_reads_units() -> None:
    from ingest.loaders.csv_table import read_table

    sections, table = read_table(USAGE_REPORT, "Usage report")
    names = [c.name for c in table.columns]
    assert names[:8] == ["Award", "Title", "Lead", "Machine", "Granted", "Granted unit", "Spent",
                         "Left"]  # fmt: skip
    assert len(table.rows) == 4  # the subtotal row is not an award
    rows = [dict(zip(names, r, strict=True)) for r in table.rows]
    assert rows[1]["Title"] == "Glacier melt" and rows[1]["Lead"] == "Ivers, Ana"
    assert rows[1]["Granted"] == 2000 and rows[1]["Granted unit"] == "GPU-hours"
    assert [r["Spent"] for r in rows] == [9000, 500, 4300, None]
    assert rows[2]["Left"] == -300  # an overdrawn balance keeps its sign
    notes = " | ".join(table.warnings)
    assert "left out 1 total or subtotal row" in notes and "filled 2 blank cell" in notes
    assert "lists 4 allocations" in sections[-1].text or any(
        "lists 4 allocations" in s.text for s in sections
    )


def test_a_shared_grouping_in_the_first_column_is_not_a_continued_row() -> None:
    from ingest.loaders.csv_table import read_table

    text = "Quarter,Field,Hours\nQ1,Physics,10\nQ1,,20\nQ1,Chemistry,30\nQ2,Law,40\nQ2,,50\n"
    _, table = read_table(text, "By quarter")
    assert [r[1] for r in table.rows] == ["Physics", None, "Chemistry", "Law", None]
