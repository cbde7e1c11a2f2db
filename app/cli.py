"""`pilotdesk` command line: heavy libraries are imported only by the commands that need them."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.config import Settings
    from app.types import Answer

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3


def _settings(args: argparse.Namespace) -> Settings:
    """Load settings once and apply command-line overrides."""
    from app.config import load_settings

    settings = load_settings(getattr(args, "config", None))
    if getattr(args, "index", None):
        settings.paths.index_dir = Path(args.index)
    return settings


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files, folders and URLs into the index, embedding only what changed."""
    from tqdm import tqdm

    from index.builder import apply_plan, previous_hashes
    from index.embedder import Embedder, model_label
    from ingest.chunking import ChunkingConfig
    from ingest.loaders.url import FetchPolicy
    from ingest.pipeline import IngestConfig, plan_ingest

    settings = _settings(args)
    t0 = time.perf_counter()
    root = settings.paths.index_dir
    ch = ChunkingConfig(settings.chunking.max_tokens, settings.chunking.overlap_tokens)
    ing = settings.ingest
    cfg = IngestConfig(
        chunking=ch,
        fetch=FetchPolicy(
            ing.fetch_timeout_s,
            int(ing.max_fetch_mb * 1_000_000),
            ing.max_redirects,
            tuple(ing.allow_private_hosts),
        ),
        max_file_bytes=int(ing.max_file_mb * 1_000_000),
    )
    label = model_label(settings.embedding.model)
    previous = {} if args.rebuild else previous_hashes(root, label, ch.fingerprint())
    quiet = args.quiet

    def progress(items):  # type: ignore[no-untyped-def]
        return tqdm(list(items), desc="reading", unit="doc", disable=quiet or None, leave=False)

    plan = plan_ingest(args.paths, previous, cfg, remove_missing=not args.add, progress=progress)
    embedded, total, version = 0, 0, None
    if plan.changes_index or args.rebuild:
        e = settings.embedding
        embedder = Embedder(e.model, e.batch_size, e.device)
        if not quiet and plan.new_chunks:
            print(f"embedding {len(plan.new_chunks)} chunks…", file=sys.stderr)
        result = apply_plan(
            root,
            plan,
            embedder,
            ch.fingerprint(),
            list(args.paths),
            hnsw_threshold=settings.retrieval.hnsw_threshold,
            keep_versions=settings.retrieval.keep_versions,
            show_progress=not quiet and sys.stderr.isatty(),
        )
        embedded, total, version = result.embedded, result.total_chunks, result.version
    else:
        from index.store import read_manifest

        m = read_manifest(root)
        total = sum(d.chunks for d in m.documents.values()) if m else 0
    new = sum(1 for d in plan.loaded if d.status == "new")
    changed = len(plan.loaded) - new
    secs = time.perf_counter() - t0
    print(
        f"documents: {new} new, {changed} changed, {len(plan.unchanged)} unchanged, "
        f"{len(plan.removed)} removed, {len(plan.skipped)} skipped"
    )
    print(
        f"chunks: {embedded} embedded, {total} in index"
        + (f" (version {version})" if version else "")
    )
    if not plan.changes_index and not args.rebuild:
        print("nothing changed: index left as it was")
    for s in plan.skipped:
        print(f"skipped {s.source}: {s.reason}", file=sys.stderr)
    print(f"took {secs:.1f} s, index at {root}")
    return EXIT_SKIPPED if plan.skipped else EXIT_OK


def format_answer(answer: Answer) -> str:
    """Human-readable answer with its numbered sources."""
    lines = [answer.text, ""]
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            date = f", as of {c.as_of}" if c.as_of else ""
            link = c.url or c.source
            lines.append(f"  [{c.key}] {c.title} — {c.locator}{date} — {link}")
    for w in answer.warnings:
        if not w.startswith("abstained"):
            lines.append(f"note: {w}")
    return "\n".join(lines).rstrip()


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question from the index, with citations."""
    from app.answer import Assistant

    settings = _settings(args)
    assistant = Assistant(settings)
    answer = assistant.ask(args.question, backend=args.backend, k=args.k, mode=args.retriever)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_answer(answer))
    return EXIT_OK


def cmd_chat(args: argparse.Namespace) -> int:
    """A terminal chat that keeps the conversation's history."""
    from app.answer import Assistant
    from app.types import Turn

    settings = _settings(args)
    assistant = Assistant(settings)
    history: list[Turn] = []
    print("pilotdesk chat — ask about the NAIRR Pilot; empty line or Ctrl-D quits.")
    while True:
        try:
            q = input("\nyou> ").strip()
        except EOFError:
            break
        if not q:
            break
        answer = assistant.ask(q, history, backend=args.backend)
        print("\n" + format_answer(answer))
        history += [Turn("user", q), Turn("assistant", answer.text)]
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (no heavy imports)."""
    p = argparse.ArgumentParser(
        prog="pilotdesk",
        description="A cited-answer assistant for the NAIRR Pilot: ingest documents, "
        "ask questions, serve the chat.",
    )
    p.add_argument("--config", type=Path, help="settings file (default: ./pilotdesk.toml)")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="add files, folders or URLs to the index (incremental)")
    ing.add_argument("paths", nargs="+", help="files, folders or http(s) URLs")
    ing.add_argument("--index", help="index directory (default: var/index)")
    ing.add_argument("--rebuild", action="store_true", help="re-read and re-embed everything")
    ing.add_argument(
        "--add", action="store_true", help="keep documents not named here (default: mirror them)"
    )
    ing.add_argument("--quiet", action="store_true", help="no progress bars")
    ing.set_defaults(func=cmd_ingest)

    for name, func, text in (
        ("ask", cmd_ask, "answer one question with citations"),
        ("chat", cmd_chat, "chat in the terminal"),
    ):
        sp = sub.add_parser(name, help=text)
        if name == "ask":
            sp.add_argument("question", help="the question")
            sp.add_argument("--json", action="store_true", help="print the answer as JSON")
            sp.add_argument("-k", type=int, default=None, help="passages to retrieve")
            sp.add_argument("--retriever", choices=["dense", "bm25", "hybrid"], default=None)
        sp.add_argument("--index", help="index directory (default: var/index)")
        sp.add_argument("--backend", default=None, help="backend profile (default: extractive)")
        sp.set_defaults(func=func)
    return p


def run(
    argv: Sequence[str] | None, handler: Callable[[argparse.Namespace], int] | None = None
) -> int:
    """Parse, dispatch, and translate our exceptions into a message and an exit code."""
    args = build_parser().parse_args(argv)
    from app.errors import USER_ERRORS

    try:
        return int((handler or args.func)(args))
    except USER_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))
