"""The command line: ingest summary and exit codes, ask --json schema, --help without torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import Settings
from index.store import read_manifest
from pilotdesk.cli import EXIT_OK, EXIT_SKIPPED, run
from tests.helpers import make_pdf

ANSWER_KEYS = {
    "abstain_reason",
    "uncovered",
    "confidence",
    "id",
    "question",
    "standalone_question",
    "answer",
    "abstained",
    "citations",
    "hits",
    "backend",
    "warnings",
    "timings_ms",
}


def test_ask_json_schema(sample_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "ask",
            "How long is a startup project?",
            "--json",
            "--index",
            str(sample_settings.paths.index_dir),
        ]
    )
    assert code == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    assert set(out) == ANSWER_KEYS
    assert isinstance(out["abstained"], bool) and out["backend"] == "extractive"
    assert out["citations"], out
    for c in out["citations"]:
        fields = {"key", "rank", "title", "source", "url", "locator", "snippet", "as_of"}
        fields.add("chunk_id")
        assert fields == set(c)
        assert out["hits"][c["rank"] - 1]["chunk_id"] == c["chunk_id"]
        assert f"[{c['key']}]" in out["answer"]
    for h in out["hits"]:
        assert {"rank", "score", "chunk_id", "title", "source", "locator", "text"} <= set(h)
    assert out["hits"][0]["rank"] == 1
    assert {"retrieve", "answer", "total"} <= set(out["timings_ms"])


def test_ingest_reports_skips_with_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_text("# Good\n\nResources are free of charge to awardees.\n")
    (docs / "empty.md").write_bytes(b"")
    make_pdf(docs / "ok.pdf", [["A page about Jetstream2 inference."]])
    (docs / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    index = str(tmp_path / "idx")
    assert run(["ingest", str(docs), "--index", index, "--quiet"]) == EXIT_SKIPPED
    captured = capsys.readouterr()
    assert "2 new" in captured.out and "2 skipped" in captured.out
    assert "empty.md: empty file" in captured.err and "bad.pdf" in captured.err
    (docs / "empty.md").unlink()
    (docs / "bad.pdf").unlink()
    assert run(["ingest", str(docs), "--index", index, "--quiet"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "0 embedded" in out and "nothing changed" in out


def test_missing_index_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["ask", "anything", "--index", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no index at") and "pilotdesk ingest" in err
    assert "Traceback" not in err


def test_help_does_not_import_torch() -> None:
    code = (
        "import sys; from pilotdesk.cli import build_parser; build_parser().format_help(); "
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]


def test_add_to_an_index_built_with_other_settings_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nResources are free of charge to awardees.\n")
    (tmp_path / "b.md").write_text("# B\n\nOffice hours are on Tuesdays.\n")
    index = str(tmp_path / "idx")
    assert run(["ingest", str(docs), "--index", index, "--quiet"]) == EXIT_OK
    monkeypatch.setenv("PILOTDESK_CHUNKING__MAX_TOKENS", "120")
    assert run(["ingest", str(tmp_path / "b.md"), "--add", "--index", index, "--quiet"]) == 1
    assert "--rebuild" in capsys.readouterr().err
    monkeypatch.delenv("PILOTDESK_CHUNKING__MAX_TOKENS")
    assert run(["ask", "Is it free?", "--index", index, "--json"]) == EXIT_OK
    assert "a.md" in capsys.readouterr().out  # the first document is still there


def test_rebuild_after_moving_the_folder_keeps_one_copy(tmp_path: Path) -> None:
    """A moved folder resolves to new document ids: a rebuild must drop the old copies."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nThe Kestrel cluster has 40 GPU nodes.\n")
    (docs / "b.md").write_text("# B\n\nOffice hours are on Tuesdays.\n")
    index = tmp_path / "idx"
    assert run(["ingest", str(docs), "--index", str(index), "--quiet"]) == EXIT_OK
    moved = docs.rename(tmp_path / "moved")
    assert run(["ingest", str(moved), "--index", str(index), "--quiet", "--rebuild"]) == EXIT_OK
    manifest = read_manifest(index)
    assert manifest is not None
    assert len(manifest.documents) == 2
