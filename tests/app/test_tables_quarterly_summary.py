"""The planner on a quarterly summary by institution: one row per institution and quarter
written "Q1 2025", a Subtotal line after each quarter (its first cell is the quarter), an
Awards column that counts awards per row, and counts of people per row. The file is written
here and loaded into a real DuckDB file; sums and rows are checked exactly. Every name and
number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

SUMMARY = (
    "Quarter,Institution,Institution Type,Awards,First-Time PIs,GPU Hours Awarded\n"
    "Q3 2025,Orla University,R1,3,2,90000\n"
    "Q3 2025,Fenn College,Community College,1,0,4000\n"
    "Q3 2025,Subtotal,,4,2,94000\n"
    "Q4 2025,Orla University,R1,2,0,60000\n"
    "Q4 2025,Marsh State University,R2,2,3,30000\n"
    "Q4 2025,Fenn College,Community College,1,1,6000\n"
    "Q4 2025,Subtotal,,5,4,96000\n"
)


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The summary as a typed table in a real DuckDB file."""
    title = "Tarn Compute Program, Quarterly Allocation Summary by Institution, Q3 2025 to Q4 2025"
    meta = SourceMeta("summary.csv", title=title, as_of="2026-01-05")
    return table_index(tmp_path_factory.mktemp("summary"), SUMMARY, meta, clean=False)


def test_subtotal_lines_beside_their_quarter_are_not_rows(summary: Path) -> None:
    a = ask(summary, "What's the total number of GPU hours awarded in the summary?")
    assert "190,000" in a.text and "380,000" not in a.text  # 94000 + 96000, never doubled


def test_a_column_counting_awards_is_summed_and_quarters_print_as_written(summary: Path) -> None:
    n = ask(summary, "How many awards were made in Q4 2025?")
    assert n.text.startswith("The total Awards") and "5 (3 rows)" in n.text
    most = ask(summary, "Which quarter had the most awards, and how many were there?")
    assert "Q4 2025: 5" in most.text and "2025-Q4" not in most.text


def test_counts_of_people_bounded_in_words(summary: Path) -> None:
    two = ask(
        summary, "Which institutions brought in two or more first-time PIs in a single quarter?"
    )
    assert "Orla University" in two.text and "Marsh State University" in two.text
    assert "Fenn College" not in two.text
    none = ask(summary, "Which schools had no first-time PIs in Q4 2025?")
    assert none.text.startswith("1 ") and "Orla University" in none.text


def test_a_breakdown_by_a_two_word_header(summary: Path) -> None:
    a = ask(summary, "Break down the GPU hours by institution type.")
    assert "R1: 150,000" in a.text and "Orla University:" not in a.text
