"""Finding sources: walk folders, account for every file, read sources.toml metadata."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import LoadError
from ingest.loaders import SUFFIX_KIND
from ingest.types import Skipped, SourceMeta

MANIFEST_NAME = "sources.toml"
# Document formats we cannot read: in a folder walk they are listed as skipped (exit 3),
# unlike code, data and image files, which are merely "ignored".
UNSUPPORTED_DOCS = frozenset({".doc", ".ppt", ".xls", ".xlsx", ".odt", ".odp", ".rtf", ".epub"})


@dataclass(frozen=True)
class Source:
    """One discovered input: a file or a URL, with its manifest metadata."""

    source: str
    key: str  # what the stable id is made from: the resolved path or the URL
    meta: SourceMeta
    path: Path | None = None


@dataclass
class Discovery:
    """Every input accounted for: readable sources, skipped ones, and ignored files."""

    sources: list[Source] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _manifest_for(path: Path, cache: dict[Path, dict[str, SourceMeta]]) -> SourceMeta | None:
    """Find this file's entry in the nearest sources.toml above it (up to four levels)."""
    resolved = path.resolve()
    for parent in list(resolved.parents)[:4]:
        if parent not in cache:
            cache[parent] = _read_manifest(parent / MANIFEST_NAME)
        entries = cache[parent]
        if entries:
            rel = resolved.relative_to(parent).as_posix()
            if rel in entries:
                return entries[rel]
    return None


def _read_manifest(path: Path) -> dict[str, SourceMeta]:
    """Read a sources.toml into {relative path: metadata}; a broken one is an error to fix."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LoadError(f"{path}: invalid TOML ({exc}); fix or remove it") from exc
    out: dict[str, SourceMeta] = {}
    for entry in data.get("document", []):
        rel = str(entry.get("path", "")).strip("/")
        if rel:
            out[rel] = SourceMeta(
                source=rel,
                title=str(entry.get("title", "")),
                url=str(entry.get("url", "")),
                kind=str(entry.get("kind", "")),
                as_of=str(entry.get("as_of", "")),
            )
    return out


def _walk(root: Path) -> tuple[list[Path], list[Skipped]]:
    """Files under a folder, refusing symlinks that lead out of it (they could expose any file)."""
    base = root.resolve()
    files: list[Path] = []
    skipped: list[Skipped] = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        # resolve() follows every link on the way, so a linked file or folder that leads
        # outside the ingest root is caught whatever depth the link sits at.
        if not p.resolve().is_relative_to(base):
            skipped.append(Skipped(p.as_posix(), "symlink outside the ingest root"))
            continue
        files.append(p)
    return files, skipped


def _not_corpus(f: Path) -> bool:
    """Golden question sets and folder READMEs sit beside documents but are not corpus."""
    return f.parent.name == "eval" or f.name.lower() == "readme.md"


def scan(inputs: Iterable[str]) -> Discovery:
    """Expand folders into files, keep URLs, and say what happens to every file found."""
    out = Discovery()
    cache: dict[Path, dict[str, SourceMeta]] = {}
    for item in inputs:
        if item.startswith(("http://", "https://")):
            out.sources.append(Source(source=item, key=item, meta=SourceMeta(source=item)))
            continue
        path = Path(item)
        if path.is_dir():
            files, refused = _walk(path)
            out.skipped.extend(refused)
            named = False
        elif path.is_file():
            files, named = [path], True
        else:
            out.skipped.append(Skipped(item, "no such file or directory"))
            continue
        for f in files:
            if f.name == MANIFEST_NAME and not named:
                continue  # metadata for the files beside it, read through _manifest_for
            suffix = f.suffix.lower()
            if suffix not in SUFFIX_KIND:
                if named or suffix in UNSUPPORTED_DOCS:
                    reason = f"unsupported type {suffix or '(none)'}"
                    out.skipped.append(Skipped(f.as_posix(), reason))
                else:
                    out.ignored.append(f.as_posix())
                continue
            if not named and _not_corpus(f):
                out.ignored.append(f.as_posix())
                continue
            meta = _manifest_for(f, cache)
            src = f.as_posix()
            out.sources.append(
                Source(
                    source=src,
                    key=str(f.resolve()),
                    meta=SourceMeta(src, meta.title, meta.url, meta.kind, meta.as_of)
                    if meta
                    else SourceMeta(source=src),
                    path=f,
                )
            )
    return out


def discover(inputs: Iterable[str]) -> tuple[list[Source], list[Skipped]]:
    """Readable sources and skipped inputs (ignored files left out)."""
    found = scan(inputs)
    return found.sources, found.skipped
