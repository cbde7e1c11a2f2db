"""The learned answer reader: trained here (briefly, on made-up rows) with the real packaged
MiniLM, stored, loaded with its low-rank updates merged, run through ONNX Runtime with the same
scores, and a broken file is a clear error. `calibrate --reader` trains it on dev
(tests/eval/test_eval_cli.py); the stored answerability model does not use it (README).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.answerability.reader import load_reader
from app.errors import ConfigError
from eval.calibrate import Row
from eval.reader_train import save, train

ROWS = [
    Row(
        "a",
        {},
        True,
        question="How long does a pilot grant last?",
        sentences=("A pilot grant runs for six months.", "Grants are reviewed by a panel."),
        labels=(1, 0),
    ),
    Row(
        "b",
        {},
        False,
        question="What does a pilot grant cost per hour?",
        sentences=("A pilot grant runs for six months.", "Grants are reviewed by a panel."),
        labels=(0, 0),
    ),
]


@pytest.fixture(scope="module")
def reader_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reader trained for one epoch on two made-up questions, stored as calibrate stores it."""
    path = tmp_path_factory.mktemp("reader") / "reader.npz"
    save(train(ROWS, epochs=1), path)
    return path


def test_a_stored_reader_loads_and_scores(reader_file: Path) -> None:
    reader = load_reader(reader_file)
    assert reader.meta.rank > 0 and reader.meta.max_length >= 64
    p = reader.score("How long does a pilot grant last?", ["It runs for six months.", "No."])
    assert len(p) == 2 and all(0.0 <= v <= 1.0 for v in p)
    assert reader.score("anything", []) == []


def test_the_onnx_reader_scores_as_the_torch_one(reader_file: Path, tmp_path: Path) -> None:
    from app.answerability.reader_onnx import ensure_reader_export, load_onnx_reader

    folder = ensure_reader_export(tmp_path / "models", reader_file)
    assert ensure_reader_export(tmp_path / "models", reader_file) == folder  # made once
    sentences = ["A pilot grant runs for six months.", "Grants are reviewed by staff. " * 40]
    question = "How long does a pilot grant last?"
    torch_p = load_reader(reader_file).score(question, sentences)
    onnx_p = load_onnx_reader(tmp_path / "models", reader_file).score(question, sentences)
    assert np.allclose(torch_p, onnx_p, atol=1e-4)  # a long sentence is cut the same way too


def test_a_broken_reader_file_says_to_recalibrate(tmp_path: Path) -> None:
    bad = tmp_path / "reader.npz"
    np.savez(bad, meta=np.array("{not json"))
    with pytest.raises(ConfigError, match="pilotdesk eval calibrate"):
        load_reader(bad)
    missing = tmp_path / "gone.npz"
    with pytest.raises(ConfigError, match="pilotdesk eval calibrate"):
        load_reader(missing)
