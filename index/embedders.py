"""Choose the embedder a setting names (torch or ONNX Runtime) without an import cycle."""

from __future__ import annotations

from pathlib import Path

from index.embedder import Embedder


def make_embedder(
    backend: str, model: str, batch_size: int, device: str, models_dir: Path
) -> Embedder:
    """The embedder a setting names: "onnx" (no torch at query time) or "torch"."""
    if backend == "onnx":
        from index.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(model, batch_size, models_dir)
    return Embedder(model, batch_size, device)
