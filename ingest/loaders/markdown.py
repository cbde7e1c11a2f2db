"""Markdown (and plain text) to heading-aware sections."""

from __future__ import annotations

import re

from ingest.types import Section

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def split_markdown(text: str) -> tuple[str, list[Section]]:
    """Return (first H1 title, sections split at headings); text before any heading is kept."""
    title = ""
    sections: list[Section] = []
    heading = ""
    buf: list[str] = []
    in_fence = False

    def flush() -> None:
        body = "\n".join(buf).strip()
        if body:
            loc = f"§ {heading}" if heading else "intro"
            sections.append(Section(text=body, locator=loc, heading=heading))
        buf.clear()

    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        m = None if in_fence else _HEADING.match(line)
        if m:
            flush()
            level, name = len(m.group(1)), _clean_inline(m.group(2))
            if level == 1 and not title:
                title = name
                heading = ""
            else:
                heading = name
            continue
        buf.append(line)
    flush()
    return title, sections


def _clean_inline(s: str) -> str:
    """Drop Markdown emphasis and link syntax from a heading."""
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)
    return re.sub(r"[*_`]+", "", s).strip()


def split_plain(text: str, max_chars: int = 1500) -> list[Section]:
    """Group blank-line separated paragraphs of plain text into sections."""
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    sections: list[Section] = []
    buf: list[str] = []
    for p in paras:
        if buf and sum(len(b) for b in buf) + len(p) > max_chars:
            sections.append(Section(text="\n\n".join(buf), locator=f"part {len(sections) + 1}"))
            buf = []
        buf.append(p)
    if buf:
        sections.append(Section(text="\n\n".join(buf), locator=f"part {len(sections) + 1}"))
    return sections
