"""What `pilotdesk ui` runs: the Streamlit app on Streamlit's ASGI server, plus the staff
sign-in routes (st.App serves extra Starlette routes beside the app)."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit import config as st_config

from app.config import load_settings
from app.store import Store, open_store
from app.ui.staff_routes import staff_routes

# This module is the UI process's entry point: our own log lines go to its stderr.
_handler = logging.StreamHandler()
_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
_log = logging.getLogger("pilotdesk")
_log.addHandler(_handler)
_log.setLevel(logging.INFO)

_settings = load_settings()
_store: list[Store] = []
_lock = threading.Lock()


def _shared_store() -> Store:
    """One store for the routes, opened on first use (the pages keep their own)."""
    with _lock:
        if not _store:
            _store.append(open_store(_settings.paths.db_path, _settings.database_url))
        return _store[0]


@asynccontextmanager
async def _lifespan(_app: Any) -> AsyncIterator[None]:
    """Load the index and embedding model at start, not when the first visitor arrives."""
    from app.ui.shared import warm_up

    warm_up()  # starts a background thread; the pages find it in Streamlit's resource cache
    yield


app = st.App(
    Path(__file__).resolve().parent / "chat.py",
    routes=staff_routes(
        _settings, _shared_store, str(st_config.get_option("server.baseUrlPath") or "")
    ),
    lifespan=_lifespan,
)
