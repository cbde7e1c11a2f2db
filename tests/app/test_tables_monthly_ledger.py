"""The planner on a monthly ledger: one row per project per month, amounts written "$3.4k" and
"-$200" (a refund), each project's award repeated on every one of its rows, a notes column in
sentences with semicolons (quoted), and a footer line under the table. Semicolons separate the
cells, while commas group thousands inside unquoted cells.
The file is written here and loaded into a real DuckDB file; sums are checked exactly. Every
name and number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders.csv_table import read_table
from ingest.tabular import parse_number
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

LEDGER = (
    "Month;Project;State;Provider;Charged;Award;Start;Notes\n"
    'Jan-25;LX-101;OH;Alder;$1.2k;$10k;01/06/2025;"first month; setup only"\n'
    "Feb-25;LX-101;OH;Alder;$2,000;$10k;01/06/2025;-\n"
    "Feb-25;LX-102;OH;Birchline;$500;$4,000;02/03/2025;-\n"
    "Mar-25;LX-102;OH;Birchline;-$200;$4,000;02/03/2025;refund of a duplicate charge\n"
    "Apr-25;LX-103;PA;Alder;$3.5k;$20k;04/14/2025;-\n"
    'May-25;LX-103;PA;Alder;$1,500;$20k;04/14/2025;"paused half of May; see ticket 9"\n'
    "Amounts are US dollars of cloud credit, exported 2025-06-01.\n"
)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ledger as a typed table in a real DuckDB file."""
    meta = SourceMeta("ledger.csv", title="Lakeside Credit Ledger")
    return table_index(tmp_path_factory.mktemp("ledger"), LEDGER, meta, clean=False)


def test_shortened_amounts_and_refunds_are_numbers() -> None:
    assert [parse_number(v) for v in ("$1.2k", "$10k", "-$200", "2.5M", "n/a")] == [
        1200.0, 10000, -200, 2500000.0, None]  # fmt: skip


def test_a_footer_line_is_a_note_not_a_row() -> None:
    _, table = read_table(LEDGER, "Ledger")
    assert table.rows[-1][1] == "LX-103"
    assert any("below the table as notes" in w for w in table.warnings)


def test_charges_add_up_across_the_rows_with_the_refund(ledger: Path) -> None:
    a = ask(ledger, "What's the total charged on Alder across all projects?")
    assert "8,200" in a.text  # 1,200 + 2,000 + 3,500 + 1,500


def test_an_award_repeated_on_each_row_is_counted_once_per_project(ledger: Path) -> None:
    a = ask(ledger, "What's the total award amount for projects in Ohio?")
    assert "14,000" in a.text and "28,000" not in a.text  # 10,000 + 4,000, not per row
    assert "counted once" in a.text


def test_words_of_notes_do_not_filter_rows(ledger: Path) -> None:
    a = ask(ledger, "How much was charged per provider?")
    assert "Notes" not in a.text.split("\n")[0]
    assert "8,200" in a.text and "300" in a.text  # Birchline: 500 - 200


def test_a_date_with_or_later_is_open_ended(ledger: Path) -> None:
    a = ask(ledger, "Which projects started in February 2025 or later?")
    assert "LX-102" in a.text and "LX-103" in a.text and "LX-101" not in a.text


def test_a_span_of_months_said_with_through(ledger: Path) -> None:
    a = ask(ledger, "Which projects started January through February 2025?")
    assert "LX-101" in a.text and "LX-102" in a.text and "LX-103" not in a.text
