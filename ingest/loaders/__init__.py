"""One loader per source kind; `load_bytes` picks one by file name or content type."""

from __future__ import annotations

from pathlib import PurePosixPath

from ingest.errors import LoadError
from ingest.loaders.csv_table import read_table
from ingest.loaders.docx import read_docx
from ingest.loaders.html import read_html
from ingest.loaders.markdown import split_markdown, split_plain
from ingest.loaders.pdf import read_pdf
from ingest.loaders.pptx import read_pptx
from ingest.loaders.textio import decode_text
from ingest.types import Document, Section, SourceMeta, Table, stable_id

SUFFIX_KIND = {
    ".pdf": "pdf",
    ".html": "page",
    ".htm": "page",
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "table",
    ".tsv": "table",
    ".txt": "text",
    ".pptx": "slides",
    ".docx": "document",
}
CTYPE_SUFFIX = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/markdown": ".md",
    "text/csv": ".csv",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


def suffix_for(name: str, content_type: str = "") -> str:
    """Return the loader suffix for a file name or URL path, falling back to the content type."""
    suffix = PurePosixPath(name.split("?")[0]).suffix.lower()
    if suffix in SUFFIX_KIND:
        return suffix
    return CTYPE_SUFFIX.get(content_type, "")


def load_bytes(data: bytes, meta: SourceMeta, suffix: str) -> Document:
    """Parse raw bytes into a Document; raise LoadError with a one-line reason."""
    if not data:
        raise LoadError("empty file: nothing to ingest")
    title = meta.title
    as_of = meta.as_of
    name = PurePosixPath(meta.source.split("?")[0]).stem or meta.source
    sections: list[Section]
    table: Table | None = None
    if suffix == ".pdf":
        pdf_title, sections, slides = read_pdf(data, slides=True if meta.kind == "slides" else None)
        kind = meta.kind or ("slides" if slides else "pdf")
        title = title or pdf_title
    elif suffix in (".html", ".htm"):
        page_title, page_date, sections = read_html(decode_text(data, "HTML page"))
        kind = meta.kind or "page"
        title = title or page_title
        as_of = as_of or page_date
    elif suffix in (".md", ".markdown"):
        h1, sections = split_markdown(decode_text(data, "Markdown file"))
        kind = meta.kind or "markdown"
        title = title or h1
    elif suffix in (".csv", ".tsv"):
        title = title or name.replace("-", " ").replace("_", " ")
        sections, table = read_table(decode_text(data, "CSV file"), title)
        kind = meta.kind or "table"
    elif suffix == ".pptx":
        deck_title, sections = read_pptx(data)
        kind = meta.kind or "slides"
        title = title or deck_title
    elif suffix == ".docx":
        doc_title, sections = read_docx(data, title or name)
        kind = meta.kind or "document"
        title = title or doc_title
    elif suffix == ".txt":
        sections = split_plain(decode_text(data, "text file"))
        kind = meta.kind or "text"
    else:
        raise LoadError(
            f"unsupported file type {suffix or '(none)'}; supported: " + ", ".join(SUFFIX_KIND)
        )
    if not sections:
        raise LoadError("no text found")
    return Document(
        id=stable_id(meta.source),
        source=meta.source,
        title=title or name,
        kind=kind,
        sections=tuple(sections),
        url=meta.url,
        as_of=as_of,
        table=table,
    )


__all__ = ["SUFFIX_KIND", "LoadError", "load_bytes", "suffix_for"]
