"""Application exceptions; each boundary (CLI, HTTP, UI) translates them once."""

from __future__ import annotations

from index.errors import EmbeddingModelError, IndexMismatch, IndexNotFound, IndexWriteError


class PilotdeskError(Exception):
    """Base for errors whose message tells the user what to do."""


class ConfigError(PilotdeskError):
    """A setting is missing or wrong."""


class BackendError(PilotdeskError):
    """The answer backend failed after retries."""


class BackendAuthError(BackendError):
    """The backend refused the key or does not know the model."""


# Errors the boundaries show as a message with a hint, never a traceback.
USER_ERRORS: tuple[type[Exception], ...] = (
    PilotdeskError,
    IndexNotFound,
    IndexMismatch,
    IndexWriteError,
    EmbeddingModelError,
)
