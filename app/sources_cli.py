"""CLI helpers for getting sources in: the ingest report, `ingest --crawl`, and `refresh`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.config import Settings
    from app.ingest_service import IngestOutcome

EXIT_OK, EXIT_ERROR, EXIT_SKIPPED = 0, 1, 3


def report_ingest(out: IngestOutcome, settings: Settings, rebuild: bool) -> int:
    """Print what an ingest run did, every input accounted for; return the exit code."""
    plan = out.plan
    print(
        f"documents: {out.new} new, {out.changed} changed, {len(plan.unchanged)} unchanged, "
        f"{len(plan.removed)} removed, {len(plan.skipped)} skipped, {len(plan.ignored)} ignored"
    )
    for s in plan.skipped:
        print(f"skipped {s.source}: {s.reason}", file=sys.stderr)
    for w in plan.warnings:
        print(f"warning {w.source}: {w.message}", file=sys.stderr)
    if plan.ignored:
        shown = ", ".join(plan.ignored[:5]) + (" …" if len(plan.ignored) > 5 else "")
        print(f"ignored (not documents): {shown}", file=sys.stderr)
    if plan.remembered:
        print(f"{plan.remembered} skipped files unchanged since the last run (not read again)")
    if not (plan.loaded or plan.unchanged or out.version):
        # Nothing readable at all: no "index at …" as if something had been built.
        print("nothing ingested: no readable documents in the inputs", file=sys.stderr)
        return EXIT_SKIPPED if plan.skipped else EXIT_ERROR
    print(
        f"chunks: {out.embedded} embedded, {out.total} in index"
        + (f" (version {out.version})" if out.version else "")
    )
    if not plan.changes_index and not rebuild:
        print("nothing changed: index left as it was")
    print(f"took {out.seconds:.1f} s, index at {settings.paths.index_dir}")
    return EXIT_SKIPPED if plan.skipped else EXIT_OK
