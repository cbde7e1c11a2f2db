"""`pilotdesk ask` and `pilotdesk serve`'s request path never import torch or llama-index.

Each runs as a real process under `python -X importtime`, which lists every module the
process imports on stderr; the ONNX export is made beforehand, as ingest makes it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from app.config import Settings
from childproc import free_port
from index.onnx_embedder import OnnxEmbedder

HEAVY = {"torch", "sentence_transformers", "llama_index", "transformers"}
QUESTION = "Who can apply for NAIRR Pilot resources?"


def _imported(stderr: str) -> set[str]:
    """Top-level package names from -X importtime's report."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def _env() -> dict[str, str]:
    """This process's environment (paths point at tmp) with the worktree first on the path."""
    root = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": root, "PILOTDESK_EMBEDDING__BACKEND": "onnx"}


def test_ask_imports_no_torch(sample_settings: Settings, onnx_embedder: OnnxEmbedder) -> None:
    """A cold `pilotdesk ask --json` answers with citations and never loads torch."""
    index = str(sample_settings.paths.index_dir)
    cmd = [sys.executable, "-X", "importtime", "-m", "pilotdesk", "ask", QUESTION, "--json"]
    proc = subprocess.run(
        [*cmd, "--index", index],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    answer = json.loads(proc.stdout)
    assert answer["citations"] and not answer["abstained"]
    imported = _imported(proc.stderr)
    assert {"onnxruntime", "bm25s", "faiss"} <= imported  # the report is read correctly
    assert not imported & HEAVY, sorted(imported & HEAVY)


def test_serve_request_path_imports_no_torch(
    sample_settings: Settings, onnx_embedder: OnnxEmbedder, tmp_path: Path
) -> None:
    """A served /v1/ask, after start-up warm-up, leaves the server free of torch."""
    port = free_port()
    index = str(sample_settings.paths.index_dir)
    cmd = [sys.executable, "-X", "importtime", "-m", "pilotdesk", "serve", "--port", str(port)]
    log = tmp_path / "serve.err"  # a file, not a pipe: the report would fill a pipe and block
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [*cmd, "--index", index], stdout=subprocess.DEVNULL, stderr=err, env=_env()
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.5)
        req = urllib.request.Request(
            f"{base}/v1/ask",
            data=json.dumps({"question": QUESTION}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=120) as r:
            answer = json.loads(r.read())
        assert answer["citations"] and not answer["abstained"]
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    imported = _imported(log.read_text(encoding="utf-8"))
    assert {"onnxruntime", "bm25s", "uvicorn"} <= imported
    assert not imported & HEAVY, sorted(imported & HEAVY)
