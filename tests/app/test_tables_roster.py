"""The planner on a portal roster: tab-separated, group heading rows ("== Research ==") instead
of a type column, continuation lines that leave the PI blank, amounts written "~20,000",
"150,000*" and "two thousand", months written "Sept 2025", a per-row Units column, and note
lines under the table. The file is written here and loaded into a real DuckDB file; rows and
sums are checked exactly. Every name and number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders.csv_table import read_table
from ingest.tabular import parse_date, parse_number
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

ROSTER = (
    "Allocation #\tPI\tOrg\tResource\tAwarded\tUsed to date\tUnits\tStart\n"
    "== Research ==\n"
    "RES101\tOduya, Pat\tFenwick University\tKestrel (GPU)\t~20,000\t18,000\tGPU hrs\tJan 2025\n"
    "RES101\t\t\tMoraine (CPU)\t300,000\t120,000\tSU\tJan 2025\n"
    "RES102\tLund, Ines\tAshby College\tMoraine (CPU)\t150,000*\t40,000\tSU\tSept 2025\n"
    "== Education ==\n"
    "EDU201\tKaur, Sima\tFenwick University\tKestrel (GPU)\ttwo thousand\t500\tGPU hrs\tFeb 2025\n"
    "EDU202\tMoss, Dana\tAshby College\tKestrel (GPU)\t1,500\t1,400\tGPU hrs\tSept 2025\n"
    "* Supplement approved in August.\n"
    "Used to date is as of the export day, 30 Nov 2025.\n"
)


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The roster as a typed table in a real DuckDB file."""
    meta = SourceMeta("roster.tsv", title="Fenwick Consortium Allocation Roster")
    return table_index(tmp_path_factory.mktemp("roster"), ROSTER, meta, clean=False)


def test_cells_written_loosely_are_read_as_numbers_and_dates() -> None:
    assert [parse_number(v) for v in ("~20,000", "150,000*", "two thousand", "forty")] == [
        20000, 150000, 2000, 40]  # fmt: skip
    assert parse_number("three four") is None  # two numbers side by side are no one figure
    assert str(parse_date("Sept 2025")) == "2025-09-01"


def test_group_headings_become_a_type_column_and_notes_are_dropped() -> None:
    _, table = read_table(ROSTER, "Roster")
    types = [c.name for c in table.columns]
    assert types[-1] == "Type"
    assert [r[-1] for r in table.rows] == ["Research"] * 3 + ["Education"] * 2
    assert any("group heading" in w for w in table.warnings)


def test_a_group_names_its_rows(roster: Path) -> None:
    a = ask(roster, "How many education allocations include Kestrel time?")
    assert a.text.startswith("2 allocations")


def test_used_names_the_used_column(roster: Path) -> None:
    a = ask(roster, "How many SUs have been used on Moraine?")
    assert "160,000" in a.text  # 120,000 + 40,000, not the 450,000 awarded


def test_the_awards_of_a_group_add_up(roster: Path) -> None:
    a = ask(roster, "What is the total Kestrel GPU hours awarded to research allocations?")
    assert "20,000" in a.text and "23,500" not in a.text


SUMMARY = (
    "Birchwood Alliance - Utilization Summary FY2025,,,,,,\n"
    "Program codes: RES = Research; EDU = Education,,,,,,\n"
    "Institution,Project,Program,Resource,Hours Allocated,Hours Used,Remaining\n"
    'Harrow University,BW-01,RES,Spruce (GPU),"5,000","4,100",900\n'
    ',,,Cedar (CPU),"2,000","2,300","(300)"\n'
    ",BW-02,EDU,Spruce (GPU),800,200,600\n"
    'Lindell College,BW-03,RES,Cedar (CPU),"1,000",400,600\n'
    'Grand Total,,,,"8,800","7,000","1,800"\n'
    "Hours are GPU-hours on Spruce and node-hours on Cedar.,,,,,,\n"
)


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The utilization summary as a typed table in a real DuckDB file."""
    meta = SourceMeta("summary.csv", title="Birchwood Utilization Summary")
    return table_index(tmp_path_factory.mktemp("summary"), SUMMARY, meta, clean=False)


def test_a_block_written_once_is_filled_down_and_lines_around_are_dropped() -> None:
    _, table = read_table(SUMMARY, "Summary")
    assert [r[0] for r in table.rows] == ["Harrow University"] * 3 + ["Lindell College"]
    assert [r[1] for r in table.rows] == ["BW-01", "BW-01", "BW-02", "BW-03"]
    assert parse_number("(300)") == -300
    assert any("2 line(s) above the header" in w for w in table.warnings)


def test_used_hours_per_institution_come_from_the_used_column(summary: Path) -> None:
    a = ask(summary, "How many node-hours has each institution used on Cedar?")
    assert "2,300" in a.text and "400" in a.text and "(blank)" not in a.text
