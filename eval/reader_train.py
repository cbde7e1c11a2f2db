"""Train the answer reader (app/answerability/reader.py) on the dev split.

Pairs come from what retrieval finds for each dev question: a sentence holding one of an
answerable question's must_include strings is a positive; every retrieved sentence of a question
the documents don't answer is a negative (these are the near misses: the right entity, another
attribute); a share of an answerable question's other sentences are negatives too. The packaged
MiniLM reads each pair as one input; only low-rank updates of its linear layers and a one-unit
head are learned, so the stored file stays small. torch is needed here for training; the query
path merges the updates and only runs the model.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from app.answerability.reader import LORA_TARGETS, READER_PATH, Reader, read_meta


class Row(Protocol):
    """What the reader learns from (eval.calibrate.Row has it)."""

    @property
    def question(self) -> str:
        """The question or part."""
        ...

    @property
    def sentences(self) -> tuple[str, ...]:
        """Its closest retrieved sentences."""
        ...

    @property
    def labels(self) -> tuple[int, ...]:
        """1 where a sentence holds a must_include string."""
        ...

    @property
    def answerable(self) -> bool:
        """Whether the documents answer it."""
        ...


RANK = 8
ALPHA = 16.0
MAX_LENGTH = 128
EPOCHS = 2
LEARNING_RATE = 5e-4
# Of an answerable question's sentences without a must_include string, this share is kept as
# negatives: most do not answer, but some state the fact in other words.
OTHER_NEGATIVES = 0.3


def _pairs(rows: Sequence[Row], rng: random.Random) -> list[tuple[str, str, float]]:
    """Training pairs: positives, negatives of unanswerable questions, a share of the rest."""
    out = []
    for r in rows:
        for s, label in zip(r.sentences, r.labels, strict=True):
            if label or not r.answerable or rng.random() < OTHER_NEGATIVES:
                out.append((r.question, s, float(label)))
    return out


class _LowRank:
    """A linear layer plus a trainable low-rank update (training only)."""

    @staticmethod
    def wrap(linear: Any, rank: int, alpha: float) -> Any:
        """Return a module computing linear(x) + scale · x Aᵀ Bᵀ with A, B trainable."""
        import torch

        class Wrapped(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.base = linear
                self.scale = alpha / rank
                self.A = torch.nn.Parameter(torch.randn(rank, linear.in_features) * 0.01)
                self.B = torch.nn.Parameter(torch.zeros(linear.out_features, rank))

            def forward(self, x: Any) -> Any:
                return self.base(x) + (x @ self.A.T @ self.B.T) * self.scale

        return Wrapped()


def train(
    rows: Sequence[Row],
    base: str = "",
    epochs: int = EPOCHS,
    seed: int = 0,
    log: Any = None,
) -> dict[str, Any]:
    """Learn the low-rank updates and the head; return the arrays to store."""
    import numpy as np
    import torch
    from transformers import AutoModel, AutoTokenizer

    from index.embedder import resolve_model

    torch.manual_seed(seed)
    rng = random.Random(seed)
    path = resolve_model(base)
    tok = AutoTokenizer.from_pretrained(path)
    enc = AutoModel.from_pretrained(path)
    for p in enc.parameters():
        p.requires_grad = False
    for block in enc.encoder.layer:
        for target in LORA_TARGETS:
            parent_name, _, leaf = target.rpartition(".")
            parent = block.get_submodule(parent_name)
            setattr(parent, leaf, _LowRank.wrap(getattr(parent, leaf), RANK, ALPHA))
    head = torch.nn.Linear(enc.config.hidden_size, 1)
    params = [p for p in enc.parameters() if p.requires_grad] + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=LEARNING_RATE, weight_decay=0.01)
    pairs = _pairs(rows, rng)
    positives = sum(p[2] for p in pairs)
    # Positives are rare; weigh them up so the head is not taught to say "no" to everything.
    weight = torch.tensor((len(pairs) - positives) / max(1.0, positives))
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=weight)
    t0 = time.time()
    enc.train()
    for epoch in range(epochs):
        rng.shuffle(pairs)
        for i in range(0, len(pairs), 16):
            chunk = pairs[i : i + 16]
            batch = tok(
                [p[0] for p in chunk],
                [p[1] for p in chunk],
                truncation=True,
                max_length=MAX_LENGTH,
                padding=True,
                return_tensors="pt",
            )
            hidden = enc(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            logits = head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)
            loss = loss_fn(logits, torch.tensor([p[2] for p in chunk]))
            opt.zero_grad()
            loss.backward()
            opt.step()
        if log is not None:
            log(f"reader epoch {epoch + 1}/{epochs}: {len(pairs)} pairs, {time.time() - t0:.0f} s")
    arrays: dict[str, Any] = {}
    for i, block in enumerate(enc.encoder.layer):
        for target in LORA_TARGETS:
            wrapped = block.get_submodule(target)
            arrays[f"{i}.{target}.A"] = wrapped.A.detach().numpy().astype(np.float16)
            arrays[f"{i}.{target}.B"] = wrapped.B.detach().numpy().astype(np.float16)
    arrays["head.weight"] = head.weight.detach().numpy().astype(np.float32)
    arrays["head.bias"] = head.bias.detach().numpy().astype(np.float32)
    meta = {
        "base": base or "sentence-transformers/all-MiniLM-L6-v2",
        "rank": RANK,
        "alpha": ALPHA,
        "max_length": MAX_LENGTH,
        "version": time.strftime("%Y-%m-%d"),
        "pairs": len(pairs),
    }
    arrays["meta"] = np.array(json.dumps(meta))
    return arrays


def save(arrays: dict[str, Any], path: Path = READER_PATH) -> None:
    """Write the reader file atomically."""
    import numpy as np

    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def score(arrays: dict[str, Any], rows: Sequence[Row]) -> list[float]:
    """Each row's best sentence score under a reader given as arrays (for out-of-fold use)."""
    reader = Reader(read_meta(arrays, "the reader being trained"), arrays)
    return [max(reader.score(r.question, r.sentences), default=0.0) for r in rows]
