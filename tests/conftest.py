"""Shared fixtures: the real packaged embedding model, a real index of the sample corpus."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app.config import Settings, load_settings
from index.embedder import Embedder
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


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every path at tmp_path, blank API keys and ignore any local pilotdesk.toml."""
    for var in _SECRET_VARS:
        monkeypatch.delenv(var, raising=False)
    for var in list(os.environ):
        if var.startswith("PILOTDESK_"):
            monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PILOTDESK_PATHS__INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("PILOTDESK_PATHS__DB_PATH", str(tmp_path / "pilotdesk.db"))
    monkeypatch.setenv("PILOTDESK_CONFIG", str(tmp_path / "pilotdesk.toml"))
    monkeypatch.setenv("RAGAS_DO_NOT_TRACK", "true")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The packaged all-MiniLM-L6-v2, loaded once per test session."""
    e = Embedder()
    _ = e.dim
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
