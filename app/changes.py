"""The record of refreshes: what changed on which page, with a readable text diff."""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

CHANGES_NAME = "changes.jsonl"
MAX_DIFF_LINES = 200  # a rewritten page still gives a diff a person can read
KEEP_RECORDS = 200  # older refresh records are dropped when a new one is written


@dataclass(frozen=True)
class PageChange:
    """One page whose cleaned text changed."""

    url: str
    title: str
    old_as_of: str
    new_as_of: str
    diff: str = ""


@dataclass
class RefreshRecord:
    """What one refresh found (the JSON `pilotdesk refresh --json` prints, plus diffs)."""

    at: str = ""
    version: str | None = None
    checked: int = 0
    changed: list[PageChange] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The refresh report without diffs (the CLI's --json output)."""
        return {
            "checked": self.checked,
            "changed": [{k: v for k, v in asdict(c).items() if k != "diff"} for c in self.changed],
            "added": self.added,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": self.failed,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, diffs included (the change log and GET /v1/changes)."""
        return {
            "at": self.at,
            "version": self.version,
            **self.summary(),
            "changed": [asdict(c) for c in self.changed],
        }


def text_diff(old: str, new: str) -> str:
    """A unified diff of two page texts, line by line, trimmed to MAX_DIFF_LINES."""
    lines = list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), "before", "after", n=1, lineterm=""
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"… {len(lines) - MAX_DIFF_LINES} more lines"]
    return "\n".join(lines)


def record_refresh(root: Path, record: RefreshRecord) -> None:
    """Append a refresh to the change log (kept to the newest KEEP_RECORDS)."""
    path = root / CHANGES_NAME
    kept = _lines(path)[-(KEEP_RECORDS - 1) :] if KEEP_RECORDS > 1 else []
    kept.append(json.dumps(record.to_dict(), ensure_ascii=False))
    tmp = root / f".{CHANGES_NAME}.{os.getpid()}"
    tmp.write_text("\n".join(kept) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def recent_changes(root: Path, limit: int = 10) -> list[RefreshRecord]:
    """The newest refreshes first."""
    out = []
    for line in reversed(_lines(root / CHANGES_NAME)):
        try:
            d = json.loads(line)
            changed = [PageChange(**c) for c in d.pop("changed", [])]
            out.append(RefreshRecord(**d, changed=changed))
        except (ValueError, TypeError):
            continue  # a damaged line is skipped, not fatal
        if len(out) >= limit:
            break
    return out


def _lines(path: Path) -> list[str]:
    """Non-empty lines of a file ([] when missing)."""
    try:
        return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except OSError:
        return []
