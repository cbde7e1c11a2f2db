"""Build the unseen2 corpus's slide deck: slides/rac-2025-information-session.pdf.

Usage (from the repository root): python eval/corpora/unseen2/build_slides.py

The deck's text lives in DECK below. Widescreen 16:9 pages, a coloured band on the left, a
title and bullets per slide, the sample notice in the footer. The output is byte-stable (fixed
creation date) and uses only core fonts, so every string must be latin-1.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
OUT = HERE / "slides" / "rac-2025-information-session.pdf"
FIXED_DATE = datetime(2024, 10, 2, tzinfo=UTC)
NOTICE = (
    "Sample material - not official. Written for a software evaluation; "
    "figures marked (illustrative) are invented."
)
BAND = (176, 32, 48)
INK = (30, 30, 40)

TITLE = "RAC 2025 Information Session"
DECK: list[tuple[str, list[str]]] = [
    (
        "RAC 2025 Information Session",
        [
            "Resource Allocation Competition for the 2025 allocation year",
            "Online session, October 2, 2024, 12:00-13:30 Eastern Time",
            "Allocations team and technical review team (sample deck)",
        ],
    ),
    (
        "Today",
        [
            "Rapid Access or the competition: which one do you need?",
            "Key dates and the two streams",
            "What is new for 2025",
            "Writing the research document and the technical justification",
            "What to expect from the results, and where to get help",
        ],
    ),
    (
        "RAS or RAC?",
        [
            "RAS: no application; every PI has a default allocation named def-<username>",
            "RAS storage requests: up to 10 TB of /project and 40 TB of nearline per group",
            "RAC: a higher priority target on a named cluster for one year",
            "RAC: storage beyond the RAS limits, or a cloud project above 80 vCPUs",
            "Rule of thumb: under about 20 core-years or 1 GPU-year, stay with RAS",
        ],
    ),
    (
        "Key dates",
        [
            "Call opens: September 25, 2024",
            "Deadline: November 7, 2024, 23:59 Pacific Time - no extensions",
            "Results: by the end of March 2025",
            "Allocations run from April 1, 2025 to March 31, 2026",
        ],
    ),
    (
        "Two streams",
        [
            "RRG - Resources for Research Groups: your group's own research program",
            "RPP - Research Platforms and Portals: services used by a wider community",
            "One RRG application per PI per competition",
            "RPP applications add a letter from the community served",
        ],
    ),
    (
        "New for 2025",
        [
            "New systems on the form: Rorqual, Fir, Nibi and Trillium",
            "They replace Béluga, Cedar, Graham and Niagara",
            "Every GPU request needs a job profile: GPU model and GPU-hours per job",
            "One research document template for RRG and RPP",
        ],
    ),
    (
        "The research document",
        [
            "At most 5 pages for RRG, 7 pages for RPP; references do not count",
            "Returning applicants: a progress section on the previous award",
            "Explain the science first, then the computational method",
            "Reviewers are researchers from related fields, not your exact specialty",
        ],
    ),
    (
        "The technical justification",
        [
            "Show the arithmetic: cores x hours per job x jobs per year / 8,760 = core-years",
            "GPU: GPU-hours per job x jobs / 8,760 = GPU-years",
            "Storage: what you hold today, what you add each month, what you delete",
            "Name the cluster and say why: GPU model, data location, software",
        ],
    ),
    (
        "What to expect",
        [
            "Demand exceeds capacity every year, so awards are scaled",
            "2024 competition: CPU awards about 40% of the request, GPU about 20% (illustrative)",
            "Fast Track: invited groups keep last year's scientific score",
            "Unused compute does not carry over to the next year",
        ],
    ),
    (
        "Getting help",
        [
            "Office hours every Wednesday, 13:00-14:00 Eastern, October 9 to November 6",
            "Application questions: rac@tech.alliancecan.ca",
            "Questions about jobs and software: support@tech.alliancecan.ca",
            "Slides and recordings: the news page",
        ],
    ),
]


class Deck(FPDF):
    """A 16:9 deck with a coloured band and the sample notice on every page."""

    def header(self) -> None:
        self.set_fill_color(*BAND)
        self.rect(0, 0, 12, self.h, style="F")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_x(22)
        self.set_font("Helvetica", size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 4, f"{TITLE}  |  slide {self.page_no()} of {len(DECK)}")
        self.ln(4)
        self.set_x(22)
        self.cell(0, 4, NOTICE)


def check_latin1() -> None:
    """Core fonts only cover latin-1: fail early with the offending text."""
    for title, bullets in DECK:
        for text in (title, *bullets):
            try:
                text.encode("latin-1")
            except UnicodeEncodeError as exc:
                raise SystemExit(f"not latin-1: {text!r}") from exc


def render() -> int:
    """Write the PDF; return the number of slides."""
    check_latin1()
    pdf = Deck(orientation="L", unit="mm", format=(190.5, 338.7))
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(TITLE)
    pdf.set_author("pilotdesk unseen2 corpus (sample)")
    pdf.set_subject(NOTICE)
    pdf.set_auto_page_break(auto=False)
    for title, bullets in DECK:
        pdf.add_page()
        pdf.set_xy(24, 18)
        pdf.set_font("Helvetica", style="B", size=30)
        pdf.set_text_color(*BAND)
        pdf.multi_cell(0, 13, title)
        pdf.set_y(pdf.get_y() + 8)
        pdf.set_font("Helvetica", size=19)
        pdf.set_text_color(*INK)
        for bullet in bullets:
            pdf.set_x(28)
            pdf.multi_cell(pdf.w - 50, 9, f"\x95 {bullet}")
            pdf.ln(3)
        if pdf.get_y() > pdf.h - 16:
            raise SystemExit(f"slide {title!r} overflows the page")
    pdf.output(str(OUT))
    return len(DECK)


def main() -> int:
    """Render the deck."""
    print(f"{OUT.name}: {render()} slides")
    return 0


if __name__ == "__main__":
    sys.exit(main())
