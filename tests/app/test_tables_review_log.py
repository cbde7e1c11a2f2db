"""The planner on a request review log: a title line above the header, requested and granted
amounts in one column per resource with the unit in the header ("Granted Fir GPU-h", "Granted
Oak SU"), usage as a fraction in one column and as a percentage in another, e-mail addresses
instead of institutions, fiscal quarters in a column not named for them, and several requests
per project. The CSV is written here and loaded into a real DuckDB file; rows and sums are
checked exactly. Every name and number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders.csv_table import read_table
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

LOG = (
    "Willowmere Computing Consortium - request review log (exported 2025-09-30),,,,,,,\n"
    "Request,Project,PI email,Round,Submitted,Granted Fir GPU-h,Granted Oak SU,Fir used,"
    "Oak used %\n"
    "R-01,WC-1,ana@brackenford.edu,FY25 Q1,2024-11-04,4000,100000,0.91,40%\n"
    "R-02,WC-2,ben@cs.brackenford.edu,FY25 Q2,2025-02-10,2000,,0.35,\n"
    "R-03,WC-3,cy@tollhurst.org,FY25 Q2,2025-03-03,,50000,,95%\n"
    "R-04,WC-1,ana@brackenford.edu,FY25 Q3,2025-05-20,1000,20000,0.85,10%\n"
    "R-05,WC-4,dee@tollhurst.org,FY25 Q4,2025-08-12,3000,,0.10,\n"
)


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review log as a typed table in a real DuckDB file."""
    meta = SourceMeta("review.csv", title="Willowmere Request Review Log")
    return table_index(tmp_path_factory.mktemp("review"), LOG, meta, clean=False)


def test_a_title_line_is_not_the_header_and_units_come_from_the_headers() -> None:
    _, table = read_table(LOG, "Review log")
    names = [c.name for c in table.columns]
    assert names[:3] == ["Request", "Project", "PI email"]
    units = {c.name: c.unit for c in table.columns}
    assert units["Granted Fir GPU-h"] == "GPU hours" and units["Granted Oak SU"] == "SUs"
    assert units["Fir used"] == "%" and units["Oak used %"] == "%"
    assert any("above the header as a title" in w for w in table.warnings)


def test_an_amount_named_by_resource_and_unit_is_summed_from_its_own_column(log: Path) -> None:
    a = ask(log, "What is the total Oak SU granted per fiscal quarter?")
    assert "100,000" in a.text and "50,000" in a.text and "20,000" in a.text
    a = ask(log, "How many requests came in per fiscal quarter?")
    assert "FY25 Q2: 2" in a.text


def test_a_fraction_column_is_a_percentage_and_percent_said_in_words(log: Path) -> None:
    a = ask(log, "Which requests have used more than 80 percent of their Fir GPU hours?")
    assert "R-01" in a.text and "R-04" in a.text
    assert "R-02" not in a.text and "R-03" not in a.text  # R-03 is 95% of its Oak SUs


def test_the_first_half_of_a_year_is_a_span_of_dates_not_a_share(log: Path) -> None:
    a = ask(log, "How many requests were submitted in the first half of 2025?")
    assert a.text.startswith("3 requests")


def test_projects_are_counted_once_when_rows_are_requests(log: Path) -> None:
    a = ask(log, "How many distinct projects are in the review log?")
    assert a.text.startswith("4 different Project")


def test_an_institution_is_found_by_its_e_mail_domain(log: Path) -> None:
    a = ask(log, "How many requests came from Brackenford University?")
    assert a.text.startswith("3 requests")  # ana twice and ben at cs.brackenford.edu
