"""What the routes call: one per process, holding settings, the Assistant and the store."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from app.answer import Assistant
from app.api.errors import ApiError
from app.api.origins import RefusedOrigins
from app.api.schemas import AnswerReply
from app.config import Settings
from app.ratelimit import RateLimiter, limiter_for
from app.schema import answer_dict
from app.scrub import Scrubber
from app.store import Store
from app.types import Answer, Turn

log = logging.getLogger("pilotdesk.api")

# Readiness probes come every few seconds; don't hit a paid backend's /models on each one.
_BACKEND_CHECK_TTL_S = 10.0


@dataclass
class Prepared:
    """A validated question, ready to answer."""

    question: str
    backend: str | None
    conversation_id: str
    history: list[Turn]
    channel: str
    started: float = field(default_factory=time.perf_counter)


def public_source(source: str) -> str:
    """A document's source as clients may see it: URLs without credentials, files by name."""
    parts = urlsplit(source)
    if parts.scheme in ("http", "https"):
        host = parts.hostname or ""
        netloc = host + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    # A server path says nothing useful to a client and maps the server's disk.
    return PurePath(source).name or source


class ApiService:
    """The API's work, independent of HTTP details."""

    def __init__(
        self,
        settings: Settings,
        assistant: Assistant,
        store: Store,
        limiter: RateLimiter | None = None,
    ) -> None:
        """Bind the per-process objects; the limiter defaults to the configured one."""
        self.settings = settings
        self.assistant = assistant
        self.store = store
        self.scrub = Scrubber(settings)
        self.limiter = limiter or limiter_for(settings, store)
        self.warm = threading.Event()
        self.refused_origins = RefusedOrigins()
        self._backend_check: tuple[float, dict[str, Any]] | None = None

    def warm_up(self) -> None:
        """Load the embedding model and the index before the first question needs them."""
        try:
            self.assistant.search("NAIRR Pilot")
        except Exception as exc:  # a missing index is fine: /readyz reports it
            log.warning("index not loaded at start-up: %s", exc)
        finally:
            self.warm.set()

    def check_question(self, question: str) -> str:
        """The question, stripped; 422 when empty or too long."""
        q = question.strip()
        limit = self.settings.api.max_question_chars
        if not q:
            raise ApiError(422, "the question is empty", "type a question")
        if len(q) > limit:
            raise ApiError(
                422,
                f"question too long ({len(q)} characters, limit {limit})",
                "shorten the question",
            )
        return q

    def prepare(
        self, question: str, conversation_id: str | None, backend: str | None, channel: str
    ) -> Prepared:
        """Fail early (unknown backend 400, no index 503), then load the conversation."""
        self.settings.profile(backend)
        self.assistant.retriever()
        cid = self.store.ensure_conversation(conversation_id, channel)
        return Prepared(question, backend, cid, self.store.history(cid), channel)

    def finish(self, prep: Prepared, answer: Answer) -> dict[str, Any]:
        """Store the answer (before the client sees its id, so feedback finds it)."""
        latency = (time.perf_counter() - prep.started) * 1000
        self.store.record_answer(prep.conversation_id, answer, latency, channel=prep.channel)
        payload = answer_dict(answer)
        for item in (*payload["citations"], *payload["hits"]):
            item["source"] = public_source(item["source"])
        payload["conversation_id"] = prep.conversation_id
        # Validated against the published schema, so /docs cannot drift from what is sent.
        return AnswerReply.model_validate(payload).model_dump(mode="json")

    def answer(self, prep: Prepared) -> dict[str, Any]:
        """Answer in one piece."""
        answer = self.assistant.ask(prep.question, prep.history, backend=prep.backend)
        return self.finish(prep, answer)

    def sources(self) -> dict[str, Any]:
        """The indexed documents, without server paths."""
        manifest = self.assistant.retriever().index.manifest
        docs = sorted(manifest.documents.values(), key=lambda d: (d.kind, d.title))
        return {
            "index_version": manifest.version,
            "documents": len(docs),
            "chunks": sum(d.chunks for d in docs),
            "sources": [
                {
                    "id": d.id,
                    "title": d.title,
                    "kind": d.kind,
                    "source": public_source(d.source),
                    "url": d.url,
                    "as_of": d.as_of,
                    "chunks": d.chunks,
                }
                for d in docs
            ],
        }

    def index_status(self) -> dict[str, Any]:
        """Version and size of the loaded index (loads or reloads it if needed)."""
        manifest = self.assistant.retriever().index.manifest
        return {
            "loaded": True,
            "version": manifest.version,
            "documents": len(manifest.documents),
            "chunks": sum(d.chunks for d in manifest.documents.values()),
        }

    async def backend_status(self) -> dict[str, Any]:
        """Whether the default backend answers; never includes its URL or key."""
        name = self.settings.backend.default
        profile = self.settings.profile(name)
        status: dict[str, Any] = {"name": name, "kind": profile.kind, "reachable": True}
        if profile.offline:
            return status
        now = time.monotonic()
        if self._backend_check and now - self._backend_check[0] < _BACKEND_CHECK_TTL_S:
            return self._backend_check[1]
        key = self.settings.api_key(profile)
        headers = {"Authorization": f"Bearer {key.get_secret_value()}"} if key else {}
        try:
            async with httpx.AsyncClient(timeout=2.0, follow_redirects=False) as client:
                r = await client.get(profile.base_url.rstrip("/") + "/models", headers=headers)
            status["reachable"] = r.status_code < 400
            if r.status_code in (401, 403):
                status["detail"] = "the backend refused the API key"
            elif r.status_code >= 400:
                status["detail"] = f"the backend answered HTTP {r.status_code}"
        except httpx.HTTPError as exc:
            status["reachable"] = False
            status["detail"] = f"the backend did not answer ({exc.__class__.__name__})"
        self._backend_check = (now, status)
        return status
