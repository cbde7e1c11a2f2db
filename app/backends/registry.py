"""The one place that turns a profile's `kind` into a backend."""

from __future__ import annotations

from app.backends.base import Backend
from app.backends.extractive import ExtractiveBackend
from app.config import Settings
from index.embedder import Embedder


def make_backend(settings: Settings, name: str, embedder: Embedder) -> Backend:
    """Build the named backend profile (raises ConfigError/BackendAuthError when misconfigured)."""
    profile = settings.profile(name)
    if profile.offline:
        return ExtractiveBackend(name, embedder, settings.ui.program_name)
    # Imported here so the offline path never loads the openai SDK.
    from app.backends.model import ModelBackend
    from app.backends.openai_compatible import ChatBackend

    client = ChatBackend(name, profile, settings.api_key(profile))
    b = settings.backend
    return ModelBackend(client, b.strict_citations, b.min_support)


def is_offline(settings: Settings, name: str) -> bool:
    """True when the profile needs no model and no network."""
    return settings.profile(name).offline
