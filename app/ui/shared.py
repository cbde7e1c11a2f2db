"""Per-process resources of the Streamlit app and the one place errors become notices."""

from __future__ import annotations

import logging
import threading
import time

import streamlit as st

from app.answer import Assistant
from app.config import Settings, load_settings
from app.errors import USER_ERRORS
from app.scrub import Scrubber
from app.store import Store, open_store
from app.ui.markdown_safe import escape_md
from index.store import Manifest, read_manifest

log = logging.getLogger("pilotdesk.ui")


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """Settings, read once per process."""
    return load_settings()


@st.cache_resource(show_spinner="Loading the search index and embedding model…")
def assistant() -> Assistant:
    """One Assistant per process: the embedding model takes seconds to load."""
    return Assistant(settings())


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Load the index and model in the background once, while the first visitor types."""
    thread = threading.Thread(
        target=_load, args=(assistant(),), name="pilotdesk-warm-up", daemon=True
    )
    thread.start()
    return thread


def _load(a: Assistant) -> None:
    """Load what the first answer needs; failures surface when a question is asked."""
    started = time.perf_counter()
    try:
        a.retriever()
        a.embedder.encode(["warm up"])
    except Exception as exc:
        log.info("warm-up skipped: %s", exc)
        return
    log.info("index and embedding model loaded in %.1f s", time.perf_counter() - started)


@st.cache_resource(show_spinner=False)
def scrubber() -> Scrubber:
    """The API's scrubber: the UI shows no secret, backend URL or server path either."""
    return Scrubber(settings())


def scrub(text: str) -> str:
    """Scrub one string bound for the page."""
    return scrubber().text(text)


def model_loading() -> bool:
    """True while the start-up warm-up is still loading the index and embedding model."""
    return warm_up().is_alive()


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """One conversation store per process (SQLite in WAL mode takes concurrent sessions)."""
    s = settings()
    return open_store(s.paths.db_path, s.database_url)


@st.cache_resource(show_spinner=False)
def index_lock() -> threading.Lock:
    """Serialises index writes from staff sessions of this process."""
    return threading.Lock()


def manifest() -> Manifest | None:
    """The current index's document registry (a small file read; no model needed)."""
    try:
        return read_manifest(settings().paths.index_dir)
    except USER_ERRORS as exc:
        notice(exc)
        return None


def notice_text(exc: BaseException) -> str:
    """What to tell the user about an error: our messages say what to do; others are logged."""
    if isinstance(exc, USER_ERRORS):
        return scrub(str(exc))
    # Unexpected: keep the details in the server log, tell the user what to do next.
    log.error("unexpected error in the UI", exc_info=exc)
    return (
        f"Something went wrong ({exc.__class__.__name__}). Please try again; if it keeps "
        "happening, tell the office-hours staff. Details are in the server log."
    )


def show_notice(text: str) -> None:
    """An error notice (the text is shown literally)."""
    # Material icons, not emoji: machines without an emoji font show an empty box.
    st.error(escape_md(scrub(text)), icon=":material/error:")


def notice(exc: BaseException) -> str:
    """Show an error as a readable notice with what to do, never a traceback."""
    text = notice_text(exc)
    show_notice(text)
    return text
