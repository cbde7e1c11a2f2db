"""`pilotdesk` command line, the composition root; heavy libraries load only when needed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
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

    from app.ingest_service import ingest

    settings = _settings(args)
    quiet = args.quiet
    if args.crawl or not args.paths:
        from app.sources_cli import run_crawl

        if not args.crawl:
            print("error: name files, folders or URLs to ingest, or --crawl URL", file=sys.stderr)
            return EXIT_USAGE
        if args.paths:
            print(
                "error: --crawl takes one start URL; ingest other paths separately", file=sys.stderr
            )
            return EXIT_USAGE
        return run_crawl(args, settings)

    def progress(items):  # type: ignore[no-untyped-def]
        return tqdm(list(items), desc="reading", unit="doc", disable=quiet or None, leave=False)

    def on_embed(n: int) -> None:
        if not quiet and n:
            print(f"embedding {n} chunks…", file=sys.stderr)

    out = ingest(
        settings,
        args.paths,
        add=args.add,
        rebuild=args.rebuild,
        progress=progress,
        on_embed=on_embed,
        show_progress=not quiet and sys.stderr.isatty(),
    )
    from app.sources_cli import report_ingest

    return report_ingest(out, settings, args.rebuild)


def cmd_refresh(args: argparse.Namespace) -> int:
    """Re-check web sources and re-embed what changed (see app/sources_cli.py)."""
    from app.sources_cli import run_refresh

    return run_refresh(args, _settings(args))


def format_answer(answer: Answer) -> str:
    """Human-readable answer with its numbered sources."""
    lines = [answer.text, ""]
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            date = f", as of {c.as_of}" if c.as_of else ""
            link = c.url or c.source
            lines.append(f"  [{c.key}] {c.title} — {c.locator}{date} — {link}")
    if answer.abstain_reason:
        lines.append(f"why: {answer.abstain_reason}")
    if answer.uncovered:
        lines.append("not covered by the documents: " + "; ".join(answer.uncovered))
    for w in answer.warnings:
        lines.append(f"note: {w.message}")
    return "\n".join(lines).rstrip()


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question from the index, with citations."""
    from app.answer import Assistant

    settings = _settings(args)
    assistant = Assistant(settings)
    answer = assistant.ask(args.question, backend=args.backend, k=args.k, mode=args.retriever)
    if args.json:
        from app.schema import answer_out

        print(answer_out(answer).model_dump_json(indent=2))
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


def cmd_ui(args: argparse.Namespace) -> int:
    """Start the Streamlit chat UI and staff view (settings reach it through the environment)."""
    import os
    import subprocess

    env = dict(os.environ)
    if args.index:
        env["PILOTDESK_PATHS__INDEX_DIR"] = str(Path(args.index).resolve())
    if args.config:
        env["PILOTDESK_CONFIG"] = str(Path(args.config).resolve())
    from app.config import load_settings
    from app.errors import ConfigError
    from app.scrub import check_secret_lengths

    try:  # refuse a too-short secret now, not on the first page view
        check_secret_lengths(load_settings(Path(args.config) if args.config else None))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    import app.ui

    # launcher.py serves the app (chat.py) plus the staff sign-in routes on one port.
    script = Path(app.ui.__file__).resolve().parent / "launcher.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    cmd += ["--browser.gatherUsageStats", "false", "--client.showErrorDetails", "none"]
    cmd += ["--client.toolbarMode", "viewer"]  # no developer menu for applicants
    cmd += ["--server.address", args.host, "--server.port", str(args.port)]
    print(f"pilotdesk UI at http://{args.host}:{args.port} (staff view: /staff); Ctrl-C stops")
    return subprocess.call(cmd, env=env)


def cmd_llm_serve(args: argparse.Namespace) -> int:
    """Serve a GGUF model with llama.cpp where the `local` profile points."""
    from urllib.parse import urlsplit

    from app.llm_server import default_model, serve_forever, start_server

    settings = _settings(args)
    target = urlsplit(settings.profile("local").base_url)
    host = args.host or target.hostname or "127.0.0.1"
    port = args.port or target.port or 8765
    model = Path(args.model) if args.model else default_model(settings.backend.local_model)
    server = start_server(model, host, port, threads=args.threads, ctx=args.ctx)
    print(f"serving {model.name} at http://{host}:{port}/v1 (model name: local); Ctrl-C stops")
    serve_forever(server)
    return EXIT_OK


def cmd_backends(args: argparse.Namespace) -> int:
    """List backend profiles and check each one's health."""
    from app.backends.registry import make_backend
    from app.errors import PilotdeskError
    from index.embedder import Embedder

    settings = _settings(args)
    e = settings.embedding
    embedder = Embedder(e.model, e.batch_size, e.device)  # loads nothing until it embeds
    for name, prof in sorted(settings.backend.profiles.items()):
        mark = "*" if name == settings.backend.default else " "
        where = f"{prof.model or '?'} @ {prof.base_url}"
        try:
            backend = make_backend(settings, name, embedder)
            where = backend.describe()
            ok, detail = backend.health()
            status = (
                detail if ok and backend.offline else ("ok" if ok else f"unavailable: {detail}")
            )
        except PilotdeskError as exc:
            status = f"not configured: {exc}"
        print(f"{mark} {name:<11} {prof.kind:<10} {where:<55} {status}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the HTTP API and the widget with uvicorn; each worker loads the index once."""
    import os

    import uvicorn

    settings = _settings(args)  # fail here, in one process, on bad settings
    # Workers are fresh processes that read settings themselves: hand the overrides on.
    if args.config:
        os.environ["PILOTDESK_CONFIG"] = str(Path(args.config).resolve())
    if args.index:
        os.environ["PILOTDESK_PATHS__INDEX_DIR"] = str(Path(args.index).resolve())
    uvicorn.run(
        "app.api:app_factory",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        forwarded_allow_ips=settings.api.forwarded_allow_ips,
        log_level="info",
    )
    return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    """Plan a resource request from a described workload (see app/plan/)."""
    from app.plan.cli import print_plan
    from app.plan.planner import make_plan

    print_plan(make_plan(args.workload, _settings(args), backend=args.backend), args.json)
    return EXIT_OK


def cmd_embed_export(args: argparse.Namespace) -> int:
    """Export the embedding model to ONNX once (needs torch), so queries run without it."""
    from index.onnx_embedder import ensure_export, export_onnx

    settings = _settings(args)
    e, models = settings.embedding, settings.paths.models_dir
    exp = export_onnx(models, e.model) if args.force else ensure_export(models, e.model)
    print(f"ONNX export of {exp.label} ({exp.dim}-d) at {exp.folder}, sha256 {exp.sha256}")
    from app.answerability.model import MODEL_PATH, load_model
    from app.answerability.reader_onnx import ensure_reader_export, export_reader

    if reader := load_model().reader:  # the answer reader runs through ONNX Runtime too
        path = MODEL_PATH.with_name(reader)
        folder = export_reader(models, path) if args.force else ensure_reader_export(models, path)
        print(f"ONNX export of the answer reader at {folder}")
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete logged questions, answers and feedback older than N days (data retention)."""
    import time

    from app.store import open_store

    settings = _settings(args)
    store = open_store(settings.paths.db_path, settings.database_url)
    removed = store.purge_before(time.time() - args.older_than_days * 86_400)
    print(f"removed {removed} logged answers older than {args.older_than_days:g} days")
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
    ing.add_argument("paths", nargs="*", help="files, folders or http(s) URLs")
    ing.add_argument("--index", help="index directory (default: var/index)")
    ing.add_argument("--rebuild", action="store_true", help="re-read and re-embed everything")
    ing.add_argument(
        "--add", action="store_true", help="keep documents not named here (default: mirror them)"
    )
    ing.add_argument("--quiet", action="store_true", help="no progress bars")
    from app.sources_cli import add_crawl_args, add_refresh_parser

    add_crawl_args(ing)
    ing.set_defaults(func=cmd_ingest)
    add_refresh_parser(sub).set_defaults(func=cmd_refresh)

    llm = sub.add_parser("llm", help="run a local model server (llama.cpp)")
    llm_sub = llm.add_subparsers(dest="llm_command", required=True)
    ls = llm_sub.add_parser("serve", help="serve a GGUF model where the `local` profile points")
    ls.add_argument("--model", help="GGUF file (default: backend.local_model or packaged SmolLM2)")
    ls.add_argument("--host", help="listen address (default: from the local profile)")
    ls.add_argument("--port", type=int, help="port (default: from the local profile, 8765)")
    ls.add_argument("--threads", type=int, default=1, help="CPU threads (default 1)")
    ls.add_argument("--ctx", type=int, default=4096, help="context window in tokens")
    ls.set_defaults(func=cmd_llm_serve)

    pg = sub.add_parser("purge", help="delete logged questions older than N days (retention)")
    pg.add_argument("--older-than-days", type=float, required=True, help="age limit in days")
    pg.set_defaults(func=cmd_purge)

    em = sub.add_parser(
        "embed", help="manage the ONNX exports of the embedding model and the answer reader"
    )
    em_sub = em.add_subparsers(dest="embed_command", required=True)
    ex = em_sub.add_parser(
        "export",
        help="export the embedding model and the answer reader to ONNX under paths.models_dir "
        "(once; ingest and the first question do it too)",
    )
    ex.add_argument("--force", action="store_true", help="export again even if a valid one exists")
    ex.set_defaults(func=cmd_embed_export)

    be = sub.add_parser("backends", help="list backend profiles and check their health")
    be.set_defaults(func=cmd_backends)

    sv = sub.add_parser("serve", help="serve the HTTP API and the chat widget (uvicorn)")
    sv.add_argument("--host", default="127.0.0.1", help="listen address (default: 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    sv.add_argument("--index", help="index directory (default: var/index)")
    sv.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    sv.set_defaults(func=cmd_serve)

    from app.plan.cli import add_plan_parser

    add_plan_parser(sub).set_defaults(func=cmd_plan)

    # eval and bench arrive as plug-ins (entry point group "pilotdesk.commands"), so the
    # application layer never imports them.
    for ep in sorted(entry_points(group="pilotdesk.commands"), key=lambda e: e.name):
        ep.load()(sub, _settings)

    ui = sub.add_parser("ui", help="open the chat UI and staff view in the browser (Streamlit)")
    ui.add_argument("--index", help="index directory (default: var/index)")
    ui.add_argument("--host", default="127.0.0.1", help="listen address (default: 127.0.0.1)")
    ui.add_argument("--port", type=int, default=8501, help="port (default: 8501)")
    ui.set_defaults(func=cmd_ui)

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
