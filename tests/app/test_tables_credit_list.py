"""The planner on a cloud and API credit award list: a Credit Type column that holds each
row's unit (dollars of cloud credit, dollars of API credit, or tokens), money written "$50,000"
in some cells and plain in others, and a pending award. The file is written here and loaded
into a real DuckDB file; sums and rows are checked exactly. Every name and number is made up
for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

CREDITS = (
    "Award ID,PI,State,Provider,Credit Type,Awarded,Spent to Date,Status\n"
    'CR-01,Ana Voss,WA,AWS,Cloud credits (USD),"$60,000",41000,Active\n'
    "CR-02,Ben Ilo,OR,AWS,Cloud credits (USD),20000,20000,Closed\n"
    "CR-03,Cy Mara,WA,Quill AI,API credits (USD),15000,3000,Active\n"
    'CR-04,Di Roan,CA,Quill AI,Tokens,"50,000,000",12000000,Active\n'
    "CR-05,Ed Sato,CA,AWS,Cloud credits (USD),30000,,Pending\n"
)


@pytest.fixture(scope="module")
def credits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The list as a typed table in a real DuckDB file."""
    meta = SourceMeta("credits.csv", title="Dell Valley Credit Awards", as_of="2025-10-31")
    return table_index(tmp_path_factory.mktemp("credits"), CREDITS, meta, clean=False)


def test_a_column_of_units_is_the_unit_column_and_tokens_are_no_dollars(credits: Path) -> None:
    a = ask(credits, "What is the largest award on the list?")
    assert "50,000,000 Tokens" in a.text and "$50,000,000" not in a.text


def test_dollars_keep_the_dollar_rows(credits: Path) -> None:
    a = ask(credits, "Which awards are worth more than $25,000?")
    assert a.text.startswith("2 ") and "CR-01" in a.text and "CR-05" in a.text
    assert "CR-04" not in a.text  # 50 million tokens is no dollar amount


def test_the_programs_own_voice_and_rows_counted_in(credits: Path) -> None:
    ours = ask(credits, "How many awards do we have in Washington?")
    assert ours.text.startswith("2 ")
    total = ask(credits, "How many dollars of AWS credits have we awarded, pending ones included?")
    assert "110,000" in total.text  # 60000 + 20000 + 30000: the pending award counted in
