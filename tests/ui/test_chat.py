"""The applicant chat, driven by AppTest against the real sample index and SQLite store."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from app.config import Settings
from app.store import open_store
from app.ui.markdown_safe import escape_md
from childproc import free_port
from tests.ui.driver import ask, button, start_app, texts


def _stored(settings: Settings, column: str) -> list[str]:
    """One column of the answers table, oldest first (read straight from the database file)."""
    with sqlite3.connect(settings.paths.db_path) as db:
        return [r[0] for r in db.execute(f"SELECT {column} FROM answers ORDER BY created_at")]


def test_example_question_gets_an_answer_with_sources(ui_settings: Settings) -> None:
    at = start_app()
    assert not at.exception
    assert "Try one of these:" in texts(at)
    button(at, escape_md("Can a community college instructor request classroom resources?")).click()
    at.run()
    assert not at.exception
    user, reply = at.chat_message
    assert user.name == "user" and reply.name == "assistant"
    body = reply.markdown[0].value
    assert "community colleges" in body
    sources = [m for m in texts(reply) if m.startswith("**\\[S")]
    assert sources, texts(reply)
    for line in sources:
        key = re.match(r"\*\*\\\[(S\d+)\\\]\*\*", line)
        assert key and f"\\[{key.group(1)}\\]" in body  # each listed key is cited in the text
        assert re.search(r"\]\(https://nairrpilot\.org/[^)]*\)", line)  # a link to the URL
        assert re.search(r"— (§|slide|p\\\.|row)", line)  # the locator
        assert "as of 2025" in line.replace("\\-", "-")
    assert next(e.label for e in reply.expander).startswith("Passage S")
    assert not reply.warning  # a confident answer is not styled as not-in-the-documents
    assert _stored(ui_settings, "channel") == ["ui"]


def test_follow_up_uses_history_and_new_conversation_resets(ui_settings: Settings) -> None:
    at = ask(start_app(), "How long does a startup project last?")
    ask(at, "And a full allocation?")
    assert not at.exception
    standalone = _stored(ui_settings, "standalone_question")
    assert standalone[0] == "How long does a startup project last?"
    assert "startup project" in standalone[1] and "full allocation" in standalone[1]
    assert any("Searched the documents for" in t for t in texts(at.chat_message[-1]))
    assert not at.chat_message[-1].warning  # answered from the documents
    with sqlite3.connect(ui_settings.paths.db_path) as db:
        assert db.execute("SELECT COUNT(DISTINCT conversation_id) FROM answers").fetchone() == (1,)
    button(at, "New conversation").click().run()
    assert not at.chat_message[0].markdown[0].value.startswith("How long")
    assert "Try one of these:" in texts(at)
    ask(at, "Who can request NAIRR Classroom resources?")
    with sqlite3.connect(ui_settings.paths.db_path) as db:
        assert db.execute("SELECT COUNT(DISTINCT conversation_id) FROM answers").fetchone() == (2,)


def test_off_topic_question_is_not_in_documents_and_shown_literally(
    ui_settings: Settings,
) -> None:
    question = "<img src=x onerror=alert(1)> What is the capital of France?"
    at = ask(start_app(), question)
    assert not at.exception
    user, reply = at.chat_message[-2:]
    # Escaped Markdown: Streamlit shows the tag as text instead of dropping or rendering it.
    assert user.markdown[0].value == escape_md(question)
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in user.markdown[0].value
    assert reply.warning and "could not find this" in reply.warning[0].value
    links = " ".join(texts(reply))
    # Office hours share the site's address by default: one honest link, not two.
    assert "official NAIRR Pilot site](https://nairrpilot.org)" in links
    assert "office hours](" not in links
    assert not any(t.startswith("**\\[S") for t in texts(reply))  # no sources listed
    assert _stored(ui_settings, "abstained") == [1]


def test_feedback_and_comment_are_stored(ui_settings: Settings) -> None:
    at = ask(start_app(), "How long does a startup project last?")
    assert len(at.feedback) == 1
    at.feedback[0].set_value(0).run()  # 0 is thumbs down
    answer_id = _stored(ui_settings, "id")[0]
    store = open_store(ui_settings.paths.db_path)
    assert store.feedback_rows(answer_id) == [(-1, "")]
    assert "Thanks for the feedback." in [c.value.replace("\\", "") for c in at.caption]
    comment = next(t for t in at.text_input if t.label == "Comment (optional)")
    comment.input("It should say whether it can be extended.")
    button(at, "Send comment").click().run()
    assert not at.exception
    assert store.feedback_rows(answer_id) == [
        (-1, ""),
        (-1, "It should say whether it can be extended."),
    ]
    row = store.log()[0]
    assert row.feedback_score == -1 and row.feedback_comment.startswith("It should say")


def test_missing_index_is_a_notice_not_a_traceback(
    ui_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    monkeypatch.setenv("PILOTDESK_PATHS__INDEX_DIR", str(tmp_path / "no-index"))
    st.cache_resource.clear()
    at = ask(start_app(), "Who is eligible?")
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]
    assert any("no index at" in e and "pilotdesk ingest data/" in e for e in shown), shown
    assert any("No documents indexed yet" in w.value for w in at.sidebar.warning)
    # The server's paths stay on the server: not in the notice, the sidebar or anywhere else.
    page = " ".join(
        [*shown, *(w.value for w in at.sidebar.warning), *(t.replace("\\", "") for t in texts(at))]
    )
    assert str(tmp_path) not in page and "no-index" not in page


def test_sources_page_lists_indexed_documents(ui_settings: Settings) -> None:
    at = start_app().switch_page("views/sources.py").run()
    assert not at.exception
    # Links as links in a list (a canvas grid cut the link column off).
    items = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert len(items) == 10, items
    assert all(re.search(r"\]\(https://nairrpilot\.org[^)]*\)", i) for i in items), items
    assert all("passage" in i for i in items)


def test_chosen_backend_that_is_down_gives_a_readable_note(
    ui_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    port = free_port()  # a loopback port nothing listens on
    monkeypatch.setenv("PILOTDESK_UI__ALLOW_BACKEND_SWITCH", "true")
    monkeypatch.setenv(
        "PILOTDESK_BACKEND__PROFILES__LOCAL__BASE_URL", f"http://127.0.0.1:{port}/v1"
    )
    monkeypatch.setenv("PILOTDESK_BACKEND__PROFILES__LOCAL__MAX_RETRIES", "0")
    st.cache_resource.clear()
    at = start_app()
    at.sidebar.selectbox[0].set_value("local").run()
    ask(at, "How long does a startup project last?")
    assert not at.exception
    reply = at.chat_message[-1]
    shown = " ".join(texts(reply) + [e.value for e in reply.error]).replace("\\", "")
    assert "answer model is unavailable" in shown, shown
    assert "cannot reach backend" not in shown  # operator details stay in the log
    assert "Traceback" not in shown
