"""PowerPoint and Word files built with python-pptx / python-docx, ingested and answered."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.answer import Assistant
from app.config import load_settings
from app.ingest_service import ingest
from index.embedder import Embedder
from ingest.loaders import load_bytes
from ingest.types import SourceMeta
from pilotdesk.cli import EXIT_OK, EXIT_SKIPPED, run
from tests.ingest.office import make_docx, make_pptx

SLIDES: list[dict[str, object]] = [
    {"title": "Welcome to the Pilot", "bullets": ["Agenda for today's workshop"]},
    {
        "title": "Partner systems",
        "bullets": ["Systems offered this round"],
        "table": [["System", "Accelerators"], ["Osprey", "96 GPUs"]],
    },
    {
        "title": "Proposal deadlines",
        "bullets": ["Heron allocation proposals close on the fourteenth of March"],
        "notes": "Remind attendees that late proposals roll to the next round.",
    },
]
BLOCKS: list[tuple[str, object]] = [
    ("para", "This handout summarises the rules for applicants."),
    ("heading", "Eligibility"),
    ("para", "Teams at tribal colleges may apply for Heron starter allocations."),
    ("bullet", "A faculty sponsor must sign the request"),
    ("bullet", "Students apply through their sponsor"),
    ("heading", "Quotas"),
    ("table", [["Tier", "GPU hours"], ["Starter", "5,000"], ["Full", "50,000"]]),
]


def test_pptx_sections_are_slides_with_tables_and_marked_notes(tmp_path: Path) -> None:
    deck = make_pptx(tmp_path / "workshop-deck.pptx", SLIDES)
    doc = load_bytes(deck.read_bytes(), SourceMeta(deck.as_posix()), ".pptx")
    assert doc.title == "workshop-deck" and doc.kind == "slides"  # no deck title: file name
    assert [s.locator for s in doc.sections] == ["slide 1", "slide 2", "slide 3"]
    assert doc.sections[1].heading == "Partner systems"
    assert "| Osprey | 96 GPUs |" in doc.sections[1].text.splitlines()
    assert "Speaker notes: Remind attendees" in doc.sections[2].text
    titled = make_pptx(tmp_path / "t.pptx", SLIDES[:1], title="Spring Workshop")
    assert load_bytes(titled.read_bytes(), SourceMeta("t.pptx"), ".pptx").title == "Spring Workshop"


def test_docx_splits_by_heading_and_keeps_lists_and_table_rows(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "handout.docx", BLOCKS, title="Applicant handout")
    doc = load_bytes(path.read_bytes(), SourceMeta(path.as_posix()), ".docx")
    assert doc.title == "Applicant handout"
    assert [s.locator for s in doc.sections] == [
        "§ Applicant handout",
        "§ Eligibility",
        "§ Quotas",
    ]
    assert "- A faculty sponsor must sign the request" in doc.sections[1].text.splitlines()
    assert doc.sections[2].text.splitlines() == [
        "| Tier | GPU hours |",
        "| Starter | 5,000 |",
        "| Full | 50,000 |",
    ]


def test_office_facts_are_answered_and_cited_by_slide_and_heading(
    tmp_path: Path, embedder: Embedder
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    make_pptx(docs / "deck.pptx", SLIDES)
    make_docx(docs / "handout.docx", BLOCKS)
    settings = load_settings()
    settings.paths.index_dir = tmp_path / "index"
    out = ingest(settings, [str(docs)], embedder=embedder)
    assert out.new == 2 and out.plan.skipped == []
    bot = Assistant(settings, embedder)

    answer = bot.ask("When do Heron allocation proposals close?")
    assert "fourteenth of March" in answer.text
    assert any(c.locator == "slide 3" for c in answer.citations)

    answer = bot.ask("Can teams at tribal colleges apply for Heron starter allocations?")
    assert "tribal colleges" in answer.text
    assert any(c.locator == "§ Eligibility" for c in answer.citations)


def test_every_file_is_accounted_for(
    tmp_path: Path, embedder: Embedder, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.md").write_text("# Notes\n\nOffice hours are on Tuesdays for applicants.\n")
    settings = load_settings()
    settings.paths.index_dir = tmp_path / "idx"
    ingest(settings, [str(docs)], embedder=embedder)  # the CLI runs below then embed nothing
    (docs / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 legacy word")
    (docs / "budget.xlsx").write_bytes(b"PK\x03\x04 sheet")
    (docs / "script.py").write_text("print('hi')\n")
    (docs / "logo.png").write_bytes(b"\x89PNG\r\n")
    index = str(tmp_path / "idx")

    assert run(["ingest", str(docs), "--index", index, "--quiet"]) == EXIT_SKIPPED
    out, err = capsys.readouterr()
    assert "1 unchanged" in out and "2 skipped, 2 ignored" in out
    assert "old.doc: unsupported type .doc" in err and "budget.xlsx: unsupported type .xlsx" in err
    assert "script.py" in err and "logo.png" in err and "ignored" in err

    (docs / "old.doc").unlink()
    (docs / "budget.xlsx").unlink()
    assert run(["ingest", str(docs), "--index", index, "--quiet"]) == EXIT_OK  # ignored ≠ error
    assert "index at" in capsys.readouterr().out

    named = tmp_path / "named.key"
    named.write_bytes(b"keynote")
    assert run(["ingest", str(named), "--index", str(tmp_path / "i2"), "--quiet"]) == EXIT_SKIPPED
    out, err = capsys.readouterr()
    assert "unsupported type .key" in err and "nothing ingested" in err
    assert "index at" not in out + err


def test_staff_upload_accepts_office_files() -> None:
    from app.ui.uploads import check_name

    assert check_name("Spring deck.pptx") == "Spring_deck.pptx"
    assert check_name("handout.docx") == "handout.docx"


@pytest.mark.parametrize("suffix", [".pptx", ".docx"])
def test_damaged_office_files_are_skipped_with_a_reason(tmp_path: Path, suffix: str) -> None:
    from ingest.errors import LoadError

    good = (
        make_pptx(tmp_path / "g.pptx", SLIDES[:1])
        if suffix == ".pptx"
        else make_docx(tmp_path / "g.docx", BLOCKS[:2])
    )
    for data in (b"PK\x03\x04 not really a zip", good.read_bytes()[:400]):
        with pytest.raises(LoadError, match="corrupt"):
            load_bytes(data, SourceMeta(f"x{suffix}"), suffix)
