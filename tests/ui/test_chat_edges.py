"""Rough edges of the chat page: blank and over-long questions, links, focus, phone reset."""

from __future__ import annotations

import pytest
import streamlit as st

from app.config import Settings
from tests.ui.driver import ask, button, start_app, texts


def test_a_blank_question_is_not_sent(ui_settings: Settings) -> None:
    at = ask(start_app(), "   \n  ")
    assert not at.exception
    assert not at.chat_message or all(m.name == "assistant" for m in at.chat_message)
    assert "Type a question first" in at.toast[0].value
    assert "Try one of these:" in texts(at)  # still the welcome, no empty bubble


def test_an_over_long_question_is_explained_and_can_be_shortened(ui_settings: Settings) -> None:
    limit = ui_settings.api.max_question_chars
    long = "How long does a startup project last? " + "x" * limit
    at = ask(start_app(), long)
    assert not at.exception
    assert f"{len(long):,} characters long" in at.warning[0].value
    assert not any(m.name == "user" for m in at.chat_message)  # nothing was asked yet
    button(at, f"Ask the first {limit:,} characters").click().run()
    assert not at.exception
    asked = next(m for m in at.chat_message if m.name == "user").markdown[0].value
    asked = asked.replace("\\", "")  # Markdown escapes
    assert asked.startswith("How long does a startup project last?") and len(asked) <= limit
    assert not at.warning or f"{len(long):,}" not in at.warning[0].value


def test_office_hours_link_only_when_it_differs_from_the_site(
    ui_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    side = " ".join(m.value for m in start_app().sidebar.markdown)
    assert "office hours" not in side and "Official NAIRR Pilot site" in side
    monkeypatch.setenv("PILOTDESK_API__OFFICE_HOURS_URL", "https://example.org/office-hours")
    st.cache_resource.clear()
    at = start_app()
    side = " ".join(m.value for m in at.sidebar.markdown)
    assert "[NAIRR Pilot office hours](https://example.org/office-hours)" in side
    reply = ask(at, "What is the capital of France?").chat_message[-1]
    shown = " ".join(texts(reply))
    assert "office hours](https://example.org/office-hours)" in shown


def test_phone_reset_button_and_focus_script(ui_settings: Settings) -> None:
    at = start_app()
    main_buttons = [b for b in at.main.button if b.label == "New conversation"]
    assert not main_buttons  # nothing to reset yet
    assert any("stChatInputTextArea" in h.proto.body for h in at.get("html"))
    ask(at, "How long does a startup project last?")
    main_buttons = [b for b in at.main.button if b.label == "New conversation"]
    assert main_buttons  # reachable without opening the sidebar
    main_buttons[0].click().run()
    assert "Try one of these:" in texts(at)
