"""Build the unseen corpus's slide deck(s): slides/src/*.toml -> slides/<name>.pdf.

Usage (from the repository root): python eval/corpora/unseen/build_slides.py

Written apart from data/build_slides.py on purpose (this corpus shares nothing with data/).
Landscape A4, a title and bullets per page, a footer with the sample notice. The
output is byte-stable: the creation date is fixed. Only core fonts, so the text stays latin-1.
"""

from __future__ import annotations

import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
SRC = HERE / "slides" / "src"
OUT = HERE / "slides"
FIXED_DATE = datetime(2024, 9, 12, tzinfo=UTC)
NOTICE = "Sample material for pilotdesk's unseen evaluation corpus - not official ACCESS material"
TEAL = (19, 133, 151)
INK = (25, 25, 25)


class Deck(FPDF):
    """A landscape PDF that writes the deck title and the sample notice at the foot of a page."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.deck_title = title

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Times", size=9)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.deck_title} - page {self.page_no()}", align="L")
        self.ln(5)
        self.cell(0, 5, NOTICE, align="L")


def load(path: Path) -> dict[str, Any]:
    """Read one deck and check that every text fits latin-1."""
    with path.open("rb") as fh:
        deck = tomllib.load(fh)
    texts = [deck["title"]] + [t for s in deck["slide"] for t in [s["title"], *s["bullets"]]]
    for text in texts:
        try:
            text.encode("latin-1")
        except UnicodeEncodeError as exc:
            raise SystemExit(f"{path.name}: {text!r} is not latin-1") from exc
    return deck


def render(deck: dict[str, Any], out: Path) -> int:
    """Write the deck to out; return the number of slides."""
    pdf = Deck(deck["title"])
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(deck["title"])
    pdf.set_author("pilotdesk unseen corpus")
    pdf.set_subject(f"{NOTICE} | {deck['url']} | {deck['date']}")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 20, 20)
    for slide in deck["slide"]:
        pdf.add_page()
        pdf.set_text_color(*TEAL)
        pdf.set_font("Times", style="B", size=28)
        pdf.set_xy(20, 20)
        pdf.multi_cell(0, 12, slide["title"])
        pdf.set_draw_color(*TEAL)
        pdf.line(20, pdf.get_y() + 3, pdf.w - 20, pdf.get_y() + 3)
        pdf.set_y(pdf.get_y() + 10)
        pdf.set_text_color(*INK)
        pdf.set_font("Times", size=18)
        for bullet in slide["bullets"]:
            pdf.set_x(20)
            pdf.multi_cell(0, 9, f"- {bullet}")
            pdf.ln(3)
        if pdf.get_y() > pdf.h - 18:
            raise SystemExit(f"{out.name}: slide {slide['title']!r} overflows the page")
    pdf.output(str(out))
    return len(deck["slide"])


def main() -> int:
    """Render every deck source."""
    for src in sorted(SRC.glob("*.toml")):
        out = OUT / f"{src.stem}.pdf"
        print(f"{out.name}: {render(load(src), out)} slides")
    return 0


if __name__ == "__main__":
    sys.exit(main())
