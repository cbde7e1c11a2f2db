"""The planner on a usage report: allocated, used and remaining amounts with their units in the
cells, a share-used column, a project listed once per resource (its title and lead only in
its first row), and a subtotal row. The CSV is written here and loaded into a real DuckDB
file; rows and sums are checked exactly. Every name and number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

USAGE = (
    "Award,Title,Lead,Machine,Granted,Spent,Left,% Spent,State,Comments\n"
    'AW-01,Glacier melt model,"Ivers, Ana",Birch,"10,000 SU","9,500 SU",500 SU,95%,Active,'
    "asked for more; see ticket 14\n"
    "AW-01,,,Birch-GPU,2k GPU-h,500 GPU-h,1.5k GPU-h,25%,Active,\n"
    'AW-02,Soil carbon survey,"Ruiz, Ben",Birch,"4,000 SU","3,000 SU","1,000 SU",75%,Active,\n'
    'AW-03,Tide gauge archive,"Kim, Jo",Birch-GPU,"1,000 GPU-h",980 GPU-h,20 GPU-h,98%,'
    "Expired,\n"
    'AW-04,River ice imaging,"Oduya, Pat",Birch,"8,000 SU","7,800 SU",200 SU,98%,Active,\n'
    'AW-04,,,Birch-GPU,"3,000 GPU-h",300 GPU-h,"2,700 GPU-h",10%,Active,\n'
    'Subtotal,,,Birch,"22,000 SU","20,300 SU","1,700 SU",,,\n'
)


@pytest.fixture(scope="module")
def usage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The usage report as a typed table in a real DuckDB file."""
    meta = SourceMeta("usage.csv", title="Birch Award Usage Report")
    return table_index(tmp_path_factory.mktemp("usage"), USAGE, meta, clean=False)


def test_a_bound_with_a_percent_sign_is_on_the_share_column(usage: Path) -> None:
    a = ask(usage, "Which active awards are over 90% spent?")
    assert "AW-01" in a.text and "AW-04" in a.text and "AW-02" not in a.text
    assert "AW-03" not in a.text  # expired


def test_burned_and_left_name_the_spent_and_left_columns(usage: Path) -> None:
    a = ask(usage, "How many GPU-hours have been burned on Birch-GPU so far?")
    assert "1,780" in a.text  # 500 + 980 + 300
    a = ask(usage, "How much does Ivers have left?")
    assert "500" in a.text and "1,500" in a.text


def test_the_subtotal_row_is_no_award_and_projects_are_counted_once(usage: Path) -> None:
    a = ask(usage, "How many awards are in the report?")
    assert a.text.startswith("4 different Award")  # an award over two machines counts once
    a = ask(usage, "What is the total granted on Birch in SU?")
    assert "22,000" in a.text and "44,000" not in a.text  # the subtotal is not added again


def test_rows_are_shown_by_award_not_by_comments(usage: Path) -> None:
    a = ask(usage, "Which awards are on Birch-GPU?")
    assert "AW-01" in a.text and "AW-03" in a.text and "AW-04" in a.text
    assert "ticket 14" not in a.text
