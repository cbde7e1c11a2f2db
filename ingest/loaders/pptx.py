"""PowerPoint (.pptx) to one section per slide: title, body in reading order, tables, notes."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from ingest.errors import LoadError
from ingest.types import Section


def read_pptx(data: bytes) -> tuple[str, list[Section]]:
    """Return (deck title from its properties, one section per slide with text)."""
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    try:
        deck = Presentation(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(f"corrupt or not a PowerPoint file: {exc}") from exc
    except Exception as exc:  # lxml and the zip reader raise many types for damaged parts
        raise LoadError(f"corrupt PowerPoint file: {type(exc).__name__}: {exc}") from exc
    title = (deck.core_properties.title or "").strip()
    sections: list[Section] = []
    for n, slide in enumerate(deck.slides, start=1):
        heading = _slide_title(slide)
        lines = [heading] if heading else []
        # Reading order: top to bottom, then left to right (placeholders keep no other order).
        for shape in sorted(slide.shapes, key=_position):
            if shape == slide.shapes.title:
                continue
            lines += _shape_lines(shape)
        notes = _notes(slide)
        if notes:
            lines.append(f"Speaker notes: {notes}")
        text = "\n".join(ln for ln in lines if ln.strip())
        if text.strip():
            sections.append(Section(text=text, locator=f"slide {n}", heading=heading, number=n))
    if not sections:
        raise LoadError("PowerPoint file has no text on any slide")
    return title, sections


def _position(shape: Any) -> tuple[int, int]:
    """Sort key: top edge, then left edge (shapes without a position go last)."""
    return (shape.top if shape.top is not None else 1 << 40, shape.left or 0)


def _slide_title(slide: Any) -> str:
    """The slide's title placeholder text, if it has one."""
    shape = slide.shapes.title
    return " ".join(shape.text_frame.text.split()) if shape is not None else ""


def _shape_lines(shape: Any) -> list[str]:
    """Text of one shape: paragraphs (bulleted by level), table rows, grouped shapes."""
    if shape.shape_type is not None and getattr(shape, "shapes", None) is not None:
        return [ln for child in sorted(shape.shapes, key=_position) for ln in _shape_lines(child)]
    if getattr(shape, "has_table", False) and shape.has_table:
        rows = []
        for row in shape.table.rows:
            cells = [" ".join(c.text.split()) for c in row.cells]
            rows.append("| " + " | ".join(cells) + " |")
        return rows
    if not getattr(shape, "has_text_frame", False) or not shape.has_text_frame:
        return []
    out = []
    for para in shape.text_frame.paragraphs:
        text = " ".join(para.text.split())
        if text:
            out.append(("  " * para.level + "- " + text) if para.level else text)
    return out


def _notes(slide: Any) -> str:
    """The speaker notes as one line ('' when there are none)."""
    if not slide.has_notes_slide:
        return ""
    frame = slide.notes_slide.notes_text_frame
    return " ".join(frame.text.split()) if frame is not None else ""
