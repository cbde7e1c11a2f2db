"""The planner on a compute-award export: amounts with space-grouped thousands and a unit
column of their own, affiliations written as 'Dept., Univ.' in either order, places as state
codes, state names and countries, and starts given as ISO weeks or quarters. The CSV is
written here and loaded into a real DuckDB file; rows and sums are checked exactly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.tabular import parse_date, parse_number
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

# Every name and number below is made up for this test.
GRANTS = (
    "Scheme,Grant No,Lead,Home,Region,System,Hours,Unit,Begins,Months,Area,Renewed\n"
    'Frontier 2025,FR25-01,Dr. Ada K. Moreau,"Dept. of Physics, Univ. of Pinecrest",OR,'
    "Halley (Max),10 000,node-hours,2025-W02,12,Physics,no\n"
    'Frontier 2025,FR25-02,Prof. Ben Ortiz,"Pinecrest University, Dept. of Chemistry",Oregon,'
    "halley-gpu,24 000,GPU-hours,Q1 2025,12,Chemistry,no\n"
    'Frontier 2025,FR24-09-R1,Dr. Ada K. Moreau,"Dept. of Physics, University of Pinecrest",'
    "OR,Halley,2 500,node-hours,2025-W28,6,Physics,yes\n"
    'Starter,ST-2025-11,Dr. Chen Yu,"Lab for Vision, Marsh Point Inst. of Technology",NV,'
    "halley-gpu,1 500,GPU-hours,2025-W10,3,AI/ML,no\n"
    'Starter,ST-2025-11-R,Dr. Chen Yu,"Lab for Vision, Marsh Point Institute of Technology",'
    "Nevada,Halley,800,node-hours,Q3 2025,6,AI/ML,yes\n"
    'Starter,ST-2025-14,Dr. Ines Faro,"Dept. of Maths, Univ. of Coimbra Norte",Portugal,'
    'Brine (CPU),"300,000",core-hours,2025-W10,3,Mathematics,no\n'
    "Industry,IN_2025_01,Ms. Rae Lund,Quill Data LLC,JP,Brine (CPU),120 000,core-hours,"
    "Q4 2025,12,Engineering,no\n"
    'Industry,IN_2025_02,Mr. Tom Vell,"Quill Data, LLC",Japan,halley-gpu,6 000,GPU-hours,'
    "2026-W05,6,Engineering,no\n"
)


@pytest.fixture(scope="module")
def grants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The grant export as a typed table in a real DuckDB file."""
    meta = SourceMeta("grants.csv", title="Compute Grants by Scheme")
    return table_index(tmp_path_factory.mktemp("grants"), GRANTS, meta, clean=True)


def test_space_grouped_thousands_are_numbers() -> None:
    """'12 500' and '12\u00a0500' read as 12500; a year beside a number stays no number."""
    assert parse_number("12 500") == 12500
    assert parse_number("1 200 000") == 1200000
    assert parse_number("12\u00a0500") == 12500
    assert parse_number("2025 100") is None
    assert parse_number("12 50") is None


def test_sum_in_the_unit_asked(grants: Path) -> None:
    """A total in one unit adds only that unit's rows, with the space-grouped cells counted."""
    a = ask(grants, "What is the total number of core-hours awarded on Brine?")
    assert "420,000" in a.text
    assert sorted(a.rows) == [6, 7]


def test_sum_across_units_is_given_per_unit(grants: Path) -> None:
    """A system whose rows are in two units is totalled per unit, never added across."""
    a = ask(grants, "How many hours were awarded on Halley in total?")
    assert "13,300 node-hours" in a.text and "31,500 GPU-hours" in a.text
    assert sorted(a.rows) == [1, 2, 3, 4, 5, 8]


def test_machine_named_alone_brings_its_partitions(grants: Path) -> None:
    """'Halley' counts 'Halley (Max)' and 'halley-gpu'; a partition named keeps to itself."""
    assert sorted(ask(grants, "Which grants run on Halley?").rows) == [1, 2, 3, 4, 5, 8]
    assert sorted(ask(grants, "Which grants run on halley-gpu?").rows) == [2, 4, 8]


def test_iso_weeks_and_quarters_are_dates() -> None:
    """A week is read as its Monday, a quarter as its first day; a week past 53 is no date."""
    assert parse_date("2025-W10") == date(2025, 3, 3)
    assert parse_date("2026-W05") == date(2026, 1, 26)
    assert parse_date("Q3 2025") == date(2025, 7, 1)
    assert parse_date("2025-Q4") == date(2025, 10, 1)
    assert parse_date("2025-W54") is None


def test_starts_in_a_quarter_count_weeks_by_their_monday(grants: Path) -> None:
    """A quarter asked covers the quarters written so and the weeks whose Monday falls in it."""
    a = ask(grants, "Which grants begin in the third quarter of 2025?")
    assert sorted(a.rows) == [3, 5]
    assert sorted(ask(grants, "Which grants began in the week of 3 March 2025?").rows) == [4, 6]
    assert sorted(ask(grants, "Which grants begin in 2026?").rows) == [8]


def test_states_and_countries_in_one_column(grants: Path) -> None:
    """A state by name finds its code too; a country by name finds its code, beside states."""
    a = ask(grants, "How many grants went to groups in Oregon?")
    assert a.spec.operation == "count" and "3" in a.text
    assert sorted(a.rows) == [1, 2, 3]
    assert sorted(ask(grants, "Which grants went to teams in Japan?").rows) == [7, 8]
    assert sorted(ask(grants, "List the grants for NV").rows) == [4, 5]
    assert sorted(ask(grants, "Which grants went to JP?").rows) == [7, 8]  # a country's code


def test_organisation_inside_a_joined_affiliation(grants: Path) -> None:
    """An organisation named alone finds its rows under any unit, order, short form or slip."""
    a = ask(grants, "What has the University of Pinecrest been awarded?")
    assert sorted(a.rows) == [1, 2, 3]
    assert sorted(ask(grants, "Which grants went to Marsh Point Tech?").rows) == [4, 5]
    assert sorted(ask(grants, "Did Quill Dta get any grants?").rows) == [7, 8]


def test_yes_no_column_named_by_the_question(grants: Path) -> None:
    """'renewals' keeps the rows marked yes; 'not renewed' those marked no."""
    assert sorted(ask(grants, "Which of the grants are renewals?").rows) == [3, 5]
    a = ask(grants, "Which grants on Brine were not renewed?")
    assert sorted(a.rows) == [6, 7]


def test_renewal_said_of_a_named_id_brings_its_follow_on(grants: Path) -> None:
    """'ST-2025-11 including its renewal' adds 'ST-2025-11-R' (totals per unit), no filter."""
    a = ask(grants, "How many hours did ST-2025-11 receive including its renewal?")
    assert sorted(a.rows) == [4, 5]
    assert "1,500 GPU-hours" in a.text and "800 node-hours" in a.text
    assert sorted(ask(grants, "What is grant ST-2025-11?").rows) == [4]


def test_a_hedge_is_no_personal_situation(grants: Path) -> None:
    """'I think' around a named person's total still asks the table, in the unit asked."""
    a = ask(grants, "Ada Moreau has two grants I think - how many node hours in total?")
    assert a.spec.operation == "sum" and "12,500" in a.text
    assert sorted(a.rows) == [1, 3]


def test_a_length_with_its_unit_is_a_value_of_that_column(grants: Path) -> None:
    """'12 months' is Months = 12; 'more than 6 months' stays a bound, not the value 6."""
    a = ask(grants, "How many grants run for a full 12 months?")
    assert a.spec.operation == "count" and sorted(a.rows) == [1, 2, 7]
    assert "3" in a.text
    b = ask(grants, "Which grants last more than 6 months?")
    assert not any(f.op == "in" and f.column == "Months" for f in b.spec.filters)


def test_values_of_a_column_going_by_the_rows_document(grants: Path) -> None:
    """'going by the grants sheet' points at the table: the systems asked are its values."""
    a = ask(grants, "What systems can you get hours on, going by the grants sheet?")
    assert a.spec.operation == "distinct" and a.spec.group_by == ("System",)
    for system in ("Halley (Max)", "halley-gpu", "Halley", "Brine (CPU)"):
        assert system in a.text


def test_a_week_asked_as_iso_week_or_in_words(grants: Path) -> None:
    """'2025-W10' and 'week 2 of 2025' are Monday to Sunday of those weeks."""
    assert sorted(ask(grants, "Which grants began in 2025-W10?").rows) == [4, 6]
    assert sorted(ask(grants, "Which grants began in week 2 of 2025?").rows) == [1]
