"""Citations are checked, not hoped for: parse [S#] keys, drop unknown ones, flag bare claims."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.types import Citation
from index.types import Hit

_GROUP = re.compile(r"\[((?:\s*S\d+\s*[,;]?\s*)+)\]")
_KEY = re.compile(r"S\d+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class CheckedText:
    """Model text after citation checking."""

    text: str
    used_keys: list[str]  # valid keys in order of first use
    dropped_keys: list[str]  # keys the model invented
    uncited_sentences: int  # sentences (of 5+ words) carrying no valid key


def check_citations(text: str, valid: Sequence[str]) -> CheckedText:
    """Keep only keys that were in the prompt; normalise "[S1, S2]" to "[S1][S2]"."""
    allowed = set(valid)
    used: list[str] = []
    dropped: list[str] = []

    def fix(m: re.Match[str]) -> str:
        keys = _KEY.findall(m.group(1))
        good = [k for k in keys if k in allowed]
        dropped.extend(k for k in keys if k not in allowed)
        for k in good:
            if k not in used:
                used.append(k)
        return "".join(f"[{k}]" for k in good)

    cleaned = _GROUP.sub(fix, text)
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()
    uncited = sum(
        1
        for s in _SENTENCE.split(cleaned)
        if len(s.split()) >= 5 and not _KEY.search(s) and not s.rstrip().endswith(":")
    )
    return CheckedText(cleaned, used, dropped, uncited)


KEY_GROUP = _GROUP


def keys_in(text: str) -> list[str]:
    """The citation keys in a text, in order of first use."""
    out: list[str] = []
    for m in _GROUP.finditer(text):
        for k in _KEY.findall(m.group(1)):
            if k not in out:
                out.append(k)
    return out


def snippet(text: str, limit: int = 300) -> str:
    """A short excerpt of a passage for citation lists."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def renumber(
    text: str, used: Sequence[str], hits: Sequence[Hit], keys: Sequence[str]
) -> tuple[str, tuple[Citation, ...]]:
    """Renumber keys S1, S2, … in order of first use; each citation keeps its hit's rank."""
    in_text = keys_in(text)
    order = [k for k in in_text if k in used] + [k for k in used if k not in in_text]
    mapping = {old: f"S{i + 1}" for i, old in enumerate(order)}

    def sub(m: re.Match[str]) -> str:
        return "".join(f"[{mapping[k]}]" for k in _KEY.findall(m.group(1)) if k in mapping)

    new_text = _GROUP.sub(sub, text)
    cites = []
    for old in order:
        h = hits[list(keys).index(old)]
        c = h.chunk
        cites.append(
            Citation(
                mapping[old],
                c.id,
                c.title,
                c.source,
                c.url,
                c.locator,
                snippet(c.text),
                c.as_of,
                h.rank,
            )
        )
    return new_text, tuple(cites)


def drop_cited(text: str, key: str) -> str:
    """The text without the sentences that cite `key` (each sentence ends with its keys)."""
    pieces = re.split(r"(\[S\d+\])", text)
    out: list[str] = []
    dropping = False
    for i in range(0, len(pieces) - 1, 2):
        if pieces[i].strip():  # a new sentence starts; a bare space continues the last one's keys
            dropping = False
        dropping = dropping or pieces[i + 1] == f"[{key}]"
        if not dropping:
            out += [pieces[i], pieces[i + 1]]
    out.append(pieces[-1])
    return "".join(out).lstrip()
