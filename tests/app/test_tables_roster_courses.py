"""The planner on a classroom roster: one row per course offering, a Course column that names
the rows, Students beside a per-student amount and the awarded total, a per-row Unit written
two ways for one unit, and start and end dates. The file is written here and loaded into a
real DuckDB file; sums, counts and rankings are checked exactly. Every name and number is made
up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings
from app.tables import answer_from_tables
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

ROSTER = (
    "Course,Section,Title,Institution,Term,Start,End,Students,Resource,Unit,Per Student,"
    "Awarded,Used to Date,Status\n"
    "GEO 210,1,Map Lab,Harl College,Fall 2025,01-Sep-2025,12-Dec-2025,30,Pike GPU,GPU hours,"
    "20,600,410,Active\n"
    "GEO 210,2,Map Lab,Harl College,Fall 2025,01-Sep-2025,12-Dec-2025,25,Pike GPU,GPU hours,"
    "20,500,380,Active\n"
    "BIO 330,1,Sequence Lab,Oren University,Fall 2025,03-Sep-2025,05-Dec-2025,12,Pike GPU,"
    "GPU-hrs,150,1800,900,Active\n"
    "ECO 120,1,Data Methods,Oren University,Fall 2025,02-Sep-2025,19-Dec-2025,40,Sail Cloud,"
    "USD,120,4800,1200,Active\n"
    "CHE 400,1,Molecules,Harl College,Spring 2026,12-Jan-2026,08-May-2026,18,Pike GPU,"
    "GPU hours,60,1080,0,Approved\n"
    "ART 105,1,Image Models,Tarn Institute,Spring 2026,12-Jan-2026,01-May-2026,22,Sail Cloud,"
    "USD,50,1100,0,Approved\n"
    "PHY 500,1,Simulation,Tarn Institute,Spring 2025,13-Jan-2025,09-May-2025,16,Pike GPU,"
    "GPU hours,90,1440,1400,Completed\n"
)


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The roster as a typed table in a real DuckDB file."""
    title = "Pike Consortium Course Roster, 2025-11-20"
    meta = SourceMeta("roster.csv", title=title, as_of="2025-11-20")
    return table_index(tmp_path_factory.mktemp("roster"), ROSTER, meta, clean=False)


def test_classes_are_the_rows_and_lists_show_the_course(roster: Path) -> None:
    a = ask(roster, "List the Fall 2025 classes that use Sail Cloud.")
    assert a.text.startswith("1 ") and "ECO 120" in a.text
    n = ask(roster, "How many course allocations are on the roster?")
    assert n.text.startswith("7 ")


def test_used_to_date_is_named_by_used(roster: Path) -> None:
    a = ask(roster, "How much has been used so far on each resource?")
    assert "3,090" in a.text  # Pike GPU: 410 + 380 + 900 + 0 + 1400, both unit spellings
    assert "1,200" in a.text  # Sail Cloud: 1200 + 0


def test_each_student_names_the_per_student_column(roster: Path) -> None:
    a = ask(roster, "Which Pike GPU courses give each student more than 50 GPU hours?")
    assert a.text.startswith("3 ")  # 150, 60 and 90 per student; GEO 210 gives 20
    assert "BIO 330" in a.text and "CHE 400" in a.text and "PHY 500" in a.text
    assert "GEO 210" not in a.text


def test_a_count_of_students_has_no_compute_unit(roster: Path) -> None:
    a = ask(roster, "How many students are in the active courses?")
    assert "107" in a.text  # 30 + 25 + 12 + 40, one total, not one per unit
    assert "GPU hours" not in a.text.split("Computed")[0]


def test_one_unit_in_two_spellings_ranks_as_one(roster: Path) -> None:
    a = ask(roster, "What's the largest GPU-hour award on the roster, and which course is it for?")
    assert "BIO 330" in a.text and "1,800" in a.text  # written "GPU-hrs", still a GPU hour
    second = ask(roster, "What is the second-largest GPU-hour award?")
    assert "PHY 500" in second.text


def test_an_end_event_beside_a_status_and_not_started_yet(roster: Path) -> None:
    a = ask(roster, "Which active classes wrap up before 10 December 2025?")
    assert "BIO 330" in a.text and "GEO 210" not in a.text and "ECO 120" not in a.text
    b = ask(roster, "How many classes have been approved but haven't started yet?")
    assert b.text.startswith("2 ")


def test_an_amount_in_the_unit_columns_unit_is_a_sum(roster: Path) -> None:
    given = ask(roster, "How many Pike hours has Harl College been given?")
    assert "2,180" in given.text  # 600 + 500 + 1080, the GPU-hour awards of Harl College
    ours = ask(roster, "How many GPU hours have we handed out on Pike GPU altogether?")
    assert "5,420" in ours.text  # the program's own "we", not a personal situation


def test_held_by_names_who_holds_the_rows_not_a_breakdown(sample_settings: Settings) -> None:
    a = answer_from_tables(
        "Which awards are held by institutions in Louisiana?", sample_settings.paths.index_dir
    )
    assert a is not None and a.text.startswith("2 allocations where state = LA")
