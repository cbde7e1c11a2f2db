"""The planner on what a table implies rather than writes: a blank decision that means "not
decided yet", an end date that says whether an award is still running on the table's as-of
day, a share of the award used when no percentage column exists, a state inside "City, ST",
a group named by a compound ("allocation type"), and awards counted per resource when one
award has several rows. The file is written here and loaded into a real DuckDB file; rows
and counts are checked exactly. Every name and number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders.csv_table import read_table
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

REVIEW = (
    "Award ID,PI,Location,Resource,Type,Awarded,Used,Start,End,Decision\n"
    'AW-01,Ruiz,"Salem, OR",Larch (GPU),Research,"10,000","9,500",2025-01-10,2025-12-31,approved\n'
    'AW-02,Chen,"Eugene, OR",Larch (GPU),Research,"4,000","1,000",2025-02-01,2025-05-31,approved\n'
    'AW-03,Patel,"Boise, ID",Larch (GPU),Classroom,"2,000","1,900",2025-03-01,,approved\n'
    'AW-03,Patel,"Boise, ID",Spar (CPU),Classroom,"6,000","500",2025-03-01,,approved\n'
    'AW-04,Okoro,"Tacoma, WA",Spar (CPU),Research,"8,000","7,800",2025-04-01,2025-11-30,declined\n'
    'AW-05,Hale,"Salem, OR",Spar (CPU),Research,"3,000",0,2025-06-01,2026-05-31,\n'
    'AW-06,Moss,"Provo, UT",Larch (GPU),Research,"5,000",0,2025-10-15,2026-10-14,\n'
)


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review sheet as a typed table, as of 30 September 2025."""
    meta = SourceMeta("review.csv", title="Larchmont Review Sheet", as_of="2025-09-30")
    return table_index(tmp_path_factory.mktemp("review"), REVIEW, meta, clean=False)


def test_a_city_and_state_cell_gives_a_state_column() -> None:
    _, table = read_table(REVIEW, "Review")
    names = [c.name for c in table.columns]
    assert names[names.index("Location") + 1] == "State"
    assert [r[names.index("State")] for r in table.rows] == [
        "OR", "OR", "ID", "ID", "WA", "OR", "UT"]  # fmt: skip
    blanks = {c.name: c for c in table.columns}
    assert blanks["Decision"].type == "text"


def test_a_state_named_in_full_finds_its_code(review: Path) -> None:
    a = ask(review, "Which awards are based in Oregon?")
    assert {"AW-01", "AW-02", "AW-05"} <= set(a.text.split()) | {
        w.strip(",.()") for w in a.text.split()
    }
    assert "AW-04" not in a.text and "AW-03" not in a.text


def test_a_blank_decision_is_pending(review: Path) -> None:
    a = ask(review, "Which awards are still waiting for a decision?")
    assert "AW-05" in a.text and "AW-06" in a.text
    assert "AW-01" not in a.text and "AW-04" not in a.text
    assert "Decision is blank" in a.description


def test_still_active_means_not_ended_by_the_as_of_day(review: Path) -> None:
    a = ask(review, "How many awards are still active?")
    # AW-02 ended in May, AW-06 starts in October; AW-03 has no end date, so it runs on; its
    # two rows (two resources) are one award (round 11: awards are counted by their id)
    assert a.text.startswith("4 different Award ID values"), a.text
    assert "AW-02" not in a.text and "AW-06" not in a.text and "AW-03 (2 rows)" in a.text
    assert "End on or after 2025-09-30 (or blank)" in a.description


def test_a_share_of_the_award_is_computed_from_two_columns(review: Path) -> None:
    a = ask(review, "Which awards have used more than 90% of what they were awarded?")
    assert "AW-01" in a.text and "AW-04" in a.text and "row 3" in a.text  # 95%, 97.5%, 95%
    assert "AW-02" not in a.text and "row 4" not in a.text  # 25% and 8.3%
    assert "Used as a share of Awarded > 90%" in a.description


def test_a_compound_names_one_group(review: Path) -> None:
    a = ask(review, "Break down the Larch hours awarded by award type.")
    assert "Research: 19,000" in a.text and "Classroom: 2,000" in a.text
    assert "per Type" in a.description and "Award ID" not in a.description


def test_awards_are_counted_per_resource_not_rows(review: Path) -> None:
    a = ask(review, "How many awards does each resource have?")
    assert "Larch (GPU): 4" in a.text and "Spar (CPU): 3" in a.text
