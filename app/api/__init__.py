"""FastAPI app for the HTTP API and the widget; `app_factory` is what uvicorn workers call."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.answer import Assistant
from app.api.changes import router as changes_router
from app.api.errors import install_error_handlers
from app.api.limits import BodyLimitMiddleware
from app.api.origins import JsonCORSMiddleware
from app.api.routes import router
from app.api.service import ApiService
from app.config import Settings, load_settings
from app.ratelimit import RateLimiter
from app.store import Store, open_store

__all__ = ["app_factory", "create_app"]


def create_app(
    settings: Settings | None = None,
    assistant: Assistant | None = None,
    store: Store | None = None,
    warm_up: bool = True,
    limiter: RateLimiter | None = None,
) -> FastAPI:
    """Build the app; settings are read once here, the index loads once per process.

    The rate limit is counted per process, or in the database when `database_url` names a
    shared one (several replicas); `limiter` overrides both.
    """
    settings = settings or load_settings()
    store = store or open_store(settings.paths.db_path, settings.database_url)
    svc = ApiService(settings, assistant or Assistant(settings), store, limiter)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Load in the background: /healthz answers at once, /readyz says 503 until loaded.
        if warm_up:
            threading.Thread(target=svc.warm_up, name="pilotdesk-warm-up", daemon=True).start()
        else:
            svc.warm.set()
        yield

    app = FastAPI(
        title="pilotdesk",
        summary="Cited answers about the NAIRR Pilot, from its documents.",
        description="Every answer cites its sources; questions the documents do not cover get "
        "a 'not in the documents' answer. Errors are JSON `{error, hint}`.",
        version="1",
        lifespan=lifespan,
    )
    app.state.ctx = svc
    install_error_handlers(app)
    app.include_router(router)
    app.include_router(changes_router)  # GET /v1/changes (app/api/changes.py)
    # Added first, so it runs inside CORS: a 413 still carries the CORS headers.
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.api.max_body_bytes)
    app.add_middleware(
        JsonCORSMiddleware,
        refused=svc.refused_origins,
        allow_origins=list(settings.api.allowed_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Authorization", "Accept"],
        expose_headers=["Retry-After"],
        max_age=600,
    )
    return app


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory app.api:app_factory` (one call per worker)."""
    return create_app()
