"""CLI helpers for getting sources in: the ingest report, `ingest --crawl`, and `refresh`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

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


def add_crawl_args(parser: argparse.ArgumentParser) -> None:
    """`ingest --crawl URL [--max-pages N] [--max-depth D]`."""
    parser.add_argument(
        "--crawl",
        metavar="URL",
        help="crawl a site from this start page: same host, under its path; sitemap.xml and "
        "robots.txt (Disallow, Crawl-delay) obeyed",
    )
    parser.add_argument("--max-pages", type=int, help="pages a crawl takes (default 50)")
    parser.add_argument("--max-depth", type=int, help="links followed from the start (default 3)")


def add_refresh_parser(sub: Any) -> argparse.ArgumentParser:
    """`pilotdesk refresh [--index DIR] [--json]`."""
    p: argparse.ArgumentParser = sub.add_parser(
        "refresh",
        help="re-check every web page and crawled site; re-embed only what changed",
        description="Conditional requests (ETag / If-Modified-Since), then a hash of the "
        "cleaned text, decide what changed; crawled sites are re-crawled so new and removed "
        "pages are found. Exit 3 when a page could not be checked (it keeps its old text).",
    )
    p.add_argument("--index", help="index directory (default: var/index)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    return p


def run_crawl(args: argparse.Namespace, settings: Settings) -> int:
    """Crawl a site into the index with a progress bar; print a summary."""
    from tqdm import tqdm

    from app.web_service import crawl_ingest, crawl_limits

    limits = crawl_limits(settings, args.max_pages, args.max_depth)
    bar = tqdm(total=limits.max_pages, desc="crawling", unit="page", disable=args.quiet or None)
    try:
        out = crawl_ingest(
            settings,
            args.crawl,
            max_pages=args.max_pages,
            max_depth=args.max_depth,
            on_page=lambda _url: bar.update(1),
        )
    finally:
        bar.close()
    c, plan = out.crawl, out.plan
    new = sum(1 for d in plan.loaded if d.status == "new")
    print(
        f"crawl of {c.start}: {len(c.pages)} pages fetched, {len(plan.skipped)} skipped, "
        f"{len(c.disallowed)} disallowed by robots.txt"
        + (f"; stopped at the {c.stopped}" if c.stopped else "")
    )
    print(
        f"documents: {new} new, {len(plan.loaded) - new} changed, {len(plan.unchanged)} "
        f"unchanged, {len(plan.removed)} removed"
    )
    for s in plan.skipped:
        print(f"skipped {s.source}: {s.reason}", file=sys.stderr)
    for w in plan.warnings:
        print(f"warning {w.source}: {w.message}", file=sys.stderr)
    for url in c.disallowed:
        print(f"disallowed {url}", file=sys.stderr)
    if not (plan.loaded or plan.unchanged):
        print("nothing ingested: the crawl found no readable pages", file=sys.stderr)
        return EXIT_SKIPPED if plan.skipped else EXIT_ERROR
    print(
        f"chunks: {out.embedded} embedded, {out.total} in index"
        + (f" (version {out.version})" if out.version else "")
        + f"; index at {settings.paths.index_dir}"
    )
    return EXIT_SKIPPED if plan.skipped else EXIT_OK


def run_refresh(args: argparse.Namespace, settings: Settings) -> int:
    """Refresh web sources; print the report (JSON with --json)."""
    from app.web_service import refresh

    record = refresh(settings)
    if args.json:
        print(json.dumps(record.summary(), ensure_ascii=False, indent=2))
    elif not record.checked:
        print("no web pages or crawled sites in the index: add them with `pilotdesk ingest URL`")
        print("or `pilotdesk ingest --crawl URL`; files are kept current by ingest itself")
    else:
        print(
            f"checked {record.checked}: {len(record.changed)} changed, {len(record.added)} "
            f"added, {len(record.removed)} removed, {record.unchanged} unchanged, "
            f"{len(record.failed)} failed"
            + (f" (version {record.version})" if record.version else "")
        )
        for c in record.changed:
            print(f"changed {c.url} ({c.old_as_of or '?'} → {c.new_as_of or '?'})")
        for url in record.added:
            print(f"added {url}")
        for url in record.removed:
            print(f"removed {url}")
        for f in record.failed:
            print(f"failed {f['url']}: {f['reason']}", file=sys.stderr)
    return EXIT_SKIPPED if record.failed else EXIT_OK
