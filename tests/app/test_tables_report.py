"""The planner on a usage report: units in the headers with each row filling one pair of
amount columns, clouds and clusters written several ways, people written 'Dr. First Last' and
'Last, First', clipped organisation names, US dates, and questions wrapped in asides. The CSV
is written here and loaded into a real DuckDB file; rows and sums are checked exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.tables.canon import variants
from index.store import VERSIONS
from index.tables import read_catalog
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

# Cloud rows fill the dollar pair, cluster rows the node-hour pair; every name below is made up.
REPORT = (
    "Ref,Cycle,Team / Group,Lead,Organisation,State,Platform,Kind,Granted (USD),"
    "Node hours granted,Spent (USD),Node hours used,Approved,Expires,Status\n"
    'RC-01,2024B,Ocean Models Group,"Alvarez, Ines",Lakeview Polytechnic,OR,Juniper (on-prem),'
    'Research,,"10,000",,"9,000","September 5, 2024",03/05/2025,Expired\n'
    "RC-02,2025A,Ocean Models Group,Dr. Ines Alvarez,Lakeview Poly,Oregon,Juniper,Research,,"
    '"14,000",,"2,000","January 10, 2025",01/10/2026,Active\n'
    "RC-03,2025A,Speech Lab,Dr. Omar Haddad,Harbor Point Community College,WA,OCI,Teaching,"
    '"5,000",,"1,200",,"February 2, 2025",08/02/2025,Expired\n'
    "RC-04,2025A,Vision Group,Dr. Omar Haddad,Harbor Point CC,Washington,Oracle Cloud,Research,"
    '"20,000",,"7,500",,"March 3, 2025",02/15/2026,Active\n'
    'RC-05,2025A,Soil Sensing Team,"Brandt, Lea",Lakeview Polytechnic,OR,Azure,Teaching,3000,,'
    '2500,,"March 3, 2025",03/20/2026,Suspended\n'
    'RC-06,2025B,Graph Group,"Brandt, Lea",Lakeview Poly,OR,Microsoft Azure,Research,"12,500",'
    ',,,"August 25, 2025",,Pending\n'
    "RC-07,2025B,Fusion Sims,Dr. Kofi Mensah,Harbor Point CC,WA,Pine cluster,Research,,"
    '"8,000",,500,"August 25, 2025",01/31/2026,Active\n'
    "RC-08,2025B,Tide Gauge Team,Dr. Kofi Mensah,Harbor Point Community College,Washington,"
    'Pine,Teaching,,"2,500",,,"September 9, 2025",,Pending\n'
)
LAKEVIEW = (1, 2, 5, 6)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index-version layout holding the report."""
    base = tmp_path_factory.mktemp("report")
    meta = SourceMeta("report.csv", title="Campus Compute Usage and Allocation Report")
    return table_index(base, REPORT, meta, clean=True)


def test_clouds_clusters_people_and_clipped_names_form_groups(root: Path) -> None:
    (table,) = read_catalog(root / VERSIONS / "v1")
    platform = variants(table, "Platform")
    assert set(platform["OCI"]) == {"OCI", "Oracle Cloud"}  # a cloud by acronym and by name
    assert set(platform["Azure"]) == {"Azure", "Microsoft Azure"}
    assert set(platform["Juniper"]) == {"Juniper", "Juniper (on-prem)"}  # a qualifier
    assert set(platform["Pine"]) == {"Pine", "Pine cluster"}
    assert set(variants(table, "Lead")["Alvarez, Ines"]) == {"Alvarez, Ines", "Dr. Ines Alvarez"}
    assert "Brandt, Lea" not in variants(table, "Lead")  # written one way only
    org = variants(table, "Organisation")
    assert set(org["Lakeview Poly"]) == {"Lakeview Poly", "Lakeview Polytechnic"}
    assert set(org["Harbor Point CC"]) == {"Harbor Point CC", "Harbor Point Community College"}


def test_a_word_for_the_kind_of_value_filters_nothing(root: Path) -> None:
    # "groups" would loosely match every "… Group" team; it asks for rows, as "teams" does
    a = ask(root, "which groups at Lakeview Poly got credits from the centre?")
    assert a.rows == LAKEVIEW
    assert [f.column for f in a.spec.filters] == ["Organisation"]


def test_a_cloud_by_another_of_its_names(root: Path) -> None:
    a = ask(root, "does lakeview polytechnic have anything on microsoft cloud?")
    assert a.rows == (5, 6)


def test_the_amount_column_named_by_all_its_words(root: Path) -> None:
    second = ask(root, "whats the 2nd largest node hour grant in the report")
    assert second.spec.measure == "Node hours granted" and second.rows == (1,)
    small = ask(root, "Smallest dollar grant on the list - who got it and how much?")
    assert small.spec.measure == "Granted (USD)" and small.rows == (5,)
    spent = ask(root, "How much has Harbor Point CC actually spent so far, in USD?")
    assert spent.spec.measure == "Spent (USD)" and "- $8,700 USD (2 rows)" in spent.text
    per = ask(root, "total USD granted per cycle?").text.splitlines()
    assert "- 2025A: $28,000 USD (3 rows)" in per and "- 2025B: $12,500 USD (1 row)" in per


def test_an_amount_got_is_the_granted_column(root: Path) -> None:
    top = ask(root, "who has the largest node-hour allocation?")
    assert top.spec.measure == "Node hours granted" and top.rows == (2,)  # not the hours used
    most = ask(root, "which organisation got the most dollars?")
    assert most.spec.measure == "Granted (USD)" and most.spec.group_by == ("Organisation",)
    assert "- Harbor Point Community College / Harbor Point CC: $25,000 USD (2 rows)" in most.text
    went = ask(root, "how many node hours in total went to Oregon?")
    assert went.spec.measure == "Node hours granted"
    assert "- 24,000 Node hours (2 rows)" in went.text and "11,000" not in went.text  # not used


def test_a_slip_keeps_its_first_letter(root: Path) -> None:
    a = ask(root, "show spending by organisation for 2025A")  # "spending" is not "Pending"
    assert [f.column for f in a.spec.filters] == ["Cycle"]
    assert "- Harbor Point Community College / Harbor Point CC: $8,700 USD (2 rows)" in a.text
    assert "- Lakeview Polytechnic / Lakeview Poly: $2,500 USD (1 row)" in a.text


def test_money_used_is_money_spent_and_a_header_by_its_stem(root: Path) -> None:
    used = ask(root, "how much has the Vision Group used?")
    assert used.spec.measure == "Spent (USD)" and "- $7,500 USD (1 row)" in used.text
    hours = ask(root, "how many node hours has Juniper used?")
    assert hours.spec.measure == "Node hours used" and "- 11,000 Node hours (2 rows)" in hours.text
    assert ask(root, "list allocations with no expiry date").rows == (6, 8)  # "Expires" blank


def test_what_a_date_column_records_asks_its_dates(root: Path) -> None:
    assert ask(root, "what was approved since August 2025?").rows == (6, 7, 8)
    assert ask(root, "what's the most recently approved allocation?").rows == (8,)
    soonest = ask(root, "earliest expiring active allocation")
    assert soonest.spec.measure == "Expires" and soonest.rows == (2,)
    cycles = ask(root, "which cycle had the most approvals?")  # a count of rows, no amount
    assert cycles.spec.operation == "count" and "- 2025A: 4" in cycles.text


def test_a_currency_sign_names_the_unit_and_different_counts_things(root: Path) -> None:
    over = ask(root, "which allocations got over $10,000?")
    assert over.rows == (4, 6) and over.spec.filters[0].column == "Granted (USD)"
    leads = ask(root, "how many different leads are there?")
    assert leads.text.startswith("4 different Lead values")  # Alvarez in two spellings is one


def test_cloud_and_on_prem_name_every_value_of_their_kind(root: Path) -> None:
    cloud = ask(root, "how many cloud allocations are there?")
    assert cloud.rows == (3, 4, 5, 6)  # OCI, Oracle Cloud, Azure, Microsoft Azure
    local = ask(root, "total node hours granted on-prem")
    assert local.rows == (1, 2, 7, 8) and "- 34,500 Node hours (4 rows)" in local.text


def test_one_person_in_two_spellings_is_no_group(root: Path) -> None:
    led = ask(root, "which allocations are led by Alvarez?")
    assert led.spec.operation == "list" and not led.spec.group_by and led.rows == (1, 2)


def test_a_total_granted_in_no_unit_is_given_per_granted_column(root: Path) -> None:
    a = ask(root, "What's the total amount granted to Dr. Omar Haddad and Dr. Ines Alvarez?")
    assert "- $25,000 USD (2 rows)" in a.text and "- 24,000 Node hours (2 rows)" in a.text
    assert "Spent" not in a.text and "used" not in a.text  # what was given, not what was used


def test_each_of_the_clusters_groups_by_platform(root: Path) -> None:
    a = ask(root, "how many node hours were granted on each of the on-prem clusters?")
    assert a.spec.group_by == ("Platform",) and not a.spec.filters
    lines = a.text.splitlines()
    assert "- Juniper (on-prem) / Juniper: 24,000 Node hours (2 rows)" in lines
    assert "- Pine cluster / Pine: 10,500 Node hours (2 rows)" in lines


def test_asides_and_polite_requests_do_not_veto(root: Path) -> None:
    q = "I'm putting together a slide on classroom use - can you list every team that got a "
    teach = ask(root, q + "Teaching allocation?")
    assert teach.spec.operation == "list" and teach.rows == (3, 5, 8)
    for team in ("Speech Lab", "Soil Sensing Team", "Tide Gauge Team"):
        assert team in teach.text  # the column naming each row is shown
    busy = ask(root, "Show me the active research allocations on Juniper, we're planning downtime.")
    assert busy.rows == (2,)
    expiring = ask(
        root,
        "Our finance office wants to know which ACTIVE allocations expire between January 1 and "
        "March 31, 2026.",
    )
    assert expiring.rows == (2, 4, 7)
    assert [f.values for f in expiring.spec.filters if f.column == "Status"] == [("Active",)]
    period = ask(
        root, "Which allocations got approved in March 2025? Need it for the quarterly report"
    )
    assert period.spec.operation == "list" and period.rows == (4, 5)  # no per-quarter totals


def test_short_everyday_asks(root: Path) -> None:
    assert ask(root, "anything approved on 8/25/2025?").rows == (6, 7)
    pending = ask(root, "quick one - how many requests are sitting in pending?")
    assert pending.spec.operation == "count" and pending.rows == (6, 8)
    assert ask(root, "are any allocations suspended right now?? which ones").rows == (5,)
    awarded = ask(root, "What has Ines Alvarez been awarded? I think she's at Lakeview.")
    assert awarded.rows == (1, 2)  # both spellings of her name


def test_a_kind_word_in_front_names_another_thing(tmp_path: Path) -> None:
    csv = (
        "Ref,Program,Machine,Hours\n"
        "P1,HPC Research,Delta (GPU),10\n"
        "P2,Research,Delta (CPU),20\n"
        "P3,HPC Research,Delta GPU,30\n"
        "P4,Research,Delta (CPU),40\n"
    )
    root = table_index(tmp_path, csv, SourceMeta("kinds.csv", title="Program Hours"))
    (table,) = read_catalog(root / VERSIONS / "v1")
    assert variants(table, "Program") == {}  # "HPC Research" is its own program
    machines = variants(table, "Machine")
    assert set(machines["Delta GPU"]) == {"Delta GPU", "Delta (GPU)"}
    assert "Delta (CPU)" not in machines  # a bracket naming a part keeps it apart


def test_a_whole_tag_beats_one_word_of_a_name(tmp_path: Path) -> None:
    csv = (
        "Ref,Team,Tags,GPU hours granted,GPU hours used\n"
        'T1,LLM Audit Crew,"LLM; audit",100,40\n'
        'T2,Vision Crew,"LLM; vision",200,50\n'
        'T3,Speech Crew,"speech; time series",300,60\n'
        'T4,Graph Crew,"graphs; chemistry",400,70\n'
    )
    root = table_index(tmp_path, csv, SourceMeta("tags.csv", title="Crew Allocations"))
    llm = ask(root, "which LLM allocations are there?")
    assert llm.rows == (1, 2) and [f.column for f in llm.spec.filters] == ["Tags"]
    # "time" ends the amount's name ("GPU time"): it is no tag filter
    time = ask(root, "How much GPU time does the Speech Crew have?")
    assert [f.column for f in time.spec.filters] == ["Team"] and "- 300 GPU hours" in time.text
