"""The planner on a provider's monthly usage report (one row per project and resource, a
running 'Used to Date' beside one month's 'Used Mar 2026', a '% Used' share, a per-row Unit
column, a 'Report total' line). The file is written here and loaded into a real DuckDB file;
sums are checked exactly. Every name and number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

REPORT = (
    "Project,PI,Institution,Resource,Unit,Awarded,Used to Date,Used Mar 2026,% Used,"
    "Last Activity,Status\n"
    'QX-101,"Vale, Ines",Tarn University,Kite GPU,GPU-hours,10000,4000,500,40%,2026-03-20,Active\n'
    'QX-102,"Moss, Obi",Fell College,Kite GPU,GPU-hours,5000,5500,900,110.0%,2026-03-28,Active\n'
    'QX-103,"Lund, Cy",Tarn University,Wren Storage,TB,50,12.5,0.4,25.0%,2026-03-02,Active\n'
    'QX-104,"Vale, Ines",Tarn University,Wren Storage,TB,20,8.1,0.0,40.5%,2026-01-15,Active\n'
    'QX-105,"Park, Jo",Fell College,Kite GPU,GPU-hours,8000,0,0,0.0%,,Active\n'
    'QX-106,"Ruiz, Al",Dale Institute,Kite GPU,GPU-hours,2000,1000,0,50.0%,2025-11-30,Expired\n'
    "Report total,,,,,65070,10520.6,1400.4,,,\n"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report as a typed table in a real DuckDB file."""
    meta = SourceMeta("usage.csv", title="Kite Center Usage Report", as_of="2026-03-31")
    return table_index(tmp_path_factory.mktemp("usage"), REPORT, meta, clean=False)


def test_the_report_total_line_is_not_a_project(report: Path) -> None:
    a = ask(report, "How many different projects are in the usage report?")
    assert a.text.startswith("6 ") and "Report total" not in a.text  # 6 projects, no total


def test_used_adds_the_running_total_not_the_share_or_one_month(report: Path) -> None:
    so_far = ask(report, "How many GPU-hours have been used on Kite so far, all projects together?")
    assert "10,500" in so_far.text and "%" not in so_far.description
    march = ask(report, "how many GPU-hours did Kite burn in March?")
    assert "1,400" in march.text and "Used Mar 2026" in march.description


def test_a_unit_written_out_matches_its_short_form(report: Path) -> None:
    a = ask(report, "How many terabytes are currently in use on Wren?")
    assert "20.6" in a.text and "20.60" not in a.text  # 12.5 + 8.1, printed as the table does


def test_unspent_is_awarded_less_used(report: Path) -> None:
    a = ask(report, "How many GPU-hours are still unspent on Kite across the active projects?")
    assert "13,500" in a.text  # (10000 - 4000) + (5000 - 5500) + (8000 - 0)


def test_untouched_and_overspent_awards(report: Path) -> None:
    idle = ask(report, "How many projects haven't touched their allocation yet?")
    assert idle.text.startswith("1 ") and "QX-105" in idle.text and "QX-101" not in idle.text
    over = ask(report, "Has anyone gone past their award?")
    assert "QX-102" in over.text and "QX-101" not in over.text


def test_who_and_whose_lists_name_the_person(report: Path) -> None:
    who = ask(report, "Who has storage on Wren?")
    assert "Lund, Cy" in who.text and "Vale, Ines" in who.text and "Moss" not in who.text
    last = ask(report, "Whose last activity was back in 2025?")
    assert "Ruiz, Al" in last.text and "Park" not in last.text


def test_what_a_holder_has_lists_its_rows(report: Path) -> None:
    a = ask(report, "What does Fell College have on the report?")
    assert "QX-102" in a.text and "QX-105" in a.text and "QX-101" not in a.text


def test_decimals_print_as_tables_write_them() -> None:
    from app.tables.render import _fmt

    assert [_fmt(328.4), _fmt(11166.666), _fmt(2.001), _fmt(1200.0)] == [
        "328.4",
        "11,166.67",
        "2",
        "1,200",
    ]
