"""The planner is schema-driven: another program's table, with its own headers, units and dates.

Nothing here shares a column name with the sample allocations table: the PI's institution,
state names instead of codes, tracks instead of request types, a "Units" column holding SUs and
node-hours, and US-style award dates. Rows, sums and counts are checked exactly against a
real DuckDB file written from the CSV.
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

CSV = (
    "Request ID,Project title,PI institution,Location,Track,Platform,Awarded,Units,Award date\n"
    "CA-1001,Snowpack estimation from radar,Ridgeline Institute of Technology,Colorado,"
    "Explore,Kestrel,50000,SUs,01/14/2025\n"
    "CA-1002,Crop disease detection with drones,Buckeye Valley College,Ohio,"
    "Discover,Osprey,1200,node-hours,02/03/2025\n"
    "CA-1003,Tokenizer study for rare languages,Ridgeline Institute of Technology,Colorado,"
    "Accelerate,Osprey,3000,node-hours,04/22/2025\n"
    "CA-1004,Teaching reinforcement learning,Buckeye Valley College,Ohio,"
    "Explore,Kestrel,20000,SUs,05/09/2025\n"
    "CA-1005,Wildfire smoke forecasting,Sagebrush State University,Idaho,"
    "Discover,Kestrel,80000,SUs,06/30/2025\n"
    "CA-1006,Protein design benchmarks,Sagebrush State University,Idaho,"
    "Explore,Osprey,400,node-hours,07/01/2025\n"
    "CA-1007,Traffic camera anonymisation,Lakeshore Polytechnic,Ohio,"
    "Accelerate,Kestrel,120000,SUs,09/15/2025\n"
    "CA-1008,Soil carbon mapping,Lakeshore Polytechnic,Ohio,"
    "Explore,Osprey,900,node-hours,10/02/2025\n"
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index-version layout holding only the other program's typed table."""
    meta = SourceMeta("compute-awards.csv", title="Compute Awards")
    return table_index(tmp_path_factory.mktemp("other-program"), CSV, meta)


def test_roles_are_inferred_from_the_cells(root: Path) -> None:
    (table,) = read_catalog(root / VERSIONS / "v1")
    kinds = {c.name: (c.type, c.categorical) for c in table.columns}
    assert kinds["Awarded"] == ("integer", False)
    assert kinds["Award date"] == ("date", False)  # 01/14/2025, not ISO
    assert kinds["PI institution"] == ("text", True)
    assert table.unit_column == "Units"


def test_sum_in_one_unit_on_a_named_platform(root: Path) -> None:
    a = ask(root, "How many SUs did Kestrel hand out altogether?")
    assert a.rows == (1, 4, 5, 7)
    assert "270,000 SUs (4 rows)" in a.text  # 50000 + 20000 + 80000 + 120000


def test_totals_per_track_never_add_units(root: Path) -> None:
    a = ask(root, "What is the total awarded per track?")
    lines = a.hit.chunk.text.splitlines()
    assert "- Explore: 70,000 SUs (2 rows)" in lines  # 50000 + 20000
    assert "- Explore: 1,300 node-hours (2 rows)" in lines  # 400 + 900
    assert "- Accelerate: 120,000 SUs (1 row)" in lines
    assert "71,300" not in a.text  # SUs and node-hours are never added
    whole = ask(root, "What is the total of all awards in the table?")
    assert "270,000 SUs" in whole.text and "5,500 node-hours" in whole.text
    assert "275,500" not in whole.text


def test_how_many_hours_adds_per_unit(root: Path) -> None:
    a = ask(root, "How many hours did Buckeye Valley College get?")
    lines = a.hit.chunk.text.splitlines()
    assert "- 20,000 SUs (1 row)" in lines and "- 1,200 node-hours (1 row)" in lines
    assert "21,200" not in a.text


def test_quarter_and_us_dates(root: Path) -> None:
    a = ask(root, "How many node-hours were awarded in Q2 2025?")
    assert a.rows == (3,) and "3,000 node-hours (1 row)" in a.text
    assert ask(root, "Which awards were made in July 2025?").rows == (6,)
    assert ask(root, "Which awards were made on 2025-05-09?").rows == (4,)


def test_state_code_against_state_names(root: Path) -> None:
    assert ask(root, "Which awards went to institutions in OH?").rows == (2, 4, 7, 8)
    assert ask(root, "list awards for institutions in idaho").rows == (5, 6)


def test_negation_distinct_and_grouped_rank(root: Path) -> None:
    assert ask(root, "Which Explore awards were not on Kestrel?").rows == (6, 8)
    a = ask(root, "How many different institutions have awards on Osprey?")
    assert a.spec.operation == "distinct" and "4 different PI institution values" in a.text
    top = ask(root, "Which institution received the most SUs in total?")
    assert top.spec.group_by == ("PI institution",)
    assert "- Lakeshore Polytechnic: 120,000 SUs (1 row)" in top.text.splitlines()


def test_ranks_and_short_names(root: Path) -> None:
    assert ask(root, "What is the second largest node-hour award?").rows == (2,)
    ranked = ask(root, "Rank the Osprey awards from smallest to largest.")
    assert ranked.rows == (6, 8, 2, 3)  # 400, 900, 1200, 3000
    assert ask(root, "what did Ridgeline Inst of Tech get?").rows == (1, 3)


def test_prose_questions_stay_with_the_passages(root: Path) -> None:
    for q in (
        "What does one SU mean on Kestrel?",
        "Who is the principal investigator of CA-1003?",
        "How many SUs has CA-1001 used so far?",
        "Can I apply for the Explore track next month?",
        "Which universities did not get an award on Osprey?",
        "How many SUs is one node-hour on Kestrel?",
        "What does an Explore award include?",
        "Who reviews award requests?",
        "What is the largest GPU memory on Osprey?",
    ):
        assert answer_from_tables(q, root) is None, q


def test_bounds_groups_with_several_rows_and_value_lists(root: Path) -> None:
    a = ask(root, "Which awards are between 1,000 and 10,000 node-hours?")
    assert a.rows == (2, 3)  # 1200 and 3000; 400 and 900 are below
    many = ask(root, "Which institutions have more than one award?")
    assert many.spec.group_by == ("PI institution",) and many.spec.min_count == 2
    assert "4 PI institution values with 2 or more awards" in many.text
    none = ask(root, "Which institutions have at least 3 awards?")
    assert "- none" in none.text.splitlines()
    tracks = ask(root, "Which tracks appear in the table?")
    assert tracks.spec.operation == "distinct" and "3 different Track values" in tracks.text
    where = ask(root, "What state is Lakeshore Polytechnic in?")
    assert where.rows == (7, 8) and "Ohio" in where.text  # "state" names the Location column


def test_follow_up_merged_after_its_question(root: Path) -> None:
    # The answer layer merges a follow-up as "<question>; <follow-up>"; the later value wins.
    a = ask(root, "Which awards went to institutions in Ohio; and in Idaho?")
    assert a.rows == (5, 6) and not a.partial
    b = ask(root, "Which awards went to Buckeye Valley College; how much in total?")
    assert b.spec.operation == "sum" and "20,000 SUs (1 row)" in b.text
    c = ask(root, "What is the largest award on Kestrel; what about the second largest?")
    assert c.rows == (5,)  # 80000 after 120000
    d = ask(root, "Which awards went to Buckeye Valley College; and what is an Explore track?")
    assert d.partial and d.rows == (2, 4)


def test_groups_by_period_of_the_date_column(root: Path) -> None:
    a = ask(root, "How many awards were made per quarter?")
    assert a.spec.period == "quarter"
    lines = a.hit.chunk.text.splitlines()
    assert lines[1:5] == ["- 2025-Q1: 2", "- 2025-Q2: 3", "- 2025-Q3: 2", "- 2025-Q4: 1"]
    b = ask(root, "Which month had the most awards?")
    assert b.spec.top == 1 and "- 2025-01: 1" in b.text.splitlines()  # every month ties at 1
    c = ask(root, "Total node-hours awarded each quarter")
    assert "- 2025-Q2: 3,000 node-hours (1 row)" in c.text.splitlines()
    assert "- 2025-Q3: 400 node-hours (1 row)" in c.text.splitlines()


def test_seasons_title_words_and_project_rows(root: Path) -> None:
    assert ask(root, "Which awards were made in fall 2025?").rows == (7, 8)  # Sep 15, Oct 2
    assert ask(root, "Which awards mention forecasting in the title?").rows == (5,)
    assert ask(root, "How many Explore projects are there?").text.startswith("4 awards")


def test_rankings_of_groups_and_exclusions(root: Path) -> None:
    top = ask(root, "Which two institutions received the most SUs?")
    assert top.spec.operation == "sum" and top.spec.group_by == ("PI institution",)
    lines = top.hit.chunk.text.splitlines()
    assert lines[1:3] == [
        "- Lakeshore Polytechnic: 120,000 SUs (1 row)",
        "- Sagebrush State University: 80,000 SUs (1 row)",
    ]
    by_count = ask(root, "Rank platforms by number of awards")
    assert by_count.spec.group_by == ("Platform",) and by_count.spec.operation == "count"
    assert ask(root, "Which awards were not made in 2025?").rows == ()
    assert ask(root, "Which Explore awards were not made in Q1 2025?").rows == (4, 6, 8)
    assert ask(root, "Which awards mention drone in the title?").rows == (2,)


def test_title_phrases_and_plans_for_the_future(root: Path) -> None:
    assert ask(root, "Which awards have smoke forecasting in the title?").rows == (5,)
    assert answer_from_tables("How many awards will be made in 2026?", root) is None


def test_latest_and_earliest_rows(root: Path) -> None:
    a = ask(root, "What was the most recent award?")
    assert a.rows == (8,) and "latest Award date" in a.description
    assert ask(root, "What was the earliest Osprey award?").rows == (2,)
    assert ask(root, "What are the two latest Kestrel awards?").rows == (7, 5)
    assert ask(root, "Which awards were made in the last quarter of 2025?").rows == (8,)


def test_dates_are_written_as_the_table_writes_them(root: Path) -> None:
    assert "07/01/2025" in ask(root, "Which awards were made in July 2025?").text


def test_recent_rows_and_ties_on_a_date(root: Path) -> None:
    assert ask(root, "Which awards were made most recently?").rows == (8,)
    assert ask(root, "Which award is the oldest?").rows == (1,)


def test_short_casual_asks(root: Path) -> None:
    assert "270,000 SUs (4 rows)" in ask(root, "kestrel totals").text
    assert ask(root, "biggest one on osprey").rows == (3,)
    assert ask(root, "node-hour awards over 1k").rows == (2, 3)
    assert ask(root, "how many explore awrds are there").text.startswith("4 awards")
    for q in ("Kestrel?", "What is Kestrel?", "How many total GPUs does Kestrel have?"):
        assert answer_from_tables(q, root) is None, q


def test_each_with_got_adds_amounts_and_list_each_lists_rows(root: Path) -> None:
    got = ask(root, "What did each institution get on Osprey?")
    assert got.spec.operation == "sum" and got.spec.group_by == ("PI institution",)
    assert "- Ridgeline Institute of Technology: 3,000 node-hours (1 row)" in got.text.splitlines()
    rows = ask(root, "List each institution's awards on Kestrel")
    assert rows.spec.operation == "list" and rows.rows == (1, 4, 5, 7)
