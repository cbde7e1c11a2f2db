"""Structure-aware chunking: a slide, a section or a row is a chunk unless it is too long."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ingest.types import Chunk, Document


@dataclass(frozen=True)
class ChunkingConfig:
    """How long sections are split (tokens as counted by llama-index's default tokenizer)."""

    max_tokens: int = 200
    overlap_tokens: int = 30

    def fingerprint(self) -> dict[str, int]:
        """Return what shapes the chunks, for the index fingerprint."""
        return {"max_tokens": self.max_tokens, "overlap_tokens": self.overlap_tokens}


@lru_cache(maxsize=4)
def _splitter(max_tokens: int, overlap: int) -> Callable[[str], list[str]]:
    """Build llama-index's SentenceSplitter once; it keeps sentences whole within the cap."""
    from llama_index.core.node_parser import SentenceSplitter

    splitter = SentenceSplitter(chunk_size=max_tokens, chunk_overlap=overlap)
    return splitter.split_text


def chunk_document(doc: Document, cfg: ChunkingConfig) -> list[Chunk]:
    """Split a document's sections into chunks that carry title, source and locator."""
    chunks: list[Chunk] = []
    # Whitespace word counts over-estimate nothing much here; exact counting only when near the cap.
    for section in doc.sections:
        words = len(section.text.split())
        if words * 1.6 <= cfg.max_tokens:
            pieces = [section.text]
        else:
            pieces = _splitter(cfg.max_tokens, cfg.overlap_tokens)(section.text) or [section.text]
        for piece in pieces:
            chunks.append(
                Chunk(
                    id=f"{doc.id}-{len(chunks):04d}",
                    doc_id=doc.id,
                    text=piece.strip(),
                    title=doc.title,
                    source=doc.source,
                    url=doc.url,
                    kind=doc.kind,
                    locator=section.locator,
                    heading=section.heading,
                    as_of=doc.as_of,
                )
            )
    return [c for c in chunks if c.text]
