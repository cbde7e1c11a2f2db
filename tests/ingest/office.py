"""Real .pptx and .docx files written with python-pptx and python-docx for tests."""

from __future__ import annotations

from pathlib import Path


def make_pptx(path: Path, slides: list[dict[str, object]], title: str = "") -> Path:
    """A deck: each slide dict has title, bullets, optional table rows and notes."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    if title:
        deck.core_properties.title = title
    for spec in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])  # title and content
        slide.shapes.title.text = str(spec["title"])
        body = slide.placeholders[1].text_frame
        bullets = list(spec.get("bullets", []))  # type: ignore[call-overload]
        body.text = bullets[0] if bullets else ""
        for b in bullets[1:]:
            body.add_paragraph().text = b
        rows = list(spec.get("table", []))  # type: ignore[call-overload]
        if rows:
            shape = slide.shapes.add_table(
                len(rows), len(rows[0]), Inches(0.5), Inches(5), Inches(8), Inches(1.5)
            )
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    shape.table.cell(r, c).text = value
        if spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = str(spec["notes"])
    deck.save(str(path))
    return path


def make_docx(path: Path, blocks: list[tuple[str, object]], title: str = "") -> Path:
    """A Word file from (kind, content) blocks: heading, para, bullet, table."""
    from docx import Document

    doc = Document()
    if title:
        doc.core_properties.title = title
    for kind, content in blocks:
        if kind == "heading":
            doc.add_heading(str(content), level=1)
        elif kind == "bullet":
            doc.add_paragraph(str(content), style="List Bullet")
        elif kind == "table":
            rows = list(content)  # type: ignore[call-overload]
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        else:
            doc.add_paragraph(str(content))
    doc.save(str(path))
    return path
