"""Typed objects that carry documents and chunks out of the ingest stage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


def stable_id(source: str) -> str:
    """Return a short id that is stable for one source path or URL."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Section:
    """One structural unit of a document: a slide, a page, a heading section, a table row."""

    text: str
    locator: str  # "slide 4", "p. 2", "§ Eligibility", "row 17", "summary"
    heading: str = ""
    number: int | None = None  # page, slide or row number where there is one


@dataclass(frozen=True)
class SourceMeta:
    """What sources.toml (or the fetch) says about a document before it is read."""

    source: str  # the file path or URL as ingested
    title: str = ""
    url: str = ""
    kind: str = ""
    as_of: str = ""


@dataclass(frozen=True)
class Column:
    """One typed column: its name as written, type, unit and whether it is categorical."""

    name: str
    type: str  # "integer", "number", "date" or "text"
    categorical: bool = False
    unit: str = ""  # a unit the header or the cells name ("GPU-hours" in "amount (GPU-hours)")
    format: str = ""  # how the cells write a date ("%m/%d/%Y"), so answers write it the same way


@dataclass(frozen=True)
class Table:
    """A CSV kept as a typed table beside its row passages; rows carry their "row N" number."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]  # typed cells (int, float, date, str or None), one per column
    row_numbers: tuple[int, ...]
    unit_column: str = ""  # a column naming each row's unit; numbers are never added across it
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A loaded document: clean text split into structural sections."""

    id: str
    source: str
    title: str
    kind: str
    sections: tuple[Section, ...]
    url: str = ""
    as_of: str = ""
    table: Table | None = None  # set for CSV documents

    @property
    def text(self) -> str:
        """Return the whole clean text."""
        return "\n\n".join(s.text for s in self.sections)


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage with the metadata every citation needs."""

    id: str
    doc_id: str
    text: str
    title: str
    source: str
    url: str
    kind: str
    locator: str
    heading: str = ""
    as_of: str = ""

    @property
    def search_text(self) -> str:
        """Return the text that is embedded and keyword-indexed (title and heading give context)."""
        head = " — ".join(p for p in (self.title, self.heading) if p)
        return f"{head}\n{self.text}" if head else self.text

    def to_dict(self) -> dict[str, Any]:
        """Serialise for the index's chunks.jsonl."""
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "text": self.text,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "kind": self.kind,
            "locator": self.locator,
            "heading": self.heading,
            "as_of": self.as_of,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Chunk:
        """Read back what to_dict wrote."""
        return cls(**{k: d.get(k, "") for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Skipped:
    """A source that could not be ingested, with a one-line reason."""

    source: str
    reason: str


@dataclass(frozen=True)
class LoadWarning:
    """Something odd about a source that was still ingested (a ragged or mixed-type table)."""

    source: str
    message: str
