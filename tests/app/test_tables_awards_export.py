"""The planner on a plain awards export: units inside the amount cells, a co-PI count, one
award on two rows (two resources under one number), full state names. The file is written
here and loaded into a real DuckDB file; counts and rows are checked exactly. Every name and
number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

EXPORT = (
    "Award Number,Principal Investigator,Co-PI Count,State,Resource,Awarded Amount\n"
    'AW-101,Ines Vale,3,Texas,Kite GPU,"30,000 GPU Hours"\n'
    "AW-101,Ines Vale,3,Texas,Wren Storage,40 TB\n"
    'AW-102,Obi Moss,1,Oregon,Kite GPU,"8,000 GPU Hours"\n'
    "AW-103,Cy Lund,4,Texas,Wren Storage,5 TB\n"
    'AW-104,Jo Park,,Ohio,Kite GPU,"20,000 GPU Hours"\n'
)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export as a typed table in a real DuckDB file."""
    meta = SourceMeta("export.csv", title="Kite Awards Export", as_of="2025-11-15")
    return table_index(tmp_path_factory.mktemp("export"), EXPORT, meta, clean=False)


def test_a_count_column_bounded_in_words_counts_awards_once(export: Path) -> None:
    a = ask(export, "How many awards have more than two co-PIs?")
    assert a.text.startswith("2 ")  # AW-101 (on two rows) and AW-103


def test_or_bigger_and_the_smallest_that_anyone_got(export: Path) -> None:
    big = ask(export, "Which GPU awards are 20,000 GPU hours or bigger?")
    assert "AW-101" in big.text and "AW-104" in big.text and "AW-102" not in big.text
    small = ask(export, "What's the smallest storage allocation anyone got?")
    assert "AW-103" in small.text and "5 TB" in small.text
