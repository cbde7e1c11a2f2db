"""The planner on a spreadsheet laid out for people: a two-row header whose first row names
the machine over each block of columns (merged cells exported as blanks), supplement rows
marked "↳" under their award with the award's details left blank, a header that says what a
blank cell means, "N/A" and "-" in number columns, hours written "12k h" inside cells, and
subtotal rows. The file is written here and loaded into a real DuckDB file; rows and sums are
checked exactly. Every name and number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders.csv_table import read_table
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

SHEET = (
    ",Project,,,,,Falcon (GPU),,Heron (CPU),,\n"
    "Award,PI,Institution,Status (blank = pending),Start,End,Awarded,Used,Awarded,Used,Notes\n"
    'AX-1,"Ode, Ama",Tarn University,Active,2025-01-06,2026-01-05,"10,000 h","8,000 h",'
    '20k node-h,"5,000 node-h",-\n'
    "↳ AX-1-S1,,,Active,2025-04-01,2026-01-05,2k h,500 h,N/A,N/A,GPU top-up\n"
    'AX-2,"Roe, Lin",Fell College,,tbd,tbd,"4,000 h",0 h,-,-,"awaiting panel, see ticket"\n'
    'AX-3,"Kim, Jo",Tarn University,Closed,2024-09-01,2025-08-31,N/A,N/A,"12,000 node-h",'
    '"11,000 node-h",-\n'
    "Subtotal,,,,,,,,,,\n"
)


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sheet as a typed table in a real DuckDB file."""
    meta = SourceMeta("sheet.csv", title="Tarnfell Award Review", as_of="2025-09-30")
    return table_index(tmp_path_factory.mktemp("sheet"), SHEET, meta, clean=False)


def test_the_layout_is_undone_at_ingest() -> None:
    _, table = read_table(SHEET, "Sheet")
    names = [c.name for c in table.columns]
    assert names == [
        "Award", "Award family", "PI", "Institution", "Status", "Start", "End",
        "Falcon (GPU) Awarded", "Falcon (GPU) Used", "Heron (CPU) Awarded", "Heron (CPU) Used",
        "Notes",
    ]  # fmt: skip
    rows = {r[0]: r for r in table.rows}
    assert rows["AX-1-S1"][1:4] == ("AX-1", "Ode, Ama", "Tarn University")  # the parent's
    assert rows["AX-1"][1] == "AX-1"
    assert rows["AX-2"][4] == "pending"  # the header says a blank status is pending
    assert rows["AX-1-S1"][7] == 2000 and rows["AX-1-S1"][9] is None  # "2k h", "N/A"
    assert rows["AX-2"][5] is None  # "tbd" is no date, and no reason to type the column as text
    falcon = table.columns[names.index("Falcon (GPU) Awarded")]
    assert (falcon.type, falcon.unit) == ("integer", "hours")
    assert any("two-row header" in w for w in table.warnings)


def test_an_award_with_its_supplement(sheet: Path) -> None:
    a = ask(sheet, "How many Falcon hours has AX-1 been awarded, counting its supplement?")
    assert "12,000" in a.text and "Award family = AX-1" in a.description
    alone = ask(sheet, "How many Falcon hours has AX-1 been awarded?")
    assert "10,000" in alone.text and "12,000" not in alone.text


def test_the_machine_in_a_span_names_the_column(sheet: Path) -> None:
    a = ask(sheet, "How many Heron node-hours has Tarn University used?")
    assert "16,000" in a.text and "Heron (CPU) Used" in a.description


def test_what_is_left_is_awarded_less_used(sheet: Path) -> None:
    a = ask(sheet, "What's the total remaining on Heron across the active awards?")
    assert "15,000" in a.text  # AX-1 only: 20,000 - 5,000
    assert "Heron (CPU) Awarded less Heron (CPU) Used" in a.description


def test_a_blank_the_header_explains_is_that_value(sheet: Path) -> None:
    a = ask(sheet, "Which awards are pending?")
    assert "AX-2" in a.text and "AX-1" not in a.text


def test_running_on_a_day_is_the_dates_not_todays_status(sheet: Path) -> None:
    a = ask(sheet, "Which awards were still running on 2025-03-01?")
    assert "AX-3" in a.text and "AX-1" in a.text  # AX-3 is Closed now, but ran then
    assert "AX-1-S1" not in a.text and "Status" not in a.description  # it started in April
