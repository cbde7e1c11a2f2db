"""Decoding raw bytes into text, refusing binary data."""

from __future__ import annotations

from ingest.errors import LoadError


def decode_text(data: bytes, what: str = "file") -> str:
    """Decode bytes as UTF-8 (or Latin-1 as a fallback); raise LoadError on binary data."""
    if not data.strip():
        raise LoadError(f"empty {what}: nothing to ingest")
    sample = data[:8192]
    if b"\x00" in sample:
        raise LoadError(f"binary data in a text {what} (NUL bytes); check the file type")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Latin-1 maps every byte; reject it if the result is mostly control characters.
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 50):
        raise LoadError(f"binary data in a text {what}; check the file type")
    return text.replace("\r\n", "\n").replace("\r", "\n")
