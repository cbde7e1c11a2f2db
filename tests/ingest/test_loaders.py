"""Each loader on real files the tests generate."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import LoadError
from ingest.loaders import load_bytes
from ingest.types import SourceMeta
from tests.helpers import make_pdf

PAGE = """<!doctype html><html><head><title>GPU Resources | Example Office</title>
<meta name="date" content="2025-06-01"><style>body{color:red}</style>
<script>var tracking = "SECRET_TRACKER";</script></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us menu</a></li></ul></nav>
<div id="cookie-banner" class="cookie-consent">This site uses cookies to remember things.
<button>Accept</button></div>
<main><article><h1>GPU resources</h1>
<p>Delta offers A100 GPUs for deep learning research projects across the country.</p>
<h2>How to request</h2><p>Request GPU-hours in the units the provider uses, with benchmarks.</p>
<table><tr><th>Resource</th><th>Provider</th></tr><tr><td>Delta</td><td>NCSA</td></tr>
<tr><td>Vista</td><td>TACC</td></tr></table>
</article></main><footer>© 2025 Example Office · Privacy · Accessibility</footer></body></html>"""


def meta(name: str, **kw: str) -> SourceMeta:
    """Metadata for a test source."""
    return SourceMeta(source=name, **kw)


def test_pdf_pages_carry_page_numbers(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "guide.pdf",
        [
            ["Getting started", "Apply through the portal."],
            ["Reporting", "Reports are due at month 3."],
        ],
        title="Guide",
    )
    doc = load_bytes(path.read_bytes(), meta("guide.pdf"), ".pdf")
    assert doc.kind == "pdf"
    assert doc.title == "Guide"
    assert [s.locator for s in doc.sections] == ["p. 1", "p. 2"]
    assert "Reports are due at month 3." in doc.sections[1].text


def test_landscape_pdf_reads_as_slides_without_running_footer(tmp_path: Path) -> None:
    topics = ["Welcome", "Eligibility", "Resources", "Reporting"]
    pages = [
        [t, f"What to know about {t.lower()}.", f"Deck footer text - Slide {i}"]
        for i, t in enumerate(topics, 1)
    ]
    path = make_pdf(tmp_path / "deck.pdf", pages, landscape=True)
    doc = load_bytes(path.read_bytes(), meta("deck.pdf"), ".pdf")
    assert doc.kind == "slides"
    assert doc.sections[2].locator == "slide 3"
    assert doc.sections[2].heading == "Resources"
    assert all("Deck footer text" not in s.text for s in doc.sections)


def test_corrupt_pdf_raises_load_error() -> None:
    with pytest.raises(LoadError, match=r"corrupt PDF|not a PDF"):
        load_bytes(b"%PDF-1.4\n1 0 obj garbage without xref", meta("bad.pdf"), ".pdf")
    with pytest.raises(LoadError, match="not a PDF"):
        load_bytes(b"hello, I am text", meta("bad.pdf"), ".pdf")


def test_html_strips_furniture_and_keeps_headings_and_table() -> None:
    doc = load_bytes(PAGE.encode(), meta("gpu.html"), ".html")
    text = doc.text
    assert "Delta offers A100 GPUs" in text
    assert "Vista" in text and "TACC" in text  # the table survived
    for furniture in ("cookies", "About us menu", "Privacy", "SECRET_TRACKER", "color:red"):
        assert furniture not in text
    assert doc.as_of == "2025-06-01"
    assert any(s.heading == "How to request" for s in doc.sections)
    assert doc.sections[-1].locator.startswith("§ ")


def test_markdown_sections_follow_headings() -> None:
    md = "# FAQ\n\nIntro line here.\n\n## Who can apply?\nUS researchers.\n\n## When?\nAny time.\n"
    doc = load_bytes(md.encode(), meta("faq.md"), ".md")
    assert doc.title == "FAQ"
    assert [s.locator for s in doc.sections] == ["intro", "§ Who can apply?", "§ When?"]


def test_csv_rows_and_summaries() -> None:
    csv_text = (
        "project_id,title,institution,state,request_type,resource,amount,unit\n"
        "P1,Alpha,Uni A,OH,classroom,Delta,100,GPU-hours\n"
        "P2,Beta,Uni B,TX,research,Delta,5000,GPU-hours\n"
        "P3,Gamma,Uni C,TX,classroom,Vista,700,node-hours\n"
        "P4,Delta ragged row,Uni D\n"
    )
    doc = load_bytes(csv_text.encode(), meta("awards.csv", title="Awards"), ".csv")
    rows = [s for s in doc.sections if s.locator.startswith("row")]
    assert len(rows) == 4 and rows[1].locator == "row 2"
    assert "institution: Uni B" in rows[1].text and "amount: 5000" in rows[1].text
    summary = " ".join(s.text for s in doc.sections if s.locator == "summary")
    assert "4 allocations" in summary
    assert "2 of the 4 listed awards have request type classroom." in summary
    assert "The largest allocation on Delta is 5000 GPU-hours to Beta (P2, Uni B)" in summary
    assert "the second largest is 100 GPU-hours to Alpha" in summary


def test_latin1_text_is_decoded_and_binary_refused() -> None:
    doc = load_bytes("Café résumé notes".encode("latin-1"), meta("n.txt"), ".txt")
    assert "Café" in doc.text
    with pytest.raises(LoadError, match="binary"):
        load_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 20, meta("img.md"), ".md")
    with pytest.raises(LoadError, match="empty"):
        load_bytes(b"", meta("empty.md"), ".md")
