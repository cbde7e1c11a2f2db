"""Sentence splitting shared by ingest (stored sentence vectors) and the extractive answer."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"(\[])")
# Stored with every index version: changing split_sentences means bumping index.store.FORMAT,
# so indexes built with the old splitting are rebuilt instead of answering with stale vectors.


def split_sentences(text: str, heading: str = "") -> list[str]:
    """Split a passage into sentences: wrapped lines are joined, bullets and rows kept whole."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        bullet = line[:1] in "-*•·|#" or bool(re.match(r"\d+[.)]\s", line))
        line = line.lstrip("-*•·# ").strip()
        prev_open = lines and lines[-1][-1:] not in ".!?:;" and not lines[-1].startswith("|")
        # "… Anvil AI:" wrapped before "21 nodes with …": a label and its value on two lines of
        # one paragraph. A list after a colon starts with a bullet or a capital instead.
        if lines and lines[-1].endswith(":") and re.match(r"[a-z0-9]", line):
            prev_open = not lines[-1].startswith("|")
        if lines == [heading.strip()] and heading:
            prev_open = False  # a slide title stays apart from its first bullet
        if prev_open and not bullet:
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    out: list[str] = []
    header: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if i + 1 < len(lines) and set(lines[i + 1]) <= set("|-: "):
                header = cells  # a Markdown table header: its row is not a sentence
                continue
            if set(line) <= set("|-: "):
                continue
            # A table row reads as "Column: value; …" so an answer can quote it.
            pairs = [f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=False) if c]
            row = "; ".join(pairs or [c for c in cells if c])
            if row:
                out.append(row)
            continue
        out.extend(s.strip() for s in _SPLIT.split(line) if s.strip())
    return out
