"""Work listed in phases (numbered items, bullets or the rows of a pasted table): each phase
sized on its own in GPU-hours, and the phases summed, instead of reading one figure of each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from app.plan.amounts import read_gpus, read_time, read_total
from app.plan.schema import Phase

# A listed item: "1) …", "2. …", "- …", "Phase 2: …" at the start of a line.
_ITEM = re.compile(
    r"(?im)^[ \t]*(?:\(?\d{1,2}[.)]|[-*•]|(?:phase|stage|step|part|chapter|ch\.?|aim|wp)\s*\d+"
    r"\s*[:.)-]?)[ \t]*"
)
_TOTAL_ROW = re.compile(r"^\s*(?:total|sum|overall|grand total|all)\b", re.I)


def listed_items(text: str) -> list[str]:
    """The text of each listed item (nothing when fewer than two are listed)."""
    starts = [m.end() for m in _ITEM.finditer(text)]
    items = []
    for n, start in enumerate(starts):
        end = text.find("\n", start)
        if n + 1 < len(starts):
            end = min(e for e in (end, starts[n + 1]) if e != -1) if end != -1 else starts[n + 1]
        items.append(text[start : None if end == -1 else end].strip())
    items = [i for i in items if i and not _TOTAL_ROW.match(i)]
    return items if len(items) >= 2 else []


def _phase(raw: str, t: str) -> Phase | None:
    """One item's GPU-hours: GPUs × hours × runs, else a total it states in GPU-hours."""
    f: dict[str, Any] = {"assumed": []}
    read_gpus(t, f)
    read_time(t, f)
    read_total(t, f)
    label = re.split(r"[:(]", raw, maxsplit=1)[0].strip()[:60] or raw[:60]
    gpus, hours, runs = f.get("gpus"), f.get("hours_per_run"), f.get("runs") or 1
    if gpus and hours:
        amount = gpus * hours * runs
        times = f" × {runs} runs" if runs > 1 else ""
        line = f"{gpus} GPU{'s' * (gpus != 1)} × {hours:g} h{times} = {amount:g} GPU-hours"
        return Phase(label=label, gpu_hours=amount, step=line)
    if f.get("total_unit") == "GPU-hours" and not f.get("total_per_run"):
        step: str | None = None
        if "total_from" in f:
            nodes, per = f["total_from"]
            step = f"{nodes:g} node-hours × {per} GPUs per node = {f['total_amount']:g} GPU-hours"
        return Phase(label=label, gpu_hours=f["total_amount"], step=step)
    return None


def read_phases(text: str, prepare: Callable[[str], str]) -> list[Phase]:
    """The phases when at least two listed items are each sized; else none.

    `prepare` turns an item's raw text into the normalised text the readers take.
    """
    items = listed_items(text)
    phases = [p for raw in items if (p := _phase(raw, prepare(raw))) is not None]
    return phases if len(phases) >= 2 else []
