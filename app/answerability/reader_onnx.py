"""The answer reader run by ONNX Runtime, so questions never import torch (the light path).

Like the embedding model (index/onnx_embedder.py), the reader is exported once with
`torch.onnx`: the base MiniLM with the stored low-rank updates merged, mean pooling and the
head, giving p(answers) directly. The export lives in models_dir/reader-<sha of reader.npz>/, so
a retrained reader gets a new export and an old one is never used. Scoring then needs only
onnxruntime, `tokenizers` and numpy.
"""

from __future__ import annotations

import json
import shutil
import threading
import uuid
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.errors import ConfigError
from index.onnx_embedder import open_session, sha256_file

MODEL_FILE = "reader.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "meta.json"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_folder(models_dir: Path, reader_path: Path) -> Path:
    """Where the export of one stored reader lives (named by the reader file's checksum)."""
    return models_dir / f"reader-{sha256_file(reader_path)[:16]}"


def _usable(folder: Path) -> dict[str, Any] | None:
    """The export's meta when its graph is whole (checksummed), else None."""
    try:
        meta: dict[str, Any] = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    graph = folder / MODEL_FILE
    if not graph.is_file() or sha256_file(graph) != meta.get("sha256"):
        return None
    return meta if (folder / TOKENIZER_FILE).is_file() else None


def export_reader(models_dir: Path, reader_path: Path) -> Path:
    """Export the stored reader with torch.onnx (imports torch); atomic rename."""
    import torch

    from app.answerability.reader import load_reader

    reader = load_reader(reader_path)
    folder = export_folder(models_dir, reader_path)
    tmp = folder.parent / f".tmp-{folder.name}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)

    class Scored(torch.nn.Module):
        """Token ids in, p(answers) out: the model, mean pooling and the head in one graph."""

        def __init__(self) -> None:
            super().__init__()
            self.m = reader.model
            self.w = torch.nn.Parameter(reader.head_w, requires_grad=False)
            self.b = torch.nn.Parameter(reader.head_b, requires_grad=False)

        def forward(self, a: Any, b: Any, c: Any) -> Any:
            hidden = self.m(input_ids=a, attention_mask=b, token_type_ids=c).last_hidden_state
            mask = b.unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.sigmoid(pooled @ self.w.T + self.b).squeeze(-1)

    try:
        sample = reader.tokenizer(["a b", "c"], ["d", "e f"], padding=True, return_tensors="pt")
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Scored().eval(),
                tuple(sample[n] for n in _INPUTS),
                str(tmp / MODEL_FILE),
                dynamo=False,
                input_names=list(_INPUTS),
                output_names=["p"],
                opset_version=17,
                dynamic_axes={**{n: {0: "batch", 1: "seq"} for n in _INPUTS}, "p": {0: "batch"}},
            )
        reader.tokenizer.backend_tokenizer.save(str(tmp / TOKENIZER_FILE))
        meta = {"sha256": sha256_file(tmp / MODEL_FILE), "max_length": reader.meta.max_length}
        (tmp / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a corrupt export
        try:
            tmp.rename(folder)
        except OSError:
            if _usable(folder) is None:  # another process published first: use that one
                raise
    except OSError as exc:
        raise ConfigError(
            f"could not write the reader's ONNX export under {models_dir}: {exc}; check free "
            'space and permissions, or set embedding.backend = "torch"'
        ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def ensure_reader_export(models_dir: Path, reader_path: Path) -> Path:
    """The reader's export, made now (once) when it is missing or corrupt."""
    folder = export_folder(models_dir, reader_path)
    if _usable(folder) is not None:
        return folder
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            f"no ONNX export of the answer reader under {models_dir} and torch is not "
            "installed to make one; run `pilotdesk embed export` where torch is installed, "
            "or copy that folder here"
        ) from exc
    return export_reader(models_dir, reader_path)


class OnnxReader:
    """The exported reader: the same scores as Reader.score, without torch."""

    _lock = threading.Lock()

    def __init__(self, folder: Path) -> None:
        """Open the session and the tokenizer."""
        from tokenizers import Tokenizer

        meta = _usable(folder)
        if meta is None:
            raise ConfigError(f"the reader export {folder} is corrupt; delete it and ask again")
        self.session = open_session(folder / MODEL_FILE)
        tok = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        # as transformers does for a pair: cut the longer text first, pad to the longest
        tok.enable_truncation(max_length=int(meta["max_length"]), strategy="longest_first")
        tok.enable_padding()
        self.tokenizer = tok

    def score(self, question: str, sentences: Sequence[str]) -> list[float]:
        """The probability that each sentence answers the question."""
        if not sentences:
            return []
        import numpy as np

        enc = self.tokenizer.encode_batch([(question, s) for s in sentences])
        feed = {
            "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
        }
        with self._lock:
            out = self.session.run(None, feed)[0]
        return [float(v) for v in np.atleast_1d(out)]


@lru_cache(maxsize=2)
def load_onnx_reader(models_dir: Path, reader_path: Path) -> OnnxReader:
    """The reader through ONNX Runtime, exported on first use if needed."""
    return OnnxReader(ensure_reader_export(models_dir, reader_path))
