"""The planner on a plain awards export (one row per award, a per-row Unit column with one slip
of spelling): a unit that shares a word with the resource named just before it ("Falcon GPU
hours"), a resource's "time" as its hours, and "counting her supplement" as something to add
in rather than a filter. The file is written here and loaded into a real DuckDB file; sums are
checked exactly. Every name and number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

EXPORT = (
    "Award ID,PI,Institution,Resource,Request Type,Amount,Unit,Status\n"
    "FX-1,Ada Moreno,Tarn University,Falcon GPU,Research,20000,GPU hours,Active\n"
    "FX-2,Ada Moreno,Tarn University,Falcon GPU,Supplement,5000,GPU hrs,Active\n"
    "FX-3,Ben Okafor,Fell College,Falcon GPU,Research,8000,GPU hours,Complete\n"
    "FX-4,Ben Okafor,Fell College,Heron CPU,Research,300000,core hours,Active\n"
    "FX-5,Cy Lund,Tarn University,Heron CPU,Startup,50000,core hours,Active\n"
)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export as a typed table in a real DuckDB file."""
    meta = SourceMeta("export.csv", title="Tarnfell Awards Export", as_of="2025-09-30")
    return table_index(tmp_path_factory.mktemp("export"), EXPORT, meta, clean=False)


def test_a_unit_sharing_a_word_with_the_resource_is_an_amount(export: Path) -> None:
    a = ask(export, "How many Falcon GPU hours are in awards that are active right now?")
    assert "25,000" in a.text  # 20,000 + 5,000 ("GPU hrs" is the same unit), not a count
    per = ask(export, "How many Falcon GPU hours has each institution got?")
    assert "Tarn University: 25,000" in per.text and "Fell College: 8,000" in per.text


def test_a_resource_time_is_its_hours(export: Path) -> None:
    a = ask(export, "What's the total Heron time on active awards?")
    assert "350,000" in a.text


def test_counting_a_supplement_adds_it_in(export: Path) -> None:
    a = ask(export, "How many GPU hours does Ada Moreno have altogether, counting her supplement?")
    assert "25,000" in a.text and "Request Type" not in a.description
