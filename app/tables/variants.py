"""One name written several ways ('Univ. of Kallio', 'University of Kallio') is one group."""

from __future__ import annotations

from typing import Any

from app.tables.canon import label, variants
from index.tables import TableInfo

Record = tuple[Any, ...]


def spellings(table: TableInfo, names: list[str]) -> dict[int, dict[str, str]]:
    """For each group key (by position) whose column writes one name several ways: each
    spelling → one label naming them all ('University of Kallio / Univ. of Kallio')."""
    out: dict[int, dict[str, str]] = {}
    for pos, name in enumerate(names):
        labels = {v: label(vs) for v, vs in variants(table, name).items()}
        if labels:
            out[pos] = labels
    return out


def merge(recs: list[Record], n_keys: int, labels: dict[int, dict[str, str]]) -> list[Record]:
    """Records (*keys, *numbers): spellings of one name relabelled, their numbers added."""
    merged: dict[Record, list[Any]] = {}
    for r in recs:
        key = tuple(
            labels.get(i, {}).get(v, v) if isinstance(v, str) else v
            for i, v in enumerate(r[:n_keys])
        )
        nums = merged.setdefault(key, [0] * (len(r) - n_keys))
        for j, x in enumerate(r[n_keys:]):
            nums[j] += x or 0
    return [(*k, *v) for k, v in merged.items()]


def ordered(recs: list[Record], n_keys: int, by_key: bool, desc: bool) -> list[Record]:
    """Records in key order, or by their last number (largest first when desc), then key."""

    def key_text(r: Record) -> tuple[str, ...]:
        return tuple("" if v is None else str(v) for v in r[:n_keys])

    if by_key:
        return sorted(recs, key=key_text)
    return sorted(recs, key=lambda r: (-r[-1] if desc else r[-1], key_text(r)))
