"""A learned reader: how likely one sentence answers a question, read together.

No packaged NLI, QA or cross-encoder model exists (measured-facts.md), and the hand-made
sentence features cannot tell "states the memory of Delta's A40 GPUs" from "mentions Delta's
A40 nodes". So the packaged MiniLM reads the question and the sentence as one input (a
cross-encoder), with low-rank updates to its linear layers and a one-unit head learned on the
dev split only (eval/reader_train.py). The updates are merged into the weights when the reader
loads, so the query path needs torch and transformers alone, which embedding already loads;
the stored file is small (app/answerability/reader.npz, a few hundred kB).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.errors import ConfigError

READER_PATH = Path(__file__).with_name("reader.npz")
# The linear layers of each encoder block that carry low-rank updates, by their path in a
# Hugging Face BERT block.
LORA_TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)


@dataclass(frozen=True)
class ReaderMeta:
    """What the stored updates were trained on and how to apply them."""

    base: str  # the embedding model name the updates belong to (resolved like embedding.model)
    rank: int
    alpha: float
    max_length: int
    version: str


class Reader:
    """MiniLM with merged low-rank updates and a head: p(sentence answers question)."""

    _lock = threading.Lock()

    def __init__(self, meta: ReaderMeta, arrays: dict[str, Any]) -> None:
        """Load the base model and merge the stored updates into it."""
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        from index.embedder import resolve_model

        hf_logging.disable_progress_bar()
        path = resolve_model(meta.base)
        self.meta = meta
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        scale = meta.alpha / meta.rank
        with torch.no_grad():
            for i, block in enumerate(self.model.encoder.layer):
                for target in LORA_TARGETS:
                    linear = block.get_submodule(target)
                    a = torch.from_numpy(arrays[f"{i}.{target}.A"]).float()
                    b = torch.from_numpy(arrays[f"{i}.{target}.B"]).float()
                    linear.weight += scale * (b @ a)
        self.head_w = torch.from_numpy(arrays["head.weight"]).float()
        self.head_b = torch.from_numpy(arrays["head.bias"]).float()

    def score(self, question: str, sentences: Sequence[str]) -> list[float]:
        """The probability that each sentence answers the question."""
        if not sentences:
            return []
        import torch

        batch = self.tokenizer(
            [question] * len(sentences),
            list(sentences),
            truncation=True,
            max_length=self.meta.max_length,
            padding=True,
            return_tensors="pt",
        )
        with self._lock, torch.no_grad():
            hidden = self.model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1)  # mean over real tokens, as in training
        logits = pooled @ self.head_w.T + self.head_b
        return [float(v) for v in torch.sigmoid(logits).squeeze(-1).tolist()]


def read_meta(arrays: Any, where: str) -> ReaderMeta:
    """The metadata stored beside the arrays, validated."""
    try:
        raw = json.loads(str(arrays["meta"]))
        return ReaderMeta(
            base=str(raw["base"]),
            rank=int(raw["rank"]),
            alpha=float(raw["alpha"]),
            max_length=int(raw["max_length"]),
            version=str(raw["version"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"answer reader {where} is malformed ({exc}); run: pilotdesk eval calibrate --reader"
        ) from exc


@lru_cache(maxsize=2)
def load_reader(path: Path = READER_PATH) -> Reader:
    """Read the stored reader once per process."""
    import numpy as np

    try:
        with np.load(path) as data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read the answer reader {path} ({exc}); run: pilotdesk eval calibrate --reader"
        ) from exc
    meta = read_meta(arrays, str(path))
    try:
        return Reader(meta, arrays)
    except KeyError as exc:
        raise ConfigError(
            f"answer reader {path} lacks {exc}; run: pilotdesk eval calibrate --reader"
        ) from exc
