"""HTML pages to heading-aware sections, with navigation, banners and footers removed."""

from __future__ import annotations

import re

from ingest.errors import LoadError
from ingest.loaders.markdown import split_markdown
from ingest.types import Section

# Page furniture that trafilatura usually drops; the BeautifulSoup fallback removes it explicitly.
_FURNITURE = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button"]
_FURNITURE_HINT = re.compile(r"cookie|consent|banner|navbar|menu|footer|breadcrumb", re.I)


def read_html(html: str) -> tuple[str, str, list[Section]]:
    """Return (title, as-of date, sections) for one HTML page."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(html, "html.parser")
    except RecursionError as exc:  # pathologically deep nesting
        raise LoadError("HTML nested too deeply to parse") from exc
    title = (soup.title.get_text(" ", strip=True) if soup.title else "") or ""
    as_of = ""
    for name in ("date", "dcterms.modified", "article:modified_time", "last-modified"):
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", property=name)
        if tag and tag.get("content"):
            as_of = str(tag["content"])[:10]
            break
    md = _extract_markdown(html)
    if not md or len(md) < 40:
        md = _soup_markdown(soup)
    h1, sections = split_markdown(md)
    if not sections:
        raise LoadError("HTML page has no main text after removing page furniture")
    title = title or h1
    if h1:
        # The page's H1 is the better section context than the <title>'s site suffix.
        sections = [
            Section(s.text, s.locator if s.heading else f"§ {h1}", s.heading or h1, s.number)
            for s in sections
        ]
    return title, as_of, sections


def _extract_markdown(html: str) -> str:
    """Extract the main content as Markdown (headings and tables kept) with trafilatura."""
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        out = trafilatura.extract(
            html,
            output_format="markdown",
            include_tables=True,
            include_comments=False,
            include_links=False,
            include_formatting=True,
            favor_recall=True,
            deduplicate=False,
        )
    except (RecursionError, ValueError):
        return ""
    return out or ""


def _soup_markdown(soup: object) -> str:
    """Fallback extraction: drop furniture and walk headings, paragraphs, lists and tables."""
    from bs4 import BeautifulSoup, Tag

    assert isinstance(soup, BeautifulSoup)
    for tag in soup.find_all(_FURNITURE):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        hint = " ".join([tag.get("id") or "", *(tag.get("class") or [])])  # type: ignore[list-item]
        if hint and _FURNITURE_HINT.search(hint):
            tag.decompose()
    root = soup.find("main") or soup.body or soup
    lines: list[str] = []
    for el in root.find_all(["h1", "h2", "h3", "h4", "p", "li", "tr"]):  # type: ignore[union-attr]
        if not isinstance(el, Tag):
            continue
        if el.name in ("h1", "h2", "h3", "h4"):
            lines.append("#" * int(el.name[1]) + " " + el.get_text(" ", strip=True))
        elif el.name == "tr":
            cells = [c.get_text(" ", strip=True) for c in el.find_all(["th", "td"])]
            lines.append("| " + " | ".join(cells) + " |")
        elif el.name == "li":
            lines.append("- " + el.get_text(" ", strip=True))
        else:
            lines.append(el.get_text(" ", strip=True))
        lines.append("")
    return "\n".join(lines)
