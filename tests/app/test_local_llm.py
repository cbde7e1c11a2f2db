"""The real `openai` client against a real llama.cpp server with the packaged SmolLM2 model.

The model is tiny and often wrong: these tests assert structure, never its wording.
"""

from __future__ import annotations

import json

import pytest

from app.answer import Assistant, merge_history
from app.backends.openai_compatible import ChatBackend
from app.config import BackendProfile, Settings
from app.types import Answer, Turn
from index.embedder import Embedder
from pilotdesk.cli import run

pytestmark = pytest.mark.slow

# Any fixed seed makes the tests repeatable; with this one the rewrite below is a reply the
# model ends itself (285 characters), well inside the 400 the rewrite accepts.
SEED = 1


def local_profile(base_url: str) -> BackendProfile:
    """The shipped `local` profile pointed at the test server, with short answers."""
    return BackendProfile(
        base_url=base_url,
        model="local",
        max_tokens=48,
        timeout_s=60,
        # A fixed sampling seed: without one llama.cpp draws a new seed per request, and at
        # temperature 0.1 the same prompt gave a different text every call (see the rewrite
        # test). With it the text is the same on every run, alone or in the suite, idle or with
        # both cores busy. No reuse of an earlier request's cached prompt prefix either.
        extra_body={"repeat_penalty": 1.3, "cache_prompt": False, "seed": SEED},
    )


def test_complete_and_stream(local_llm: str) -> None:
    backend = ChatBackend("local", local_profile(local_llm), None)
    msgs = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Say hello."},
    ]
    assert backend.complete(msgs, max_tokens=12).strip()
    pieces = list(backend.stream(msgs))
    assert len(pieces) > 1 and "".join(pieces).strip()
    assert backend.health() == (True, "ok")


def test_grounded_answer_streams_and_citations_are_checked(
    local_llm: str, sample_settings: Settings, embedder: Embedder
) -> None:
    sample_settings.backend.profiles["local"] = local_profile(local_llm)
    events = list(
        Assistant(sample_settings, embedder).stream(
            "How long is a startup project?", [], backend="local"
        )
    )
    final = events[-1]
    assert isinstance(final, Answer) and not final.abstained
    assert all(isinstance(e, str) for e in events[:-1]) and len(events) > 2  # real tokens
    # Every sentence the small model wrote was checked against what it cites: either some
    # survived (cited, supported), or none did and the documents answer instead, saying so.
    if final.backend == "local":
        assert final.citations
    else:
        assert final.backend == "extractive"
        assert any(w.code == "replaced" for w in final.warnings)
    assert [c.key for c in final.citations] == [f"S{i + 1}" for i in range(len(final.citations))]
    for c in final.citations:
        assert f"[{c.key}]" in final.text and final.hits[c.rank - 1].chunk.id == c.chunk_id


def test_follow_up_is_rewritten_by_the_model(
    local_llm: str, sample_settings: Settings, embedder: Embedder
) -> None:
    sample_settings.backend.profiles["local"] = local_profile(local_llm)
    history = [
        Turn("user", "How often are progress reports due?"),
        Turn("assistant", "At 1, 3 and 9 months [S1]."),
    ]
    question = "and how long is each?"
    merged = merge_history(question, history)
    answer = Assistant(sample_settings, embedder).ask(question, history, backend="local")
    # No retry: the 135M model never writes a short question here, it describes the
    # conversation until it stops or hits the 80-token cap (270-480 characters). Sampled with
    # a random seed, 19 in 140 such replies ran past the 400 characters a rewrite may have, and
    # the merge was used: that was this test's flakiness, on an idle machine as under load
    # (under load a rewrite took 3-5 s, far below the timeout). With SEED the reply is fixed,
    # so a second try would only repeat the first.
    warned = [str(w) for w in answer.warnings if "rewrite" in str(w)]
    assert not warned
    # A failed rewrite falls back to the history merge: the model's text must differ from both.
    assert answer.standalone_question.strip()
    assert answer.standalone_question not in (question, merged)


def test_cli_ask_with_local_backend(
    local_llm: str,
    sample_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PILOTDESK_BACKEND__PROFILES__LOCAL__BASE_URL", local_llm)
    monkeypatch.setenv("PILOTDESK_BACKEND__PROFILES__LOCAL__MAX_TOKENS", "48")
    code = run(
        [
            "ask",
            "What does a startup project give?",
            "--backend",
            "local",
            "--json",
            "--index",
            str(sample_settings.paths.index_dir),
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["answer"]
    # The model answered, or its unsupported text was replaced and the note says so.
    codes = {w["code"] for w in out["warnings"]}
    assert out["backend"] == "local" or (out["backend"] == "extractive" and "replaced" in codes)
