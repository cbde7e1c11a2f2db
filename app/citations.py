"""Citations are checked, not hoped for: parse [S#] keys, drop unknown ones, flag bare claims."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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
