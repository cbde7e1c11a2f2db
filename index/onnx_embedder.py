"""ONNX Runtime embeddings: the same MiniLM as sentence-transformers, without torch at query time.

The model is exported once with `torch.onnx` (at the first ingest or `pilotdesk embed export`)
into models_dir/<model>/, with a meta.json holding its sha256. Queries then need only
onnxruntime, `tokenizers` and numpy; pooling and normalising follow sentence-transformers
(mean over the attention mask, then L2), so both backends give the same vectors.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import threading
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.embedder import Embedder, model_label, resolve_model
from index.errors import EmbeddingModelError

if TYPE_CHECKING:
    import numpy as np

EXPORT_VERSION = 1  # bump when the export recipe changes: older exports are remade
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "meta.json"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OnnxExport:
    """One exported model on disk, as described by its meta.json."""

    folder: Path
    label: str
    dim: int
    max_seq_length: int
    sha256: str
    source: dict[str, Any]
    version: int

    @property
    def model_file(self) -> Path:
        """The ONNX graph."""
        return self.folder / MODEL_FILE


def export_folder(models_dir: Path, label: str) -> Path:
    """Where the export of one model lives (the label made safe as a folder name)."""
    return models_dir / re.sub(r"[^A-Za-z0-9._-]+", "--", label)


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _source_stamp(model_name: str) -> dict[str, Any]:
    """Size and mtime of the source weights: a cheap check that the export is not stale."""
    target = Path(resolve_model(model_name))
    files = sorted(target.glob("*.safetensors")) + sorted(target.glob("*.bin"))
    if not files:
        return {"path": str(target)}
    st = files[0].stat()
    return {"path": str(files[0]), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def read_export(models_dir: Path, model_name: str, verify: bool = True) -> OnnxExport | None:
    """The usable export for a model, or None when it is missing, stale or corrupt."""
    folder = export_folder(models_dir, model_label(model_name))
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        exp = OnnxExport(
            folder,
            meta["label"],
            int(meta["dim"]),
            int(meta["max_seq_length"]),
            meta["sha256"],
            meta["source"],
            int(meta["version"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if exp.version != EXPORT_VERSION or exp.label != model_label(model_name):
        return None
    if exp.source != _source_stamp(model_name):
        return None  # the source weights changed (or moved) since the export
    if not (folder / TOKENIZER_FILE).is_file():
        return None
    # The checksum guards against a truncated or half-copied file (about 0.1 s for 90 MB).
    if verify and (not exp.model_file.is_file() or sha256_file(exp.model_file) != exp.sha256):
        return None
    return exp


def export_onnx(models_dir: Path, model_name: str, st_model: Any = None) -> OnnxExport:
    """Export a sentence-transformers model with torch.onnx (imports torch); atomic rename."""
    import torch

    if st_model is None:
        st_model = Embedder(model_name)._load()
    label = model_label(model_name)
    folder = export_folder(models_dir, label)
    tmp = folder.parent / f".tmp-{folder.name}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        bert = st_model[0].auto_model.eval()
        sample = st_model.tokenizer(["a b", "c"], padding=True, return_tensors="pt")

        class Positional(torch.nn.Module):
            """The transformer with positional inputs, as torch.onnx.export passes them."""

            def __init__(self, m: Any) -> None:
                """Hold the transformer module."""
                super().__init__()
                self.m = m

            def forward(self, a: Any, b: Any, c: Any) -> Any:
                """Token states out; pooling happens in numpy, as sentence-transformers does."""
                return self.m(input_ids=a, attention_mask=b, token_type_ids=c).last_hidden_state

        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about shape-dependent branches
            torch.onnx.export(
                Positional(bert),
                tuple(sample[n] for n in _INPUTS),
                str(tmp / MODEL_FILE),
                dynamo=False,  # the TorchScript exporter needs no onnxscript
                input_names=list(_INPUTS),
                output_names=["token_embeddings"],
                opset_version=17,
                dynamic_axes={n: {0: "batch", 1: "seq"} for n in [*_INPUTS, "token_embeddings"]},
            )
        get_dim = (
            getattr(st_model, "get_embedding_dimension", None)
            or st_model.get_sentence_embedding_dimension
        )
        st_model.tokenizer.backend_tokenizer.save(str(tmp / TOKENIZER_FILE))
        meta = {
            "label": label,
            "dim": int(get_dim()),
            "max_seq_length": int(st_model.max_seq_length),
            "sha256": sha256_file(tmp / MODEL_FILE),
            "source": _source_stamp(model_name),
            "version": EXPORT_VERSION,
            "torch": torch.__version__,
        }
        (tmp / META_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a stale or corrupt export
        try:
            tmp.rename(folder)
        except OSError:
            # Another process (a second replica) published its export first: use that one.
            if read_export(models_dir, model_name) is None:
                raise
    except OSError as exc:
        raise EmbeddingModelError(
            f"could not write the ONNX export under {models_dir}: {exc}; check free space "
            'and permissions, or set embedding.backend = "torch"'
        ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    exp = read_export(models_dir, model_name, verify=False)
    assert exp is not None
    return exp


def ensure_export(models_dir: Path, model_name: str, st_model: Any = None) -> OnnxExport:
    """The export for a model, made now (once) when it is missing or stale."""
    found = read_export(models_dir, model_name)
    if found is not None:
        return found
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise EmbeddingModelError(
            f"no ONNX export of the embedding model under {models_dir} and torch is not "
            "installed to make one; run `pilotdesk embed export` where torch is installed, "
            "or copy that folder here"
        ) from exc
    log.warning("exporting the embedding model to ONNX under %s (once)", models_dir)
    return export_onnx(models_dir, model_name, st_model)


def open_session(model_file: Path) -> Any:
    """An onnxruntime CPU session using as many threads as cores this process may use."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    # As many threads as cores this process may use (taskset/cgroups respected).
    opts.intra_op_num_threads = max(1, len(os.sched_getaffinity(0)))
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    return ort.InferenceSession(str(model_file), opts, providers=["CPUExecutionProvider"])


class OnnxEmbedder(Embedder):
    """The configured model run by ONNX Runtime; exported on first use if needed."""

    def __init__(
        self, model: str = "", batch_size: int = 32, models_dir: Path = Path("var/models")
    ) -> None:
        """Remember the configuration; the session loads on first use."""
        super().__init__(model, batch_size, "cpu")
        self.models_dir = models_dir
        self._export: OnnxExport | None = None
        self._tokenizer: Any = None
        # Not the class-wide Embedder._lock: exporting loads a torch Embedder, which takes it.
        self._export_lock = threading.Lock()

    def export(self) -> OnnxExport:
        """The export's description (made on first use when missing)."""
        if self._export is None:
            with self._export_lock:
                if self._export is None:
                    self._export = ensure_export(self.models_dir, self.model_name)
        return self._export

    def _load(self) -> Any:
        """An onnxruntime session and a `tokenizers` tokenizer, once per embedder."""
        exp = self.export()
        with self._lock:
            if self._model is None:
                from tokenizers import Tokenizer

                try:
                    sess = open_session(exp.model_file)
                except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
                    raise EmbeddingModelError(
                        f"cannot load the ONNX export {exp.model_file}: {str(exc)[:200]}; "
                        "delete that folder and run: pilotdesk embed export"
                    ) from exc
                tok = Tokenizer.from_file(str(exp.folder / TOKENIZER_FILE))
                # sentence-transformers truncates to max_seq_length and pads to the longest.
                tok.enable_truncation(max_length=exp.max_seq_length)
                tok.enable_padding()
                self._tokenizer = tok
                self._model = sess
        return self._model

    @property
    def dim(self) -> int:
        """Embedding dimension (from meta.json: no session needed)."""
        return self.export().dim

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Embed in length-sorted batches; mean pooling under the mask, then L2 normalise."""
        import numpy as np

        sess = self._load()
        out = np.zeros((len(texts), self.dim), dtype="float32")
        order = np.argsort([-len(t) for t in texts], kind="stable")  # similar lengths pad less
        for lo in range(0, len(texts), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            # sentence-transformers strips each text before tokenising.
            enc = self._tokenizer.encode_batch([texts[i].strip() for i in idx])
            feed = {
                "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
            }
            hidden = sess.run(None, feed)[0]
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
            norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[idx] = pooled / norms
        return out
