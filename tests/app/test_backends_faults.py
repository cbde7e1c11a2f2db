"""Backend failures over real HTTP (fault-injection server): retries, timeouts, fallbacks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.answer import Assistant
from app.backends.openai_compatible import ChatBackend
from app.citations import check_citations
from app.config import BackendProfile, Settings
from app.errors import BackendAuthError
from app.types import Answer, Turn
from index.embedder import Embedder
from tests.openai_fault_server import FaultServer, fault_server

QUESTION = "How long is a startup project?"


@pytest.fixture(scope="module")
def faults() -> Iterator[FaultServer]:
    """One fault-injection server for the module."""
    with fault_server() as fs:
        yield fs


def use(settings: Settings, fs: FaultServer, mode: str, **kw: object) -> str:
    """Add a profile pointing at one fault mode and return its name."""
    fields = {"base_url": fs.url(mode), "model": "fault", "timeout_s": 5, "max_retries": 1, **kw}
    settings.backend.profiles[mode] = BackendProfile(**fields)  # type: ignore[arg-type]
    return mode


def run(
    assistant: Assistant, backend: str, question: str = QUESTION, history: list[Turn] | None = None
) -> tuple[list[str], Answer]:
    """Collect the streamed pieces and the final answer."""
    pieces: list[str] = []
    final = None
    for ev in assistant.stream(question, history or [], backend=backend):
        if isinstance(ev, Answer):
            final = ev
        else:
            pieces.append(ev)
    assert final is not None
    return pieces, final


def test_streamed_answer_keeps_valid_keys_and_drops_invented_ones(
    sample_settings: Settings, embedder: Embedder, faults: FaultServer
) -> None:
    name = use(sample_settings, faults, "ok")
    pieces, answer = run(Assistant(sample_settings, embedder), name)
    assert len(pieces) > 3  # token by token
    assert answer.backend == "ok" and not answer.abstained
    assert "[S1]" in answer.text and "S9" not in answer.text
    assert [c.key for c in answer.citations] == ["S1"]
    assert answer.citations[0].chunk_id == answer.hits[0].chunk.id
    assert any("S9" in w.message for w in answer.warnings)


def test_answer_without_citations_is_flagged_and_replaced_in_strict_mode(
    sample_settings: Settings, embedder: Embedder, faults: FaultServer
) -> None:
    name = use(sample_settings, faults, "uncited")
    _, loose = run(Assistant(sample_settings, embedder), name)
    # Nothing the model wrote is cited, so nothing is supported: the documents answer instead.
    assert loose.backend == "extractive" and loose.citations
    assert re_keys(loose.text) == {c.key for c in loose.citations}
    assert any(w.code == "replaced" for w in loose.warnings)
    sample_settings.backend.strict_citations = True
    _, strict = run(Assistant(sample_settings, embedder), name)
    assert strict.citations and re_keys(strict.text) == {c.key for c in strict.citations}
    assert any(w.code == "replaced" for w in strict.warnings)


def re_keys(text: str) -> set[str]:
    """Citation keys in a text."""
    return set(check_citations(text, [f"S{i}" for i in range(1, 30)]).used_keys)


@pytest.mark.parametrize(
    ("mode", "expect"),
    [
        ("down500", "HTTP 500"),
        ("garbage", "unusable response"),
        ("cutstream", "ended the stream"),
        ("nomodel", "backend.profiles.nomodel.model"),
    ],
)
def test_failures_degrade_to_sources_with_a_clear_message(
    sample_settings: Settings, embedder: Embedder, faults: FaultServer, mode: str, expect: str
) -> None:
    name = use(sample_settings, faults, mode)
    before = faults.hits[mode]
    pieces, answer = run(Assistant(sample_settings, embedder), name)
    assert answer.backend == "extractive"
    assert answer.text.startswith("The answer model is unavailable")
    assert any(expect in w.message for w in answer.warnings)
    assert "backend.profiles" not in answer.text  # operator hints stay out of the public text
    assert answer.citations, "the retrieved sources still come with the message"
    assert "Traceback" not in "".join(pieces)
    calls = faults.hits[mode] - before
    assert 1 <= calls <= 4  # bounded: SDK retries (1) within at most two stream attempts


def test_retry_recovers_from_one_server_error(
    sample_settings: Settings, embedder: Embedder, faults: FaultServer
) -> None:
    name = use(sample_settings, faults, "flaky")
    _, answer = run(Assistant(sample_settings, embedder), name)
    assert answer.backend == "flaky" and "[S1]" in answer.text
    assert faults.hits["flaky"] == 2


def test_slow_backend_times_out_instead_of_hanging(
    sample_settings: Settings, embedder: Embedder, faults: FaultServer
) -> None:
    name = use(sample_settings, faults, "slow", timeout_s=0.5, max_retries=0)
    _, answer = run(Assistant(sample_settings, embedder), name)
    assert answer.backend == "extractive" and any(
        "timed out after 0.5 s" in w.message for w in answer.warnings
    )


def test_wrong_key_names_the_setting_and_never_the_key(
    sample_settings: Settings,
    embedder: Embedder,
    faults: FaultServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAULT_KEY", "sk-test-NEVER-SHOWN-123")
    name = use(sample_settings, faults, "unauthorized", api_key_env="FAULT_KEY")
    _, answer = run(Assistant(sample_settings, embedder), name)
    blob = answer.text + " ".join(w.message for w in answer.warnings)
    assert any("FAULT_KEY" in w.message and "api_key_env" in w.message for w in answer.warnings)
    assert "NEVER-SHOWN" not in blob
    assert faults.hits["unauthorized"] == 1  # a refused key is not retried


def test_missing_key_is_a_configuration_error(
    sample_settings: Settings, faults: FaultServer
) -> None:
    prof = BackendProfile(base_url=faults.url("ok"), model="fault", api_key_env="ABSENT_KEY_VAR")
    with pytest.raises(BackendAuthError, match="export ABSENT_KEY_VAR"):
        ChatBackend("x", prof, sample_settings.api_key(prof))


def test_abstention_never_calls_the_model(
    sample_settings: Settings, embedder: Embedder, faults: FaultServer
) -> None:
    name = use(sample_settings, faults, "down500")
    before = faults.hits["down500"]
    _, answer = run(Assistant(sample_settings, embedder), name, "What's the best pizza in Chicago?")
    assert answer.abstained and answer.citations == ()
    assert faults.hits["down500"] == before


def test_failed_rewrite_falls_back_to_history_merge(
    sample_settings: Settings, embedder: Embedder, faults: FaultServer
) -> None:
    name = use(sample_settings, faults, "down500", max_retries=0)
    history = [
        Turn("user", "How often are progress reports due?"),
        Turn("assistant", "At 1, 3, 9 months."),
    ]
    _, answer = run(Assistant(sample_settings, embedder), name, "and how long is each?", history)
    assert "progress reports" in answer.standalone_question.lower()
    assert any("rewrite failed" in w.message for w in answer.warnings)


def test_health_reports_reachability(sample_settings: Settings, faults: FaultServer) -> None:
    ok = ChatBackend("ok", BackendProfile(base_url=faults.url("ok"), model="fault"), None)
    down = ChatBackend("d", BackendProfile(base_url=faults.url("down500"), model="fault"), None)
    assert ok.health() == (True, "ok")
    healthy, detail = down.health()
    assert not healthy and "HTTP 500" in detail


def test_backends_command_lists_profiles_with_health(
    faults: FaultServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pilotdesk.cli import run as cli

    monkeypatch.setenv("PILOTDESK_BACKEND__PROFILES__CAMPUS__BASE_URL", faults.url("ok"))
    monkeypatch.setenv("PILOTDESK_BACKEND__PROFILES__CAMPUS__MODEL", "fault")
    monkeypatch.setenv("PILOTDESK_BACKEND__PROFILES__BROKEN__BASE_URL", faults.url("down500"))
    monkeypatch.setenv("PILOTDESK_BACKEND__PROFILES__BROKEN__MODEL", "fault")
    assert cli(["backends"]) == 0
    out = capsys.readouterr().out.splitlines()
    lines = {line[2:].split()[0]: line for line in out if line.strip()}
    assert lines["campus"].rstrip().endswith("ok")
    assert "unavailable" in lines["broken"] and "HTTP 500" in lines["broken"]
    assert "needs an API key: export OPENAI_API_KEY" in lines["openai"]
    assert lines["extractive"].startswith("*")


def test_unsupported_model_sentences_are_removed(
    sample_settings: Settings, embedder: Embedder, faults: FaultServer
) -> None:
    # A scripted OpenAI-protocol reply: one supported sentence and one invented price.
    faults.replies["reply-price"] = (
        "A startup project lasts 3 months [S1]. Extra time costs $1,500 per GPU-hour [S1]."
    )
    name = use(sample_settings, faults, "reply-price")
    _, answer = run(Assistant(sample_settings, embedder), name)
    assert "3 months" in answer.text and "$1,500" not in answer.text
    removed = [w for w in answer.warnings if w.code == "unsupported_sentence"]
    assert removed and "money" in removed[0].message
    assert [c.key for c in answer.citations] == ["S1"]


def test_the_no_answer_marker_becomes_the_standard_refusal(
    sample_settings: Settings, embedder: Embedder, faults: FaultServer
) -> None:
    faults.replies["reply-none"] = "NOT_IN_DOCUMENTS"
    name = use(sample_settings, faults, "reply-none")
    _, answer = run(Assistant(sample_settings, embedder), name)
    assert answer.abstained and answer.citations == ()
    assert answer.abstain_reason == "the model found no answer"
    assert "office hours" in answer.text
