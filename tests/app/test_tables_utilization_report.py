"""The planner on a utilization report saved from a spreadsheet: title and filter lines above
the header, amounts in thousands ("Allocated (k SUs)", "Used ($K)"), a percent-used column, a
totals line and footnotes below the rows, a footnote mark in a cell, and statuses Active,
Pending and Expired. The file is written here and loaded into a real DuckDB file; sums and rows
are checked exactly. Every name and number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.headers import header_scale
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

REPORT = (
    "Fernvale Computing Cooperative - Utilization Report,,,,,,,,,\n"
    "Generated: 02-Oct-2025,,,,,,,,,\n"
    ",,,,,,,,,\n"
    "Project,PI,Department,Resource,Allocated (k SUs),Used (k SUs),Allocated ($K),Used ($K),"
    "% Used,End Date,Status\n"
    'FC-1,"Moro, Ada",Dept. of Computer Science,Heron CPU,400,380,,,95.0%,31-Dec-2025,Active\n'
    'FC-2,"Tull, Bo",Dept. of Biology,Heron CPU,250,100,,,40.0%,30-Jun-2026,Active\n'
    'FC-3,"Ives, Cal",Dept. of Physics,Wren GPU,900,450,,,50.0%,15-Dec-2025,Active\n'
    'FC-4,"Pane, Dee",Dept. of Biology,Gannet Cloud,,,80,60*,75.0%,31-Mar-2026,Active\n'
    'FC-5,"Roux, Eli",Dept. of Physics,Wren GPU,300,,,,,31-Jan-2027,Pending\n'
    'FC-6,"Núñez, Flo",Dept. of Chemistry,Gannet Cloud,,,40,40,100.0%,31-Aug-2025,Expired\n'
    "Total,,,,1850,930,120,100,,,\n"
    "* Cloud usage as of 30-Sep-2025.,,,,,,,,,\n"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report as a typed table in a real DuckDB file."""
    meta = SourceMeta("report.csv", title="Fernvale Utilization Report", as_of="2025-10-02")
    return table_index(tmp_path_factory.mktemp("report"), REPORT, meta, clean=False)


def test_a_header_scale_is_read_and_units_without_one_are_left() -> None:
    assert header_scale("k SUs") == (1000, "SUs")
    assert header_scale("$K") == (1000, "USD")
    assert header_scale("thousands of GPU-hours") == (1000, "GPU-hours")
    for unit in ("km", "kWh", "MB", "min", "SUs", "GPU-hours"):
        assert header_scale(unit) is None, unit


def test_amounts_in_thousands_answer_in_whole_units_and_as_written(report: Path) -> None:
    a = ask(report, "How many SUs have the active Wren GPU projects used so far?")
    assert "450,000 SUs" in a.text and "(450 k SUs)" in a.text
    cloud = ask(report, "How many dollars of Gannet Cloud credit do active projects hold?")
    assert "$80,000 USD" in cloud.text  # FC-4 only: FC-6 has expired
    # the totals line is no allocation: four active compute projects hold 1,550 k SUs
    total = ask(report, "What is the total allocated to active projects, in thousands of SUs?")
    assert "1,550,000 SUs" in total.text and "(1,550 k SUs)" in total.text


def test_what_is_left_is_allocated_less_used(report: Path) -> None:
    # FC-1 has 20 k SUs left, FC-2 150 k, FC-3 450 k; FC-5 is pending, not active
    left = ask(report, "Which active allocations have fewer than 100,000 SUs left?")
    assert left.text.startswith("1 project") and "FC-1" in left.text
    assert "Allocated (k SUs) less Used (k SUs) < 100,000 " in left.text
    more = ask(report, "Which active allocations have more than 100,000 SUs left?")
    assert more.text.startswith("2 ") and "FC-2" in more.text and "FC-3" in more.text


def test_an_everyday_word_is_no_slip_for_a_name(report: Path) -> None:
    # "compute" is a word as written, not a misspelt "Computer" of Dept. of Computer Science
    a = ask(report, "Who has the biggest compute award that is still active?")
    assert "FC-3" in a.text and "Computer Science" not in a.text.split("[S1]")[0]


def test_statuses_in_everyday_words_and_a_month_of_the_report_year(report: Path) -> None:
    live = ask(report, "How many allocations are live right now?")
    assert live.text.startswith("4 ")
    waiting = ask(report, "How many service units sit in allocations that haven't started yet?")
    assert "300,000 SUs" in waiting.text  # FC-5, the pending one
    december = ask(report, "Which active allocations run out this December?")
    assert december.text.startswith("2 ") and "FC-1" in december.text and "FC-3" in december.text


def test_a_percentage_column_answers_what_percentage(report: Path) -> None:
    a = ask(report, "What percentage of his allocation has Bo Tull used?")
    assert "40 %" in a.text and "FC-2" in a.text
