"""Table questions: the planner and executor against a real DuckDB file written from a CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.config import BackendProfile, TablesSettings
from app.tables import answer_from_tables
from app.tables.executor import run
from app.tables.spec import QuerySpec, SpecError, parse_spec
from index.store import VERSIONS
from index.tables import DB_FILE, read_catalog
from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index
from tests.openai_fault_server import fault_server

# A small made-up grants table: two units, three states, dates in two years.
CSV = (
    "grant_id,title,institution,state,request_type,resource,amount,unit,award_date\n"
    "GR2401,Soil moisture mapping with drones,Ridgeview College,"
    "OH,research,Falcon Cluster,5000,GPU-hours,2024-02-10\n"
    "GR2402,Teaching neural networks to first-years,Ridgeview College,"
    "OH,classroom,Harbor Cloud,1200,credits (USD),2024-05-03\n"
    "GR2403,Protein folding surrogates,Pinecrest University,"
    "WA,research,Falcon Cluster,8000,GPU-hours,2024-07-19\n"
    "GR2404,Trial of a speech model on new hardware,Pinecrest University,"
    "WA,startup,Falcon Cluster,700,GPU-hours,2024-07-19\n"
    "GR2405,Flood forecasting transformers,Mesa Verde Institute,"
    "NM,research,Harbor Cloud,9000,credits (USD),2025-01-15\n"
    "GR2406,Porting a genomics pipeline,Mesa Verde Institute,"
    "NM,startup,Harbor Cloud,2500,credits (USD),2025-03-04\n"
    "GR2407,Wildlife camera trap classifier,Ridgeview College,"
    "OH,research,Falcon Cluster,12000,GPU-hours,2025-03-21\n"
    "GR2408,Benchmarking small language models,Pinecrest University,"
    "WA,startup,Harbor Cloud,800,credits (USD),2025-06-30\n"
)


@pytest.fixture
def index_root(tmp_path: Path) -> Path:
    """A real index-version layout holding only the typed table (no embeddings needed)."""
    meta = SourceMeta("tables/grants.csv", title="Research Grants (test table)")
    return table_index(tmp_path, CSV, meta)


def test_typed_table_in_catalog(index_root: Path) -> None:
    (table,) = read_catalog(index_root / VERSIONS / "v1")
    types = {c.name: (c.type, c.categorical) for c in table.columns}
    assert types["amount"] == ("integer", False)
    assert types["award_date"] == ("date", False)
    assert types["resource"] == ("text", True)
    assert types["grant_id"] == ("text", False)
    assert table.unit_column == "unit" and table.rows == 8


def test_filter_list_cites_rows(index_root: Path) -> None:
    a = ask(index_root, "Which grants went to Ridgeview College?")
    assert a.rows == (1, 2, 7)
    assert a.description == "grants where institution = Ridgeview College: 3 rows"
    assert a.hit.chunk.locator == a.description and a.hit.retriever == "table"
    assert "(row 7)" in a.hit.chunk.text and "[S1]" in a.text
    assert "12,000 GPU-hours" in a.text


def test_sum_within_one_unit(index_root: Path) -> None:
    a = ask(index_root, "What is the total amount of startup grants on Harbor Cloud?")
    assert "3,300 credits (USD) (2 rows)" in a.text  # 2500 + 800
    assert a.rows == (6, 8)


def test_sum_across_units_is_kept_apart(index_root: Path) -> None:
    a = ask(index_root, "What is the total of all grants in the table?")
    assert "never added" in a.text
    assert "25,700 GPU-hours (4 rows)" in a.text  # 5000 + 8000 + 700 + 12000
    assert "13,500 credits (USD) (4 rows)" in a.text  # 1200 + 9000 + 2500 + 800
    assert "39,200" not in a.text  # the meaningless cross-unit total


def test_nth_largest(index_root: Path) -> None:
    a = ask(index_root, "What is the second largest grant in GPU-hours?")
    assert a.rows == (3,) and "8,000 GPU-hours" in a.text
    a = ask(index_root, "Which grant is the smallest on Falcon Cluster?")
    assert a.rows == (4,)


def test_group_by(index_root: Path) -> None:
    a = ask(index_root, "How many grants per state?")
    lines = a.hit.chunk.text.splitlines()
    assert "- OH: 3" in lines and "- WA: 3" in lines and "- NM: 2" in lines
    a = ask(index_root, "Which resource has the most grants?")
    assert a.spec.group_by == ("resource",)
    assert "Falcon Cluster: 4" in a.text and "Harbor Cloud: 4" in a.text  # a tie: both shown


def test_date_filters(index_root: Path) -> None:
    assert ask(index_root, "Which grants were awarded in March 2025?").rows == (6, 7)
    assert ask(index_root, "Which grants were awarded on 2024-07-19?").rows == (3, 4)
    assert ask(index_root, "Which grants were awarded before 2025?").rows == (1, 2, 3, 4)


def test_fuzzy_names(index_root: Path) -> None:
    assert ask(index_root, "Which grants did Pinecrest Univ get?").rows == (3, 4, 8)
    assert ask(index_root, "grants awarded to Ridgevew Colege").rows == (1, 2, 7)


def test_state_code_and_name_agree(index_root: Path) -> None:
    by_code = ask(index_root, "Which grants went to institutions in NM?")
    by_name = ask(index_root, "Which grants went to institutions in New Mexico?")
    assert by_code.rows == by_name.rows == (5, 6)


def test_prose_questions_are_not_hijacked(index_root: Path) -> None:
    for q in (
        "How long does a startup project last?",
        "Can I request Falcon Cluster time for my class?",
        "What is a research grant?",
        "Who runs the program?",
        "How many GPUs does Falcon Cluster have?",
        # Names something the table does not hold: its answer is in the passages.
        "How many credits does the Quillfeather allocation grant?",
        # Program rules, costs and hardware, though they name table words.
        "What is the largest grant available on Falcon Cluster?",
        "How much does a research grant cost?",
        "Which resource has the most GPUs?",
        "How many SUs is one GPU-hour on Falcon Cluster?",
        "What does a startup grant include?",
    ):
        assert answer_from_tables(q, index_root) is None, q


def test_spec_is_validated_and_values_are_bound(index_root: Path) -> None:
    (table,) = read_catalog(index_root / VERSIONS / "v1")
    with pytest.raises(SpecError):
        parse_spec({"table": table.doc_id, "operation": "drop"})
    bad = QuerySpec(table=table.doc_id, filters=({"column": "state; DROP", "values": ("x",)},))  # type: ignore[arg-type]
    with pytest.raises(SpecError):
        run(bad, table, index_root / VERSIONS / "v1" / DB_FILE, 10, 2.0)
    evil = "x'); DROP TABLE " + table.name + "; --"
    spec = QuerySpec(table=table.doc_id, filters=({"column": "institution", "values": (evil,)},))  # type: ignore[arg-type]
    result = run(spec, table, index_root / VERSIONS / "v1" / DB_FILE, 10, 2.0)
    assert result.matched == 0
    assert ask(index_root, "Which grants went to Ridgeview College?").rows == (1, 2, 7)


def _chat(url: str):  # type: ignore[no-untyped-def]
    """The real OpenAI-protocol client against the loopback test server."""
    from app.backends.openai_compatible import ChatBackend

    profile = BackendProfile(kind="openai", base_url=url, model="fault", max_retries=0)
    return ChatBackend("test", profile, None)


def test_model_spec_is_validated_with_the_planner_as_fallback(index_root: Path) -> None:
    (table,) = read_catalog(index_root / VERSIONS / "v1")
    q = "Which grants went to Ridgeview College?"
    good = {
        "table": table.doc_id,
        "operation": "sum",
        "measure": "amount",
        "filters": [{"column": "institution", "op": "in", "values": ["ridgeview colege"]}],
    }
    with fault_server() as srv:
        srv.replies["goodspec"] = "Here it is:\n```json\n" + json.dumps(good) + "\n```"
        srv.replies["badspec"] = json.dumps({**good, "measure": "title"})
        srv.replies["decline"] = '{"table": null}'
        a = answer_from_tables(q, index_root, TablesSettings(), _chat(srv.url("goodspec")))
        assert a is not None and a.planner == "model"
        assert "17,000 GPU-hours" in a.text and "1,200 credits (USD)" in a.text  # per unit
        a = answer_from_tables(q, index_root, TablesSettings(), _chat(srv.url("badspec")))
        assert a is not None and a.planner == "rules" and a.rows == (1, 2, 7)
        assert "numeric measure" in a.notes[0]
        a = answer_from_tables(q, index_root, TablesSettings(), _chat(srv.url("garbage")))
        assert a is not None and a.planner == "rules"
        assert (
            answer_from_tables(q, index_root, TablesSettings(), _chat(srv.url("decline"))) is None
        )


def test_what_did_an_institution_get(index_root: Path) -> None:
    # "what did X get?" asks for X's rows even without a word like "list" or "awards".
    assert ask(index_root, "what did pinecrest univ get?").rows == (3, 4, 8)


def test_latest_rows_keep_ties_on_the_same_day(index_root: Path) -> None:
    # Two grants share 2024-07-19, the last award date of 2024: both are "the latest".
    assert ask(index_root, "What were the latest grants in 2024?").rows == (3, 4)
