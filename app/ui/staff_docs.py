"""Staff documents tab: what is indexed, add files or URLs incrementally, remove a document."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from app.config import Settings
from app.ingest_service import IngestOutcome, ingest, remove_documents, require_compatible
from app.ui import shared
from app.ui.markdown_safe import escape_md, file_name
from app.ui.uploads import (
    ALLOWED_SUFFIXES,
    UploadMeta,
    UploadRefused,
    forget_meta,
    is_upload,
    record_meta,
    save_upload,
)

T = TypeVar("T")
UPLOADER = "docs-uploader-generation"
# Outcome messages, shown next to the button that caused them (not above the fold).
FLASH_ADD = "docs-flash-add"
FLASH_REMOVE = "docs-flash-remove"
_SHOW = {"ok": st.success, "warn": st.warning, "error": st.error}
# Where a document comes from stays in view beside its title (sized to content, long titles
# pushed it off the right edge).
DOC_COLUMNS: dict[str, Any] = {
    "Title": st.column_config.TextColumn(width=260),
    "Link or file": st.column_config.TextColumn(width=240),
}


def documents(s: Settings) -> None:
    """The documents tab."""
    m = shared.manifest()
    if m is None:
        st.info("Nothing is indexed yet: upload files or add a URL below.")
    else:
        st.dataframe(
            [
                {
                    "Title": d.title,
                    "Link or file": d.url or file_name(d.source),
                    "As of": d.as_of,
                    "Kind": d.kind,
                    "Chunks": d.chunks,
                    "Last ingested": d.ingested_at,
                }
                for d in sorted(m.documents.values(), key=lambda d: d.title.lower())
            ],
            hide_index=True,
            width="stretch",
            column_config=DOC_COLUMNS,
        )
    _add(s)
    if m is not None and m.documents:
        _remove(
            s, {d.id: f"{d.title} — {d.url or file_name(d.source)}" for d in m.documents.values()}
        )


def _flash(key: str) -> None:
    """Show the messages a finished action left for this spot."""
    for kind, text in st.session_state.pop(key, []):
        _SHOW[kind](escape_md(shared.scrub(text)))


def _add(s: Settings) -> None:
    """Upload files or name a URL, then ingest them with `--add` semantics."""
    st.subheader("Add documents")
    # A new key after each ingest empties the uploader.
    generation = st.session_state.setdefault(UPLOADER, 0)
    files = st.file_uploader(
        f"Files ({', '.join(ALLOWED_SUFFIXES)}; up to {s.ingest.max_file_mb:g} MB each)",
        accept_multiple_files=True,
        key=f"uploader-{generation}",
        max_upload_size=max(1, math.ceil(s.ingest.max_file_mb)),
    )
    st.caption("How answers cite an uploaded file (URL and date apply to every file added):")
    c1, c2, c3 = st.columns([3, 3, 1])
    title = c1.text_input("Title (one file only)", key=f"title-{generation}")
    link = c2.text_input("Canonical URL to cite", key=f"link-{generation}")
    as_of = c3.text_input("As of (YYYY-MM-DD)", key=f"asof-{generation}")
    url = st.text_input("…or a web page or PDF URL (http/https)", key=f"url-{generation}")
    clicked = st.button("Ingest", icon=":material/upload:", key="ingest-btn")
    _flash(FLASH_ADD)
    if not clicked:
        return
    started = time.perf_counter()  # the reported time is the whole operation
    inputs: list[str] = []
    refused: list[str] = []
    try:
        meta = UploadMeta(title, link, as_of).checked()
        if meta.title and len(files or []) > 1:
            raise UploadRefused("a title names one document; upload one file with a title")
    except UploadRefused as exc:
        st.error(escape_md(str(exc)))
        return
    max_bytes = int(s.ingest.max_file_mb * 1_000_000)
    for f in files or []:
        try:
            saved = save_upload(s.staff.uploads_dir, f.name, f.getvalue(), max_bytes)
            record_meta(s.staff.uploads_dir, saved.name, meta)
            inputs.append(str(saved))
        except UploadRefused as exc:
            refused.append(str(exc))
    if url.strip():
        if url.strip().lower().startswith(("http://", "https://")):
            inputs.append(url.strip())
        else:
            refused.append(f"{url.strip()}: refused; a URL must start with http:// or https://")
    if not inputs:
        for text in refused:
            st.error(escape_md(text))
        st.warning("Nothing to ingest.")
        return
    done = _run_ingest(s, inputs)
    if done is None:
        return
    outcome, loading = done
    flash = [("error", text) for text in refused]
    flash += [("ok", _summary(outcome, time.perf_counter() - started, loading))]
    flash += [("warn", f"skipped {file_name(x.source)}: {x.reason}") for x in outcome.plan.skipped]
    st.session_state[FLASH_ADD] = flash
    st.session_state[UPLOADER] = generation + 1
    st.rerun()


def _run_ingest(s: Settings, inputs: list[str]) -> tuple[IngestOutcome, float] | None:
    """Ingest with a progress bar; errors become notices. Also returns the seconds spent
    waiting for the embedding model to load (0 once it is loaded)."""
    bar = st.progress(0.0, text="Reading…")
    loading = 0.0
    if shared.model_loading():
        # Truthful about the one slow step: the model loads once per server start.
        bar.progress(0.0, text="Loading the embedding model (first time only)…")
        waited = time.perf_counter()
        shared.warm_up().join()
        loading = time.perf_counter() - waited

    def reading(items: Iterable[T]) -> Iterator[T]:
        listed = list(items)
        for i, item in enumerate(listed, 1):
            name = file_name(str(getattr(item, "source", "")))
            bar.progress(0.6 * i / len(listed), text=f"Reading {escape_md(name)}")
            yield item

    def embedding(n: int) -> None:
        bar.progress(0.7, text=f"Embedding {n} passages and writing a new index version…")

    try:
        # One writer at a time: two concurrent versions would each miss the other's change.
        with shared.index_lock():
            embedder = shared.assistant().embedder
            require_compatible(s, embedder)
            outcome = ingest(
                s, inputs, add=True, embedder=embedder, progress=reading, on_embed=embedding
            )
    except Exception as exc:
        bar.empty()
        shared.notice(exc)
        return None
    bar.progress(1.0, text="Done")
    return outcome, loading


def _summary(o: IngestOutcome, seconds: float, loading: float = 0.0) -> str:
    """One line about an ingest, like the CLI's; `seconds` is the whole operation, and a
    first upload says how much of it went to loading the model and how much to the ingest."""
    p = o.plan
    version = f", version {o.version}" if o.version else ", index unchanged"
    took = f"{seconds:.1f} s"
    if loading > 0:
        took += (
            f": {loading:.1f} s loading the embedding model (first time only), "
            f"{o.seconds:.1f} s ingesting"
        )
    return (
        f"Ingested: {o.new} new, {o.changed} changed, {len(p.unchanged)} unchanged, "
        f"{len(p.skipped)} skipped; {o.embedded} passages embedded, {o.total} in the index"
        f"{version} ({took})."
    )


def _remove(s: Settings, labels: dict[str, str]) -> None:
    """Pick a document and publish an index version without it."""
    st.subheader("Remove a document")
    ids = sorted(labels, key=lambda i: labels[i].lower())
    doc_id = st.selectbox("Document", ids, format_func=labels.__getitem__, key="remove-doc")
    sure = st.checkbox("Yes, remove it from the index", key="remove-sure")
    st.caption(
        "A document from a folder returns with the next full ingest of that folder "
        "(`make run` ingests data/); uploaded files are deleted with it."
    )
    clicked = st.button("Remove", icon=":material/delete:", disabled=not sure, key="remove-btn")
    _flash(FLASH_REMOVE)
    if not clicked:
        return
    m = shared.manifest()
    record = m.documents.get(doc_id) if m and doc_id else None
    if record is None:
        st.warning("That document is no longer in the index.")
        return
    try:
        with shared.index_lock():
            result = remove_documents(s, [record.id], embedder=shared.assistant().embedder)
    except Exception as exc:
        shared.notice(exc)
        return
    if is_upload(record.source, s.staff.uploads_dir):
        Path(record.source).unlink(missing_ok=True)
        forget_meta(s.staff.uploads_dir, Path(record.source).name)
    st.session_state[FLASH_REMOVE] = [
        ("ok", f"Removed {record.title}; {result.total_chunks} passages left in the index.")
    ]
    st.session_state.pop("remove-sure", None)
    st.rerun()
