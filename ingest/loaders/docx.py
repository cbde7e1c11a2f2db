"""Word (.docx) to sections split by heading; tables kept as rows and lists as items."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from ingest.errors import LoadError
from ingest.types import Section

_HEADING = re.compile(r"^(heading \d|title)$", re.I)


def read_docx(data: bytes, fallback_title: str) -> tuple[str, list[Section]]:
    """Return (document title, one section per heading with the text under it)."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(f"corrupt or not a Word file: {exc}") from exc
    except Exception as exc:  # lxml and the zip reader raise many types for damaged parts
        raise LoadError(f"corrupt Word file: {type(exc).__name__}: {exc}") from exc
    title = (doc.core_properties.title or "").strip()
    sections: list[Section] = []
    heading = ""
    lines: list[str] = []

    def flush() -> None:
        text = "\n".join(lines).strip()
        if text:
            name = heading or title or fallback_title
            sections.append(Section(text=text, locator=f"§ {name}", heading=heading))
        lines.clear()

    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_rows(block))
            continue
        text = " ".join(block.text.split())
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if _HEADING.match(style):
            if style.lower() == "title" and not title:
                title = text
            flush()
            heading = text
            continue
        lines.append(f"- {text}" if _is_list_item(block, style) else text)
    flush()
    if not sections:
        raise LoadError("Word file has no text")
    return title, sections


def _is_list_item(para: Any, style: str) -> bool:
    """True for bulleted or numbered paragraphs (by list style or direct numbering)."""
    if style.lower().startswith("list"):
        return True
    ppr = para._p.pPr  # python-docx has no public accessor for direct numbering
    return ppr is not None and ppr.numPr is not None


def _table_rows(table: Any) -> list[str]:
    """One "| a | b |" line per row, merged cells repeated once."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if not cells or cells[-1] != text:
                cells.append(text)
        if any(cells):
            rows.append("| " + " | ".join(cells) + " |")
    return rows
