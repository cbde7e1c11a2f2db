"""Build the sample workshop slide decks in data/slides/ from data/slides/src/*.toml.

Usage (from the repository root):

    python data/build_slides.py

Every deck in data/slides/src/ becomes data/slides/<same name>.pdf: landscape A4, one slide
per page, the slide title at the top, the bullets below it and a footer on every page. The
output is byte-stable: the creation date is fixed and nothing else depends on the clock.

The decks are SAMPLE MATERIAL written for pilotdesk; they are not official NAIRR Pilot
documents (see https://nairrpilot.org). Only the core Helvetica font is used, so the TOML
text must stay within latin-1.
"""

from __future__ import annotations

import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "slides" / "src"
OUT_DIR = HERE / "slides"
FIXED_DATE = datetime(2025, 4, 3, tzinfo=UTC)
NOTICE = "Sample material - not official - see https://nairrpilot.org"
AUTHOR = "pilotdesk sample corpus"

MARGIN = 18.0
ACCENT = (31, 78, 121)
TEXT = (30, 30, 30)
MUTED = (110, 110, 110)


class SlidePDF(FPDF):
    """An FPDF document that draws the deck footer on every page."""

    def __init__(self, deck_title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.deck_title = deck_title

    def footer(self) -> None:
        self.set_y(-14)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.4)
        self.line(MARGIN, self.get_y() - 2, self.w - MARGIN, self.get_y() - 2)
        self.set_font("Helvetica", size=9)
        self.set_text_color(*MUTED)
        width = self.w - 2 * MARGIN
        self.set_x(MARGIN)
        self.cell(width / 2, 6, self.deck_title, align="L")
        self.cell(width / 2, 6, f"Slide {self.page_no()}", align="R")
        self.set_xy(MARGIN, self.get_y() + 5)
        self.cell(width, 5, NOTICE, align="L")


def check_latin1(text: str, where: str) -> None:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError as exc:
        msg = f"{where}: text is not latin-1 ({exc}); use '-' and straight quotes"
        raise SystemExit(msg) from exc


def load_deck(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        deck = tomllib.load(fh)
    for key in ("title", "date", "url", "slide"):
        if key not in deck:
            raise SystemExit(f"{path.name}: missing top-level key {key!r}")
    for i, slide in enumerate(deck["slide"], start=1):
        if not slide.get("title") or not slide.get("bullets"):
            raise SystemExit(f"{path.name}: slide {i} needs a title and bullets")
        check_latin1(slide["title"], f"{path.name} slide {i}")
        for bullet in slide["bullets"]:
            check_latin1(bullet, f"{path.name} slide {i}")
    check_latin1(deck["title"], path.name)
    return deck


def render(deck: dict[str, Any], out_path: Path) -> int:
    pdf = SlidePDF(deck["title"])
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(deck["title"])
    pdf.set_author(AUTHOR)
    pdf.set_subject(f"{NOTICE} | {deck['url']} | {deck['date']}")
    pdf.set_creator("data/build_slides.py")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=False)
    body_width = pdf.w - 2 * MARGIN

    for slide in deck["slide"]:
        pdf.add_page()
        pdf.set_fill_color(*ACCENT)
        pdf.rect(0, 0, pdf.w, 6, style="F")
        pdf.set_xy(MARGIN, 16)
        pdf.set_font("Helvetica", style="B", size=26)
        pdf.set_text_color(*ACCENT)
        pdf.multi_cell(body_width, 12, slide["title"], align="L")
        y = pdf.get_y() + 8
        pdf.set_font("Helvetica", size=17)
        pdf.set_text_color(*TEXT)
        for bullet in slide["bullets"]:
            pdf.set_fill_color(*ACCENT)
            pdf.ellipse(MARGIN + 1, y + 2.6, 2.6, 2.6, style="F")
            pdf.set_xy(MARGIN + 8, y)
            pdf.multi_cell(body_width - 8, 8.5, bullet, align="L")
            y = pdf.get_y() + 4.5
        if y > pdf.h - 20:
            raise SystemExit(f"{out_path.name}: slide {slide['title']!r} overflows the page")

    pdf.output(str(out_path))
    return len(deck["slide"])


def main() -> int:
    sources = sorted(SRC_DIR.glob("*.toml"))
    if not sources:
        print(f"no decks found in {SRC_DIR}", file=sys.stderr)
        return 1
    for src in sources:
        deck = load_deck(src)
        out_path = OUT_DIR / f"{src.stem}.pdf"
        count = render(deck, out_path)
        print(f"{out_path.relative_to(HERE.parent)}: {count} slides")
    return 0


if __name__ == "__main__":
    sys.exit(main())
