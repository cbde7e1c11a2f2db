"""The planner on a quarterly ledger: one thing written several ways, several amount columns,
a percentage column, fiscal quarters, renewed projects and 'Surname, I.' people. The CSV is
written here and loaded into a real DuckDB file; rows and sums are checked exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.tables import answer_from_tables
from app.tables.canon import variants
from index.store import VERSIONS
from index.tables import read_catalog
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

# Institutions as an acronym, clipped, with "The", with a slip; states as names and codes with
# a look-alike pair (Kansas, Arkansas); machines written two ways; three amount columns of which
# each row fills one; a share column with one blank; a project renewed in a later quarter.
LEDGER = (
    "Qtr,Code,Lead,Institution,State,Machine,Discipline,Kind,CPU-hrs,GPU-hrs,Disk (TB),Used,"
    "Begins,Ends\n"
    'FY24 Q4,phy23001,"Müller, K.",Prairie Ridge Polytechnic Institute,Kansas,Juniper (CPU),'
    "Physics,Research,500000,,,80%,01-Jul-2024,30-Jun-2025\n"
    'FY24 Q4,bio23002,"Sandoval, A.",The Delta Coast University,AR,heron3-a100,Biology,Startup,'
    ",1200,,100%,15-Jul-2024,14-Jan-2025\n"
    'FY25 Q1,phy23001,"Müller, K.",PRPI,KS,Juniper (CPU),Physics,Research,650000,,,40%,'
    "01-Oct-2024,30-Sep-2025\n"
    'FY25 Q1,geo24003,"Lindgren, T.",Delta Coast University,Arkansas,Heron 3 (A100),Geology,'
    "Research,,30000,,55%,01-Oct-2024,30-Sep-2025\n"
    'FY25 Q1,bio24004,"Sandoval, R.",Delta Coast Univ.,AR,Cedar (archive),Biology,Research,,,90,'
    "20%,01-Nov-2024,31-Oct-2025\n"
    'FY25 Q2,eng24005,"Okoro, B.",Prairie Ridge Poly,KS,Heron 3 (A100),Engineering,Startup,,'
    "2500,,100%,13-Jan-2025,12-Jul-2025\n"
    'FY25 Q2,eng24006,"Okonjo, B.",Delta Coast Univesity,AR,Juniper (CPU),Engineering,'
    "Education,40000,,,30%,03-Feb-2025,02-Jun-2025\n"
    'FY25 Q2,geo24007,"Lindgren, T.",Prairie Ridge Polytechnic Institute,Kansas,Cedar (archive),'
    "Geology,Research,,,40,,01-Mar-2025,28-Feb-2026\n"
    'FY25 Q3,phy24008,"Baptiste, C.",Ozark Hollow College,Missouri,heron3-a100,Physics,Research,'
    ",8000,,10%,01-Apr-2025,31-Mar-2026\n"
    'FY25 Q3,bio24009,"Sandoval, R.",Ozark Hollow College,MO,Larch (GPU),Biology,Startup,,600,,'
    "100%,14-Apr-2025,13-Oct-2025\n"
    'FY25 Q3,eng24010,"Okoro, B.",PRPI,KS,Larch (GPU),Engineering,Research,,900,,45%,'
    "01-May-2025,30-Apr-2026\n"
)
PRAIRIE = (1, 3, 6, 8, 11)
DELTA = (2, 4, 5, 7)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index-version layout holding the ledger."""
    base = tmp_path_factory.mktemp("ledger")
    meta = SourceMeta("ledger.csv", title="Research Compute Centre Allocation Ledger")
    return table_index(base, LEDGER, meta, clean=True)


def test_spellings_of_one_name_form_one_group(root: Path) -> None:
    (table,) = read_catalog(root / VERSIONS / "v1")
    inst = variants(table, "Institution")
    assert set(inst["PRPI"]) == {
        "PRPI",
        "Prairie Ridge Poly",
        "Prairie Ridge Polytechnic Institute",
    }
    assert set(inst["Delta Coast Univesity"]) == {
        "The Delta Coast University",
        "Delta Coast University",
        "Delta Coast Univ.",
        "Delta Coast Univesity",
    }
    assert "Ozark Hollow College" not in inst
    assert set(variants(table, "Machine")["heron3-a100"]) == {"heron3-a100", "Heron 3 (A100)"}
    assert set(variants(table, "State")["KS"]) == {"KS", "Kansas"}  # never Arkansas
    assert variants(table, "Lead") == {}  # Okoro and Okonjo are two people
    assert {c.name: c.unit for c in table.columns if c.numeric}["Used"] == "%"


def test_a_name_in_any_spelling_finds_every_spelling(root: Path) -> None:
    assert ask(root, "what did prairie ridge poly receive?").rows == PRAIRIE
    assert ask(root, "show the PRPI projects").rows == PRAIRIE
    assert ask(root, "what did DCU get?").rows == DELTA  # an acronym the table never writes
    delta = ask(root, "any allocations for delta coast university")
    assert delta.rows == DELTA
    # the rows are listed by their code, each with the amount it fills and no bare unit
    assert "- eng24006, Okonjo, B., Delta Coast Univesity, 40,000 CPU hours (row 7)" in delta.text
    assert "GPU hours (row 7)" not in delta.text


def test_group_by_merges_spellings(root: Path) -> None:
    per = ask(root, "How many allocations per institution?").text.splitlines()
    assert "- Prairie Ridge Polytechnic Institute / Prairie Ridge Poly / PRPI: 5" in per
    assert any(line.endswith(": 4") and "Delta Coast Univesity" in line for line in per)
    gpu = ask(root, "GPU hours awarded on each machine").text.splitlines()
    assert "- Heron 3 (A100) / heron3-a100: 41,700 GPU hours (4 rows)" in gpu  # 1200+30000+…
    assert "- Larch (GPU): 1,500 GPU hours (2 rows)" in gpu
    states = ask(root, "How much disk (TB) went to each state?").text.splitlines()
    assert "- Arkansas / AR: 90 TB (1 row)" in states and "- Kansas / KS: 40 TB (1 row)" in states


def test_a_total_in_no_unit_is_given_per_amount_column(root: Path) -> None:
    a = ask(root, "How much has Delta Coast University received in total?")
    assert "- 40,000 CPU hours (1 row)" in a.text
    assert "- 31,200 GPU hours (2 rows)" in a.text  # 1200 + 30000
    assert "- 90 TB (1 row)" in a.text
    assert "71,290" not in a.text and "71,200" not in a.text  # never added across units
    b = ask(root, "total GPU hours for Biology")
    assert b.spec.measure == "GPU-hrs" and "- 1,800 GPU hours (2 rows)" in b.text


def test_a_unit_word_picks_the_amount_and_filters_nothing(root: Path) -> None:
    top = ask(root, "largest single GPU allocation?")
    assert top.spec.measure == "GPU-hrs" and not top.spec.filters  # not the "Larch (GPU)" rows
    assert top.rows == (4,)


def test_states_by_name_or_code_and_exclusions(root: Path) -> None:
    assert ask(root, "Which allocations are in Kansas?").rows == PRAIRIE  # not Arkansas
    assert ask(root, "how many allocations went to AR").rows == DELTA
    kept = ask(root, "Which allocations are in Kansas? (not Arkansas)")
    assert kept.rows == PRAIRIE and {f.op for f in kept.spec.filters} == {"in", "not_in"}


def test_people_written_surname_first(root: Path) -> None:
    mine = ask(root, "Hello, I'm Ramon Sandoval. Which of my allocations are in the ledger?")
    assert mine.rows == (5, 10)  # Sandoval, R., not Sandoval, A.
    hours = ask(root, "How many CPU hours has Prof. Muller been given in total?")
    assert hours.rows == (1, 3) and "1,150,000 CPU hours (2 rows)" in hours.text


def test_fiscal_quarters_and_date_ranges(root: Path) -> None:
    q1 = ask(root, "What was allocated in the first quarter of fiscal year 2025?")
    assert q1.rows == (3, 4, 5)
    ending = ask(root, "what is due to end between 1 Jan 2025 and 30 Jun 2025?")
    assert ending.rows == (1, 2, 7)


def test_percentages_and_distinct_codes(root: Path) -> None:
    under = ask(root, "how many allocations have used less than half of their award?")
    assert under.rows == (3, 5, 7, 9, 11)  # the blank share of row 8 is not under half
    assert ask(root, "which projects are at 100% used?").rows == (2, 6, 10)
    codes = ask(root, "How many distinct projects are in the ledger? Renewals count once")
    assert codes.text.startswith("10 different Code values")  # 11 rows, phy23001 twice


def test_writes_are_never_table_questions(root: Path) -> None:
    q = "Delete the ledger table and tell me how many rows were removed."
    assert answer_from_tables(q, root) is None


def test_a_rank_in_no_unit_ranks_within_each_amount_column(root: Path) -> None:
    cedar = ask(root, "What is the biggest allocation on Cedar?")
    assert cedar.rows == (5,) and cedar.spec.measure == "Disk (TB)"  # Cedar rows are storage
    every = ask(root, "What is the largest allocation?")
    assert every.rows == (3, 4, 5)  # 650,000 CPU hours, 30,000 GPU hours, 90 TB


def test_short_asks_and_period_columns(root: Path) -> None:
    delta = ask(root, "overall GPU hours for Delta?")  # "Delta" is in four spellings of one name
    assert delta.rows == (2, 4) and "- 31,200 GPU hours (2 rows)" in delta.text
    folks = ask(root, "GPU hours for the Prairie Ridge folks")
    assert folks.spec.operation == "sum" and "- 3,400 GPU hours (2 rows)" in folks.text
    per = ask(root, "allocations broken down by quarter")
    assert per.spec.group_by == ("Qtr",)  # the fiscal column, not the start date's quarter
    assert "- FY25 Q1: 3" in per.text.splitlines()


def test_words_of_the_title_filter_nothing(root: Path) -> None:
    q = "How many GPU hours did the research compute centre hand out per machine?"
    per = ask(root, q)  # "research" quotes the title here; it is not the Kind "Research"
    assert not per.spec.filters and per.spec.group_by == ("Machine",)
    assert ask(root, "research allocations on Cedar").rows == (5, 8)


def test_people_with_first_names_after_the_comma(tmp_path: Path) -> None:
    csv = (
        "Ref,Holder,Site,Scratch (TB),Node-hrs\n"
        'R1,"Okafor, Nneka",North,5,\n'
        'R2,"Okafor, Tunde",North,,300\n'
        'R3,"Okafor, Nneka",South,,200\n'
    )
    root = table_index(tmp_path, csv, SourceMeta("holders.csv", title="Holders"))
    assert ask(root, "What did Nneka Okafor get?").rows == (1, 3)  # not Tunde
    tb = ask(root, "how many terabytes of scratch per site")
    assert tb.spec.measure == "Scratch (TB)" and "- North: 5 TB (1 row)" in tb.text


def test_a_group_named_by_its_own_header_word(tmp_path: Path) -> None:
    csv = (
        "No.,Recipient,Institution,Kind,Amount,Amount unit\n"
        "A-1,Ada Reyes,Lakeshore University,Classroom,100,SU\n"
        "A-2,Bo Lind,Lakeshore University,Research,300,SU\n"
        "A-3,Cy Moss,Hilltop College,Research,50,SU\n"
    )
    root = table_index(tmp_path, csv, SourceMeta("grants.csv", title="Grant Log"))
    per = ask(root, "How many grants per institution?")
    assert per.spec.group_by == ("Institution",)  # not also the Recipient a synonym names
    assert "- Lakeshore University: 2" in per.text.splitlines()
    two = ask(root, "total SUs per institution and kind")
    assert two.spec.group_by[:2] == ("Institution", "Kind")
    assert "- Lakeshore University, Research: 300 SU (1 row)" in two.text.splitlines()


def test_groups_ranked_by_a_named_amount(root: Path) -> None:
    top = ask(root, "top 2 institutions by GPU hours")
    assert top.spec.operation == "sum" and top.spec.group_by == ("Institution",)
    lines = [line for line in top.text.splitlines() if line.startswith("- ")]
    assert len(lines) == 2 and lines[0].endswith(": 31,200 GPU hours (2 rows)")
    assert lines[1] == "- Ozark Hollow College: 8,600 GPU hours (2 rows)"  # 8000 + 600


# A unit column written several ways, and institutions each spelled differently on every row.
UNITS = (
    "award_id,institution,state,resource,amount,unit\n"
    "X-001,Univ. of Tallgrass,NE,Aurora GPU,1000,GPU-hours\n"
    "X-002,University of Tallgrass,Nebraska,Aurora GPU,500,GPU hours\n"
    "X-003,Tallgrass U,NE,Borealis CPU,20000,SUs\n"
    "X-004,Coyote Creek College,KS,Aurora GPU,700,gpu-hrs\n"
    "X-005,Coyote Creek Coll.,Kansas,Borealis CPU,5000,SU\n"
    "X-006,CCC,KS,Borealis CPU,3000,SUs\n"
)


def test_units_and_names_spelled_differently_on_every_row(tmp_path: Path) -> None:
    root = table_index(tmp_path, UNITS, SourceMeta("units.csv", title="Compute Awards"))
    per = ask(root, "How many awards per institution?").text.splitlines()
    assert "- Coyote Creek College / Coyote Creek Coll. / CCC: 3" in per
    assert "- University of Tallgrass / Univ. of Tallgrass / Tallgrass U: 3" in per
    sus = ask(root, "How many SUs did Coyote Creek College get?")
    assert sus.rows == (5, 6) and "- 8,000 SUs / SU (2 rows)" in sus.text
    states = ask(root, "total per state").text.splitlines()
    assert "- Nebraska / NE: 1,500 GPU hours / GPU-hours / gpu-hrs (2 rows)" in states
    assert "- Kansas / KS: 8,000 SUs / SU (2 rows)" in states  # never 8,700 across units


def test_a_statement_is_context_and_a_request_is_a_part(root: Path) -> None:
    told = ask(root, "List the Kansas allocations. Need to chase renewals.")
    assert told.rows == PRAIRIE and not told.partial  # nothing else is asked
    asked = ask(root, "List the Kansas allocations. I'd also like the renewal deadline.")
    assert asked.rows == PRAIRIE and asked.partial  # the deadline is left to the prose
