"""Staff uploads: refuse unsafe names, wrong types and oversized files; save atomically."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path, PurePosixPath

from app.errors import PilotdeskError

ALLOWED_SUFFIXES = (".pdf", ".html", ".htm", ".md", ".csv", ".txt", ".pptx", ".docx")
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
