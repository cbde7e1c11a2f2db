"""The resource catalogue: the shipped file validates, bad entries name entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import PilotdeskError
from app.ingest_service import check_catalogues
from ingest.catalogue import CatalogueError, load_catalogue
from ingest.pipeline import discover

DATA = Path(__file__).resolve().parents[2] / "data"

GOOD = """
[resource.box]
name = "Test box"
provider = "Test centre"
kind = "HPC GPU"
gpu = true
source = "specs/x.md"
locator = "§ Box"
as_of = "2025-11"
accelerator = "NVIDIA H100"
gpus_per_node = 4
gpu_memory_gb = 80
cpu_cores_per_node = "unknown"
memory_per_node_gb = "unknown"
request_types = ["research"]
regulated_data = "unknown"
unit = { name = "SU", rule = "gpu_share", buys = "1 GPU-hour" }
"""


def test_the_shipped_catalogue_validates_and_cites_the_spec_document() -> None:
    resources = load_catalogue(DATA / "resources.toml")
    assert len(resources) >= 15
    sources = {r.fact("gpu_memory_gb").source for r in resources}
    assert "specs/resource-specs.md" in sources
    for r in resources:
        for name in ("accelerator", "gpus_per_node", "gpu_memory_gb", "request_types"):
            fact = r.fact(name)
            assert (DATA / fact.source).is_file(), (r.id, name)
            assert fact.locator.startswith("§ "), (r.id, name)
    vista = next(r for r in resources if r.id == "vista")
    assert not vista.fact("gpu_memory_gb").known  # not re-checked at a primary source


def test_a_bad_entry_is_an_error_naming_the_entry_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "resources.toml"
    path.write_text(GOOD.replace('kind = "HPC GPU"', 'kind = "quantum"'), encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    assert "resource 'box'" in str(err.value) and "field 'kind'" in str(err.value)
    path.write_text(GOOD.replace('request_types = ["research"]', 'request_types = ["vip"]'))
    with pytest.raises(CatalogueError, match="field 'request_types'"):
        load_catalogue(path)
    path.write_text(GOOD.replace('as_of = "2025-11"', 'as_of = "last year"'))
    with pytest.raises(CatalogueError, match="field 'as_of'"):
        load_catalogue(path)


def test_ingest_checks_the_catalogue_but_never_reads_it_as_a_document(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n\nSome text about GPUs.\n", encoding="utf-8")
    (tmp_path / "resources.toml").write_text(GOOD, encoding="utf-8")
    found, skipped = discover([str(tmp_path)])
    assert [Path(s.source).name for s in found] == ["notes.md"] and not skipped
    assert check_catalogues([str(tmp_path)]) == 1
    (tmp_path / "resources.toml").write_text(GOOD.replace("gpu = true", 'gpu = "maybe"'))
    with pytest.raises(PilotdeskError, match="resource 'box', field 'gpu'"):
        check_catalogues([str(tmp_path)])


def test_pilotdesk_ingest_stops_on_a_bad_catalogue_and_leaves_no_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pilotdesk.cli import run

    (tmp_path / "notes.md").write_text("# Notes\n\nText.\n", encoding="utf-8")
    bad = GOOD.replace("gpus_per_node = 4", "gpus_per_node = [4]")
    (tmp_path / "resources.toml").write_text(bad, encoding="utf-8")
    index = tmp_path / "index"
    assert run(["ingest", str(tmp_path), "--index", str(index), "--quiet"]) == 1
    assert "resource 'box', field 'gpus_per_node" in capsys.readouterr().err
    assert not index.exists()
