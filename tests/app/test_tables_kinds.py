"""A fourth table shape: amounts written with their unit, provinces beside states, one
department written several ways, a list of tags per cell, a BOM and a trailing empty column.

A made-up equipment-grant log (no column shares a name with the other test tables). Rows,
counts and sums are checked exactly against a real DuckDB file written from the CSV.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.store import CURRENT, VERSIONS
from index.tables import TableBatch, read_catalog
from ingest.loaders import load_bytes
from ingest.tabular import build_table
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

CSV = (
    "\ufeffRef,Awardee,Unit of origin,Institute,Prov/State,Scheme,Award size,Granted,Status,Tags,\n"
    'EQ-01,Ada Moss,Dept. of Geology,Northfield College,ON,Seed,"4,000 GPU-hrs",2025-01-10,'
    "Open,remote sensing; LLMs,\n"
    'EQ-02,Ben Ortiz,Geology,Redwater University,AB,Seed,"$2,500 credits",2025-02-03,'
    "Closed,mineral maps,\n"
    'EQ-03,Cy Park,Geology Department,Northfield College,ON,Core,"12,000 GPU-hrs",'
    '"Mar 5, 2025",Open,tutoring; speech,\n'
    'EQ-04,Di Ross,Mathematics,Austin Plains University,TX,Core,"$7,000 credits",2025-03-20,'
    "Open,graph LLM evaluation,\n"
    'EQ-05,Ed Wu,Dept. of Mathematics,Austin Plains University,TX,Seed,"1,000 GPU-hrs",'
    "2025-04-02,Pending,topology; analysis,\n"
    'EQ-06,Flo Kay,Botany,Texas Hill College,NM,Core,"$1,500 credits",2025-04-15,Pending,'
    "pollen; imaging,\n"
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index-version layout holding only the equipment-grant table."""
    meta = SourceMeta("equipment.csv", title="Equipment Grant Log (test table)")
    return table_index(tmp_path_factory.mktemp("equipment"), CSV, meta, clean=True)


def test_provinces_and_states_by_name(root: Path) -> None:
    assert ask(root, "Which grants went to Alberta?").rows == (2,)
    ontario = ask(root, "Total GPU-hrs for Ontario?")
    assert ontario.rows == (1, 3) and "16,000 GPU-hrs" in ontario.text
    # "Texas" is the place column's TX, not the campus "Texas Hill College" (in NM)
    texas = ask(root, "How many grants went to Texas?")
    assert texas.rows == (4, 5) and texas.text.startswith("2 grants where Prov/State = TX")
    # a country stands for its provinces (or states) the column holds
    assert ask(root, "How many grants went to Canadian institutes?").rows == (1, 2, 3)
    assert ask(root, "Which grants went to the United States?").rows == (4, 5, 6)


def test_a_count_counts_rows_not_the_unit_of_an_amount(root: Path) -> None:
    # The title names the rows ("Grant"); "credits", a unit in the cells, never does
    assert ask(root, "How many pending?").text.startswith("2 grants where Status = Pending")


def test_one_department_written_several_ways(root: Path) -> None:
    geology = ask(root, "Which grants came from the Geology dept?")
    assert geology.rows == (1, 2, 3)
    # "departments" names the kind of unit: it selects no department of its own
    assert ask(root, "Which grants went to mathematics departments?").rows == (4, 5)


def test_bom_and_trailing_empty_column_leave_no_trace(root: Path) -> None:
    (table,) = read_catalog(root / VERSIONS / "v1")
    names = [c.name for c in table.columns]
    assert names[0] == "Ref" and names[-1] == "Tags"  # no BOM in the first, no blank last
    size = table.column("Award size")
    assert size is not None and size.type == "integer"
    assert table.unit_column == "Award size unit"


def test_a_word_matches_inside_the_items_of_a_list_cell(root: Path) -> None:
    # "LLMs" is one item of row 1's tags and a word of row 4's ("graph LLM evaluation")
    llms = ask(root, "Which grants are about LLMs?")
    assert llms.rows == (1, 4) and llms.spec.filters[0].op == "contains"
    assert ask(root, "Which grants are tagged speech?").rows == (3,)
    # words found together in one item are one phrase; two apart must both be there
    assert ask(root, "Which grants are about remote sensing?").rows == (1,)
    both = ask(root, "Which grants are about speech and tutoring?")
    assert both.rows == (3,) and len(both.spec.filters) == 2
    # a word ending in s that is no plural is searched as written
    analysis = ask(root, "Which grants mention analysis?")
    assert analysis.rows == (5,) and analysis.spec.filters[0].values == ("analysis",)


def test_amounts_written_with_their_unit_add_up_per_unit(root: Path) -> None:
    # "GPU-hours" in the question is the cells' "GPU-hrs"
    seed = ask(root, "Add up the GPU-hours handed out by the Seed scheme.")
    assert seed.rows == (1, 5) and "5,000 GPU-hrs" in seed.text
    core = ask(root, "What's the total dollar value of all Core grants?")
    assert core.rows == (3, 4, 6) and "8,500 credits" in core.text and "12,000 GPU-hrs" in core.text
    second = ask(root, "What's the second biggest Seed grant in GPU-hrs?")
    assert second.rows == (5,) and "1,000 GPU-hrs" in second.text


def test_short_and_open_asks(root: Path) -> None:
    assert ask(root, "anything for Redwater University?").rows == (2,)
    kinds = ask(root, "What kinds of schemes show up in the grant log?")
    assert kinds.spec.operation == "distinct" and kinds.spec.group_by == ("Scheme",)
    assert "Core (3 rows)" in kinds.text and "Seed (3 rows)" in kinds.text


def test_a_status_named_by_its_everyday_words(root: Path) -> None:
    waiting = ask(root, "Are there any Core requests still waiting on a decision?")
    assert waiting.rows == (6,)  # Core and Pending; "waiting" is the status Pending
    assert ask(root, "Which grants have finished?").rows == (2,)  # Closed


def test_amount_cells_with_a_currency_sign_a_scale_and_a_unit() -> None:
    cells = [["€1,200 credits"], ["£300 credits"], ["40 TB"], ["25k credits"], ["1.5M TB"]]
    table = build_table(["Size"], cells, [1, 2, 3, 4, 5])
    assert [c.name for c in table.columns] == ["Size", "Size unit"]
    assert [r[0] for r in table.rows] == [1200, 300, 40, 25000, 1500000]
    assert [r[1] for r in table.rows] == ["credits", "credits", "TB", "credits", "TB"]
    # "500 MB" is 500 of a unit "MB", not 500 million of a unit "B"
    assert build_table(["Quota"], [["500 MB"], ["2 GB"]], [1, 2]).rows == ((500, "MB"), (2, "GB"))


def test_a_header_word_beats_a_synonym(root: Path) -> None:
    # "institutes" is a synonym of "awardee" too; the column called Institute is meant
    institutes = ask(root, "How many different institutes got grants?")
    assert institutes.spec.operation == "distinct" and institutes.spec.group_by == ("Institute",)
    assert institutes.text.startswith("4 different Institute values")


def test_a_title_without_a_record_word_counts_rows(tmp_path: Path) -> None:
    vdir = tmp_path / "index" / VERSIONS / "v1"
    vdir.mkdir(parents=True)
    csv = "Id,Team,Amount\nL-1,Blue,$5 credits\nL-2,Red,$7 credits\nL-3,Blue,$2 credits\n"
    meta = SourceMeta("ledger.csv", title="Cloud Credits Ledger (test table)")
    doc = load_bytes(csv.encode(), meta, ".csv")
    assert doc.table is not None
    TableBatch(new=[(doc, doc.table)]).write(vdir)
    (tmp_path / "index" / CURRENT).write_text("v1\n")
    # the title's plural "credits" is the cells' unit, not the rows' name
    blue = ask(tmp_path / "index", "How many rows are there for the Blue team?")
    assert blue.rows == (1, 3) and blue.text.startswith("2 rows where Team = Blue")
