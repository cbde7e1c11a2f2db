"""PDF to per-page (or per-slide) sections with pypdf."""

from __future__ import annotations

import io
import re

from ingest.errors import LoadError
from ingest.types import Section


def read_pdf(data: bytes, slides: bool | None = None) -> tuple[str, list[Section], bool]:
    """Return (title from metadata, one section per page with text, is_slide_deck)."""
    import pypdf
    from pypdf.errors import PdfReadError

    if not data:
        raise LoadError("empty file: nothing to ingest")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise LoadError("not a PDF (no %PDF header); the file is corrupt or misnamed")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are "encrypted" with an empty user password; anything else is unreadable.
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported crypto
                raise LoadError(f"encrypted PDF that cannot be opened: {exc}") from exc
            if not ok:
                raise LoadError("encrypted PDF (password required); save an unlocked copy")
        pages = list(reader.pages)
        if slides is None:
            # Landscape pages are read as slides.
            box = pages[0].mediabox if pages else None
            slides = bool(box and float(box.width) > float(box.height))
        title = ""
        if reader.metadata and reader.metadata.title:
            title = str(reader.metadata.title).strip()
        sections: list[Section] = []
        for n, page in enumerate(pages, start=1):
            text = _join_wrapped(_tidy(page.extract_text() or ""), keep_first=bool(slides))
            if not text:
                continue
            first = text.splitlines()[0].strip()
            heading = first if slides and len(first) < 120 else ""
            loc = f"slide {n}" if slides else f"p. {n}"
            sections.append(Section(text=text, locator=loc, heading=heading, number=n))
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise LoadError(f"corrupt PDF: {exc}") from exc
    if not sections:
        raise LoadError("PDF has no extractable text (scanned images need OCR first)")
    return title, _drop_running_lines(sections), slides


def _drop_running_lines(sections: list[Section]) -> list[Section]:
    """Remove headers and footers: lines (digits ignored) repeated on most pages."""
    if len(sections) < 3:
        return sections
    from collections import Counter

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lower())

    counts = Counter(k for s in sections for k in {key(ln) for ln in s.text.splitlines()})
    running = {k for k, n in counts.items() if k and n >= max(3, int(0.6 * len(sections)))}
    out = []
    for s in sections:
        kept = "\n".join(ln for ln in s.text.splitlines() if key(ln) not in running).strip()
        out.append(Section(kept or s.text, s.locator, s.heading, s.number))
    return out


def _tidy(text: str) -> str:
    """Collapse runs of spaces and blank lines that PDF extraction leaves behind."""
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n", text)
    return text.strip()


def _join_wrapped(text: str, keep_first: bool) -> str:
    """Join a line that starts in lower case or a digit to the previous unfinished line."""
    lines = text.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        title_line = keep_first and len(out) == 1 and i == 1
        prev_open = out and out[-1][-1:] not in ".!?:" and not title_line
        if prev_open and re.match(r"[a-z0-9(]", line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)
