"""The planner on more table shapes: units in headers or cells, dollars, written dates, a year
column, abbreviated names, an amount column named like the rows. Each table is a CSV written
by the test into a real DuckDB file; rows and sums are checked exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.tables import answer_from_tables
from index.store import VERSIONS
from index.tables import read_catalog
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

# A third shape: no unit column, units in the headers, two date columns, a PI name column.
HEADER_UNITS = (
    "Project ID,PI Name,Organization,State,Field of Science,Allocation Type,Resource,"
    "GPU Hours,Storage (TB),Start Date,End Date\n"
    "P-101,Ana Ruiz,Coastal Plains University,GA,Oceanography,Explore,Delta,5000,2,"
    "2024-02-01,2025-01-31\n"
    "P-102,Ben Okafor,Granite Peak College,CO,Chemistry,Discover,Bridges-2,12000,10,"
    "2024-05-15,2025-05-14\n"
    "P-103,Chen Li,Coastal Plains University,GA,Computer Science,Accelerate,Delta,40000,25,"
    "2024-09-01,2025-08-31\n"
    "P-104,Dana Fox,Riverbend Institute,OH,Biology,Explore,Anvil,3000,1,2025-01-10,2025-07-09\n"
    "P-105,Eli Park,Granite Peak College,CO,Physics,Discover,Anvil,15000,8,2025-03-03,2026-03-02\n"
    "P-106,Fay Moss,Riverbend Institute,OH,Computer Science,Accelerate,Bridges-2,60000,40,"
    "2025-06-20,2026-06-19\n"
)


@pytest.fixture(scope="module")
def units_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index-version layout holding the header-units table."""
    base = tmp_path_factory.mktemp("header-units")
    return table_index(base, HEADER_UNITS, SourceMeta("awards.csv", title="Awards"))


def test_units_from_headers_and_the_named_measure(units_root: Path) -> None:
    (table,) = read_catalog(units_root / VERSIONS / "v1")
    units = {c.name: c.unit for c in table.columns if c.numeric}
    assert units == {"GPU Hours": "GPU hours", "Storage (TB)": "TB"}
    a = ask(units_root, "How many GPU hours did Coastal Plains University get?")
    assert "45,000 GPU hours (2 rows)" in a.text and a.rows == (1, 3)
    b = ask(units_root, "What is the combined storage of the Accelerate awards?")
    assert b.spec.measure == "Storage (TB)" and "65 TB (2 rows)" in b.text  # 25 + 40
    c = ask(units_root, "Which projects have more than 5 TB of storage?")
    assert c.rows == (2, 3, 5, 6)


def test_the_date_column_the_question_names(units_root: Path) -> None:
    assert ask(units_root, "Which projects started in 2024?").rows == (1, 2, 3)
    assert ask(units_root, "Which projects end in 2026?").rows == (5, 6)


def test_header_words_name_columns(units_root: Path) -> None:
    who = ask(units_root, "Who is the PI on P-103?")
    assert who.rows == (3,) and "Chen Li" in who.text
    top = ask(units_root, "Which field of science got the most GPU hours in total?")
    assert top.spec.group_by == ("Field of Science",) and not top.spec.filters
    assert "- Computer Science: 100,000 GPU hours (2 rows)" in top.text.splitlines()


def test_amounts_written_with_units_in_the_cells(tmp_path: Path) -> None:
    csv = (
        "Award,Institution,Amount\n"
        'X1,Harbor Tech,"5,000 GPU-hours"\n'
        "X2,Harbor Tech,200 node-hours\n"
        'X3,Juniper College,"1,500 GPU-hours"\n'
        'X4,Harbor Tech,"2,500 GPU-hours"\n'
    )
    root = table_index(tmp_path, csv, SourceMeta("cells.csv", title="Awards"))
    a = ask(root, "How many GPU-hours did Harbor Tech get in total?")
    assert a.rows == (1, 4) and "7,500 GPU-hours (2 rows)" in a.text
    b = ask(root, "How much did Harbor Tech receive altogether?")
    assert "7,500 GPU-hours" in b.text and "200 node-hours" in b.text and "7,700" not in b.text


# A fourth shape: API credits in dollars, the unit only in the header, written dates.
API = (
    "Recipient,PI,Provider,Credits (USD),Category,Date awarded,State\n"
    'Lakeview University,Jo Kim,OpenAI,25000,Research,"March 3, 2025",Texas\n'
    'Lakeview University,Sam Cho,Anthropic,10000,Education,"April 14, 2025",Texas\n'
    'Pinewood College,Ari Diaz,Google,5000,Education,"March 20, 2025",Oregon\n'
    'Summit Tech Institute,Lee Park,OpenAI,40000,Research,"May 1, 2025",Colorado\n'
    'Summit Tech Institute,Max Ruiz,Microsoft,15000,Research,"June 9, 2025",Colorado\n'
    'Bayside Community College,Ivy Chen,Anthropic,3000,Education,"June 30, 2025",Florida\n'
)


def test_api_credits_table(tmp_path: Path) -> None:
    root = table_index(tmp_path, API, SourceMeta("api.csv", title="API Credit Awards"))
    assert ask(root, "Which institutions got OpenAI or Anthropic credits?").rows == (1, 2, 4, 6)
    per = ask(root, "What is the total in USD per provider?")
    assert "- OpenAI: $65,000 USD (2 rows)" in per.text.splitlines()  # 25000 + 40000
    assert ask(root, "What is the largest API credit award?").rows == (4,)
    assert ask(root, "List the research awards over $20,000").rows == (1, 4)
    assert ask(root, "Which recipients are in TX?").rows == (1, 2)
    assert ask(root, "Which education awards were made in March 2025?").rows == (3,)
    for q in (
        "What is the largest credit award available?",
        "What is the minimum the program offers?",
    ):
        assert answer_from_tables(q, root) is None, q


def test_names_the_table_abbreviates(tmp_path: Path) -> None:
    csv = (
        "id,org,system,amount\n"
        "A1,Univ. of North Bend,Delta,100\n"
        "A2,North Bend State Univ.,Anvil,200\n"
        "A3,Univ. of South Ridge,Delta,300\n"
    )
    root = table_index(tmp_path, csv, SourceMeta("orgs.csv", title="Awards"))
    assert ask(root, "Which awards went to the University of North Bend?").rows == (1,)
    assert ask(root, "What did North Bend State University get?").rows == (2,)


# A fifth shape: the unit inside a qualified header ("Node Hours Awarded"), a title whose last
# word is not the row noun, a PI column named in full, states in an "Institution State" column.
CIS = (
    "Proposal Number,Project Name,Principal Investigator,Home Institution,Institution State,"
    "Discipline,Award Category,Allocated System,Node Hours Awarded,Award Start\n"
    "CIS250101,Neural operators for ocean circulation,Maria Lopez,Gulfport Marine University,"
    "Mississippi,Oceanography,Research,Expanse,12000,01/15/2025\n"
    "CIS250102,Benchmarking LLM inference on ARM,Tom Becker,Northfield College,Minnesota,"
    "Computer Science,Startup,Delta,500,02/01/2025\n"
    "CIS250103,Quantum chemistry surrogates,Priya Nair,Gulfport Marine University,Mississippi,"
    "Chemistry,Research,Delta,8000,02/20/2025\n"
    "CIS250104,Teaching GPU programming,Alan Wu,Northfield College,Minnesota,Computer Science,"
    "Education,Expanse,3000,03/05/2025\n"
    "CIS250105,Galaxy morphology classification,Ruth Adams,High Plains University,Kansas,"
    "Astronomy,Research,Frontera,20000,04/11/2025\n"
    "CIS250106,Crop stress detection,Omar Haddad,High Plains University,Kansas,Agriculture,"
    "Startup,Expanse,400,05/02/2025\n"
)


def test_qualified_headers_and_full_column_names(tmp_path: Path) -> None:
    root = table_index(tmp_path, CIS, SourceMeta("cis.csv", title="Compute Allocations Awarded"))
    (table,) = read_catalog(root / VERSIONS / "v1")
    assert table.column("Node Hours Awarded").unit == "Node hours"  # type: ignore[union-attr]
    a = ask(root, "How many node hours were awarded to Gulfport Marine University?")
    assert a.spec.operation == "sum" and "20,000 Node hours (2 rows)" in a.text
    assert ask(root, "What is the total node hours awarded in computer science?").rows == (2, 4)
    pi = ask(root, "Who is the principal investigator on CIS250105?")
    assert "Ruth Adams" in pi.text
    pis = ask(root, "Who are the PIs at Northfield College?")
    assert "Tom Becker" in pis.text and "Alan Wu" in pis.text
    state = ask(root, "Which state got the most node hours?")
    assert "- Kansas: 20,400 Node hours (2 rows)" in state.text.splitlines()


def test_amount_column_named_like_the_rows(tmp_path: Path) -> None:
    # "Allocation" is both what a row is and the amount column: "how many allocations" counts.
    csv = (
        "Project,Organization,Resource,Allocation,Units,Date\n"
        "Ice sheet emulators,Boreal University,Polaris,4000,node-hours,2024-11-04\n"
        "Speech corpora for Navajo,Four Corners College,Jetstream2,50000,SUs,2024-12-09\n"
        "Wildfire risk maps,Boreal University,Jetstream2,20000,SUs,2025-01-20\n"
        "Soil microbiome models,Delta Valley State,Polaris,1500,node-hours,2025-02-17\n"
    )
    root = table_index(tmp_path, csv, SourceMeta("alloc.csv", title="Allocations"))
    count = ask(root, "How many allocations did Boreal University get?")
    assert count.spec.operation == "count" and count.text.startswith("2 allocations")
    total = ask(root, "What is the total allocation for Boreal University?")
    assert "4,000 node-hours (1 row)" in total.text and "20,000 SUs (1 row)" in total.text
    assert "24,000" not in total.text


def test_year_column_and_plural_values(tmp_path: Path) -> None:
    csv = (
        "Award ID,Lead Organization,Organization Type,Platform,GPU Hours,Year\n"
        "A-01,Red Mesa University,University,Nova,12000,2023\n"
        "A-02,Tidewater Labs Inc.,Company,Nova,3000,2023\n"
        "A-03,Red Mesa University,University,Orion,8000,2024\n"
        "A-04,Blue Ridge College,College,Orion,2000,2024\n"
        "A-05,Tidewater Labs Inc.,Company,Orion,9000,2025\n"
    )
    root = table_index(tmp_path, csv, SourceMeta("gpu.csv", title="GPU Awards by Year"))
    a = ask(root, "Which awards were made in 2024?")
    assert a.rows == (3, 4) and "Year = 2024" in a.description  # a year has no comma
    per = ask(root, "How many GPU hours were awarded per year?")
    assert per.hit.chunk.text.splitlines()[1:4] == [
        "- 2023: 15,000 GPU hours (2 rows)",
        "- 2024: 10,000 GPU hours (2 rows)",
        "- 2025: 9,000 GPU hours (1 row)",
    ]
    assert ask(root, "Which companies got awards?").rows == (2, 5)
    assert "12,000 GPU hours (2 rows)" in ask(root, "How many GPU hours went to companies?").text


def test_written_dates_are_kept(tmp_path: Path) -> None:
    root = table_index(tmp_path, API, SourceMeta("api.csv", title="API Credit Awards"))
    a = ask(root, "Which awards were made in March 2025?")
    assert "March 3, 2025" in a.text and "March 20, 2025" in a.text  # as the table writes them
