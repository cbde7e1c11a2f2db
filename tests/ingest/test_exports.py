"""Habits of exported tables undone at ingest: key=value cells, European numbers, compact
dates, header cells with line breaks, currency codes, timestamps that name no row, and format
hints that are no unit. The CSV is written here; every name and number is made up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.cells import parse_number
from ingest.loaders.csv_table import read_table
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

REGISTER = (
    'Award ID,Attributes,Resource,Unit,"Granted\n(in unit)","Used to date\n(in unit)",'
    '"Start\n(DD.MM.YYYY)","Ends\n(YYYYMMDD)",Last updated\n'
    'QX-01,org=Tamsworth University; st=OR; track=Research,Kiln (GPU),GPU-h,9.000,"8.950,5",'
    "23.06.2025,20260622,2025-09-30 11:07 UTC\n"
    "QX-02,st=OR; org=Tamsworth University; track=Classroom,Kiln (GPU),GPU-h,2.000,640,"
    "04.02.2025,20251231,2025-09-28 08:00 UTC\n"
    'QX-03,org=Varley College; st=WA; track=Research,Cloud credits,USD,"USD 15,000","USD 4,200",'
    "10.03.2025,20260309,2025-09-27 10:30 UTC\n"
    "QX-01,org=Tamsworth University; st=OR; track=Research,Slate (CPU),node-h,12.500,1.250,"
    "23.06.2025,20260622,2025-09-26 16:45 UTC\n"
)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The register as a typed table in a real DuckDB file."""
    meta = SourceMeta("register.csv", title="Tamsworth Consortium Award Register")
    return table_index(tmp_path_factory.mktemp("register"), REGISTER, meta, clean=False)


def test_a_register_export_is_read_as_its_writer_meant() -> None:
    _, table = read_table(REGISTER, "Register")
    names = [c.name for c in table.columns]
    assert names[:5] == ["Award ID", "org", "st", "track", "Resource"]
    assert "Granted (in unit)" in names
    col = {c.name: c for c in table.columns}
    assert col["Granted (in unit)"].unit == "" and col["Start (DD.MM.YYYY)"].type == "date"
    assert col["Ends (YYYYMMDD)"].type == "date"
    granted = [r[names.index("Granted (in unit)")] for r in table.rows]
    assert granted == [9000, 2000, 15000, 12500]
    assert [r[names.index("org")] for r in table.rows][:2] == ["Tamsworth University"] * 2
    assert parse_number("USD 15,000") == 15000


def test_the_award_names_the_rows_not_the_timestamp(register: Path) -> None:
    a = ask(register, "Which awards went to groups in Oregon?")
    assert "QX-01" in a.text and "QX-02" in a.text and "QX-03" not in a.text


def test_european_figures_add_up_per_unit(register: Path) -> None:
    a = ask(register, "How many GPU-hours were granted on Kiln?")
    assert "11,000" in a.text  # 9.000 + 2.000


LEDGER = (
    "Txn,Posted,Project,Type,Amount,Unit,Status (✔ posted / ⏳ pending / ✖ void),Memo\n"
    "L-1,2024-07-02 09:10,PX-1,Award,+12'000.00,GPU-h,✔,first award\n"
    "L-2,2024-07-03 10:00,PX-2,Award,+1'200.00,k core-h,✔,\n"
    "# corrected after the audit\n"
    "L-3,2024-09-30 23:55,PX-1,Charge,-2'500.00,GPU-h,⏳,\n"
    ",,,Carried forward,+10'700.00,,,page 1 of 2\n"
    "Txn,Posted,Project,Type,Amount,Unit,Status (✔ posted / ⏳ pending / ✖ void),Memo\n"
    ",,,Brought forward,+10'700.00,,,page 2 of 2\n"
    "L-4,2024-12-31 23:55,PX-2,Charge,-310\u2009000,core-h,✖,keyed twice\n"
)


def test_a_ledger_pasted_over_two_pages_is_read_as_one_table() -> None:
    _, table = read_table(LEDGER, "Ledger")
    names = [c.name for c in table.columns]
    assert names == ["Txn", "Posted", "Project", "Type", "Amount", "Unit", "Status", "Memo"]
    assert [r[0] for r in table.rows] == ["L-1", "L-2", "L-3", "L-4"]  # no page rows
    col = {c.name: c for c in table.columns}
    assert col["Posted"].type == "date" and str(table.rows[2][1]) == "2024-09-30"
    amounts = [r[4] for r in table.rows]
    assert amounts == [12000, 1_200_000, -2500, -310000]  # "k core-h" multiplied out
    assert [r[5] for r in table.rows] == ["GPU-h", "core-h", "GPU-h", "core-h"]
    assert [r[6] for r in table.rows] == ["posted", "posted", "pending", "void"]
    notes = " | ".join(table.warnings)
    assert "repeating the header" in notes and "comment line" in notes and "thousands" in notes
    assert parse_number("-1\u2009040\u2009000") == -1040000 and parse_number("4'348'000") == 4348000
