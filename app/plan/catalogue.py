"""The catalogue as the planner sees it, and [S#] keys that resolve to retrievable passages."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import PilotdeskError
from app.plan.schema import PlanCitation
from ingest.catalogue import CatalogueError, Fact, Resource, load_catalogue
from ingest.types import Chunk

CATALOGUE_FILE = "resources.toml"


def load_resources(data_dir: Path) -> list[Resource]:
    """The validated catalogue under the data folder; a bad one is an error to fix."""
    path = data_dir / CATALOGUE_FILE
    if not path.is_file():
        raise PilotdeskError(
            f"no resource catalogue at {path}; set paths.data_dir to the folder that holds "
            f"{CATALOGUE_FILE} (the sample is data/{CATALOGUE_FILE})"
        )
    try:
        return load_catalogue(path)
    except CatalogueError as exc:
        raise PilotdeskError(str(exc)) from exc


def index_chunks(index_dir: Path) -> list[Chunk]:
    """The chunks of the index's current version (no embedding model needed), or []."""
    from index.store import VERSIONS, read_manifest

    manifest = read_manifest(index_dir)
    if manifest is None:
        return []
    path = index_dir / VERSIONS / manifest.version / "chunks.jsonl"
    try:
        with open(path, encoding="utf-8") as fh:
            return [Chunk.from_dict(json.loads(line)) for line in fh if line.strip()]
    except (OSError, json.JSONDecodeError):
        return []


def document_chunks(data_dir: Path, sources: set[str]) -> list[Chunk]:
    """Chunk the cited documents straight from the data folder (when no index holds them)."""
    from ingest.chunking import ChunkingConfig
    from ingest.pipeline import IngestConfig, plan_ingest

    files = [str(data_dir / s) for s in sorted(sources) if (data_dir / s).is_file()]
    if not files:
        return []
    plan = plan_ingest(files, {}, IngestConfig(chunking=ChunkingConfig()), remove_missing=False)
    return [c for d in plan.loaded for c in d.chunks]


@dataclass
class CitationBook:
    """Hands out [S#] keys for (document, locator) pairs in the order facts are used."""

    keys: dict[tuple[str, str], str] = field(default_factory=dict)

    def key(self, source: str, locator: str) -> str:
        """The key for one passage, e.g. 'S3'."""
        pair = (source, locator)
        if pair not in self.keys:
            self.keys[pair] = f"S{len(self.keys) + 1}"
        return self.keys[pair]

    def cite(self, fact: Fact) -> str:
        """' [S#]' for a fact."""
        return f" [{self.key(fact.source, fact.locator)}]"

    def resolve(self, chunks: list[Chunk], data_dir: Path) -> tuple[list[PlanCitation], list[str]]:
        """Match every key to a chunk by document and section; say which ones are missing."""
        out: list[PlanCitation] = []
        warnings: list[str] = []
        absent = {s for s, loc in self.keys if _find(chunks, s, loc) is None}
        if absent:
            if chunks:  # an index without them: citations work, but retrieval can't find them
                warnings.append(
                    f"the index does not hold {', '.join(sorted(absent))}; cited from the data "
                    "folder instead; run: pilotdesk ingest data/"
                )
            chunks = [*chunks, *document_chunks(data_dir, absent)]
        for (source, locator), key in self.keys.items():
            chunk = _find(chunks, source, locator)
            if chunk is None:
                warnings.append(
                    f"[{key}] {source} {locator} is not in the index or the data folder; "
                    "run: pilotdesk ingest data/"
                )
                out.append(
                    PlanCitation(
                        key=key,
                        chunk_id="",
                        title=source,
                        source=source,
                        url="",
                        locator=locator,
                        as_of="",
                        snippet="",
                    )
                )
                continue
            out.append(
                PlanCitation(
                    key=key,
                    chunk_id=chunk.id,
                    title=chunk.title,
                    source=source,  # relative to the data folder: no server paths leave
                    url=_source_url(chunk),
                    locator=chunk.locator,
                    as_of=chunk.as_of,
                    snippet=snippet(chunk.text, 240),
                )
            )
        return out, warnings


_SOURCE_URL = re.compile(r"Source:.*?(https?://\S+?)[.,;)]?(?:\s|$)", re.DOTALL)


def _source_url(chunk: Chunk) -> str:
    """The primary source the passage names ("Source: https://…"), else the document's URL."""
    m = _SOURCE_URL.search(chunk.text)
    return m.group(1) if m else chunk.url


def snippet(text: str, limit: int = 240) -> str:
    """A short excerpt of a passage."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _find(chunks: list[Chunk], source: str, locator: str) -> Chunk | None:
    """The first chunk of a document section (documents are named relative to data/)."""
    for c in chunks:
        src = c.source.replace("\\", "/")
        if (src == source or src.endswith("/" + source)) and c.locator == locator:
            return c
    return None
