"""The learned answerability decision: stored model, reasons, context and parts."""

from __future__ import annotations

import json

import pytest

from app.answerability.features import FEATURES
from app.answerability.model import MODEL_PATH, load_model, parse_model
from app.answerability.text import content_words, names, split_parts
from app.errors import ConfigError


def test_stored_model_matches_the_features_and_explains_itself() -> None:
    model = load_model()
    assert set(model.features) <= set(FEATURES) and 0 < model.threshold < 1
    good = {f: 1.0 for f in model.features}
    bad = {f: -1.0 for f in model.features}
    assert model.probability(good) > model.probability(bad)
    reasons = model.reasons(bad)
    assert reasons and all(r in FEATURES.values() for r in reasons)


def test_a_stale_model_file_names_the_command_to_fix_it() -> None:
    data = json.loads(MODEL_PATH.read_text())
    data["features"] = [*data["features"][:-1], "no_such_feature"]
    with pytest.raises(ConfigError, match="pilotdesk eval calibrate"):
        parse_model(data, "test")


def test_personal_context_is_not_what_is_asked() -> None:
    q = "I'm a postdoc in Ohio at Kent State, can I request classroom resources?"
    words = content_words(q)
    assert "ohio" not in words and "postdoc" not in words and "classroom" in words
    assert "Ohio" not in names(q)


def test_multi_part_questions_split_into_parts() -> None:
    parts = split_parts("How long does a startup project last, and can I extend it?")
    assert len(parts) == 2 and parts[1].startswith("can I extend")
    assert split_parts("What is a startup project?") == ["What is a startup project?"]
