"""Staff uploads: refuse unsafe names, wrong types and oversized files; save atomically."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app.errors import PilotdeskError

ALLOWED_SUFFIXES = (".pdf", ".html", ".htm", ".md", ".csv", ".txt", ".pptx", ".docx")
# The ingest pipeline reads titles, URLs and dates from this file beside the documents.
MANIFEST = "sources.toml"
MAX_NAME_CHARS = 150
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


class UploadRefused(PilotdeskError):
    """An uploaded file was not saved; the message says why."""


def check_name(name: str) -> str:
    """Return the sanitised file name to save under, or raise UploadRefused."""
    if not name or len(name) > MAX_NAME_CHARS:
        raise UploadRefused(f"file name must be 1–{MAX_NAME_CHARS} characters")
    if (
        "/" in name
        or "\\" in name
        or ".." in name
        or name.startswith(".")
        or any(ord(ch) < 32 for ch in name)
    ):
        raise UploadRefused(
            f"{name}: refused; a file name may not contain a path (/, \\, ..), control "
            "characters, or start with a dot"
        )
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRefused(
            f"{name}: refused; only {', '.join(ALLOWED_SUFFIXES)} files can be ingested"
        )
    # Keep a plain ASCII name: spaces and other characters become underscores.
    stem = _UNSAFE_CHARS.sub("_", name[: -len(suffix)]).strip("._-") or "upload"
    return stem + suffix


def save_upload(folder: Path, name: str, data: bytes, max_bytes: int) -> Path:
    """Check and write one uploaded file into `folder`; returns where it was saved."""
    clean = check_name(name)
    if not data:
        raise UploadRefused(f"{name}: refused; the file is empty")
    if len(data) > max_bytes:
        raise UploadRefused(
            f"{name}: refused; {len(data):,} bytes is over the {max_bytes:,}-byte limit "
            "(ingest.max_file_mb)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / clean
    if target.resolve().parent != folder.resolve():
        raise UploadRefused(f"{name}: refused; it would be saved outside the uploads folder")
    # Write beside the target, then rename: a half-written file is never ingested.
    part = folder / f".{clean}.{uuid.uuid4().hex[:8]}.part"
    try:
        part.write_bytes(data)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target


def is_upload(source: str, folder: Path) -> bool:
    """True when a document's source is a file in the uploads folder."""
    if source.startswith(("http://", "https://")):
        return False
    try:
        return Path(source).resolve().parent == folder.resolve()
    except OSError:
        return False


@dataclass(frozen=True)
class UploadMeta:
    """What staff say about an upload: how to cite it (title, canonical URL) and its date."""

    title: str = ""
    url: str = ""
    as_of: str = ""

    def checked(self) -> UploadMeta:
        """The same, trimmed; raise UploadRefused for a URL or date that cannot be used."""
        title, url, as_of = self.title.strip(), self.url.strip(), self.as_of.strip()
        if url and not url.lower().startswith(("http://", "https://")):
            raise UploadRefused(f"{url}: refused; the URL must start with http:// or https://")
        if as_of:
            try:
                dt.date.fromisoformat(as_of)
            except ValueError:
                raise UploadRefused(
                    f"{as_of}: refused; write the as-of date as YYYY-MM-DD"
                ) from None
        if len(title) > 300 or len(url) > 2000:
            raise UploadRefused("refused; keep the title under 300 and the URL under 2000 chars")
        return UploadMeta(title, url, as_of)


def _read_entries(folder: Path) -> dict[str, dict[str, str]]:
    """The uploads folder's sources.toml as {file name: fields}."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        str(e["path"]): {k: str(v) for k, v in e.items() if k != "path"}
        for e in data.get("document", [])
        if e.get("path")
    }


def _write_entries(folder: Path, entries: dict[str, dict[str, str]]) -> None:
    """Write sources.toml atomically (JSON strings are valid TOML basic strings)."""
    lines = ["# Written by the staff view: how uploaded files are cited.", ""]
    for name in sorted(entries):
        lines.append("[[document]]")
        lines.append(f"path = {json.dumps(name)}")
        for key, value in entries[name].items():
            if value:
                lines.append(f"{key} = {json.dumps(value)}")
        lines.append("")
    part = folder / f".{MANIFEST}.{uuid.uuid4().hex[:8]}.part"
    part.write_text("\n".join(lines), encoding="utf-8")
    os.replace(part, folder / MANIFEST)


def record_meta(folder: Path, name: str, meta: UploadMeta) -> None:
    """Remember (or forget, when empty) how one uploaded file is cited."""
    entries = _read_entries(folder)
    fields = {"title": meta.title, "url": meta.url, "as_of": meta.as_of}
    if not any(fields.values()) and name not in entries:
        return  # nothing to say about this file, and nothing said before
    if any(fields.values()):
        entries[name] = fields
    else:
        entries.pop(name, None)
    folder.mkdir(parents=True, exist_ok=True)
    _write_entries(folder, entries)


def forget_meta(folder: Path, name: str) -> None:
    """Drop a removed upload's entry."""
    entries = _read_entries(folder)
    if entries.pop(name, None) is not None:
        _write_entries(folder, entries)
