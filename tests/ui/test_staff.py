"""The staff view, driven by AppTest: sign-in, the log, gaps, drafts, uploads and removal."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Tab

from app.config import Settings
from index.store import read_manifest
from tests.ui.driver import PASSWORD, ask, button, sign_in, staff_page, start_app, texts


def _tab(at: AppTest, label: str) -> Tab:
    """A staff tab by label (AppTest renders every tab's content)."""
    return next(t for t in at.tabs if t.label == label)


def test_staff_view_is_disabled_without_a_password(
    ui_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PILOTDESK_STAFF__PASSWORD")
    st.cache_resource.clear()
    at = staff_page(start_app())
    assert not at.exception
    assert "disabled" in at.info[0].value
    assert not at.text_input  # no password field to guess at


def test_wrong_password_is_refused_and_the_right_one_shows_the_log(
    ui_settings: Settings,
) -> None:
    at = start_app()
    ask(at, "Can a community college instructor request classroom resources?")
    at.feedback[0].set_value(0).run()  # thumbs down: shows up in Gaps
    ask(at, "What is the capital of France?")
    staff_page(at)
    sign_in(at, "not the password")
    assert not at.exception
    assert "Wrong password" in at.error[0].value and "4 attempt(s) left" in at.error[0].value
    assert not at.tabs and not at.dataframe
    assert "not the password" not in str(at.session_state.to_dict())  # not kept anywhere

    sign_in(at, PASSWORD)
    assert not at.exception
    assert [t.label for t in at.tabs][:2] == ["Question log", "Gaps"]
    log = _tab(at, "Question log").dataframe[0].value
    assert list(log["Question"]) == [
        "What is the capital of France?",
        "Can a community college instructor request classroom resources?",
    ]
    assert list(log["Not in documents"]) == [True, False]
    assert list(log["Feedback"]) == ["", "down"]
    assert _tab(at, "Question log").get("download_button")  # CSV export offered

    gaps = texts(_tab(at, "Gaps"))
    assert any("capital of France" in g for g in gaps)
    assert any("community college" in g for g in gaps)
    usage = _tab(at, "Usage")
    assert [m.value for m in usage.metric][:2] == ["2", "1"]

    draft = _tab(at, "Draft a reply")
    draft.text_area[0].input("How long does a startup project last?")
    next(b for b in draft.button if b.label == "Draft a reply").click()
    at.run()
    code = _tab(at, "Draft a reply").code[0].value
    assert "[S1]" in code and "Sources:" in code and "https://nairrpilot.org" in code


def test_uploads_refuse_unsafe_names_and_types_then_ingest_and_remove(
    ui_settings: Settings, tmp_path: Path
) -> None:
    at = sign_in(staff_page(start_app()), PASSWORD)
    docs = _tab(at, "Documents")
    before = set(read_manifest(ui_settings.paths.index_dir).documents)  # type: ignore[union-attr]
    docs.file_uploader[0].set_value(
        [
            ("../escape.md", b"# Escape\n\nWritten outside the uploads folder.\n", "text/markdown"),
            ("..\\win.md", b"# Win\n\nA Windows path.\n", "text/markdown"),
            (".hidden.md", b"# Hidden\n\nA dot file.\n", "text/markdown"),
            ("tool.exe", b"MZ\x90\x00", "application/octet-stream"),
            (
                "Office Hours Notes.md",
                b"# Office hours\n\nOffice hours run every Tuesday.\n",
                "text/markdown",
            ),
        ]
    )
    button(at, "Ingest").click().run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert len(errors) == 4, errors
    for name in ("../escape.md", "..\\win.md", ".hidden.md"):
        assert any(
            e.startswith(name.replace("\\", "")) and "may not contain a path" in e for e in errors
        ), (name, errors)
    assert any("tool.exe" in e and "only .pdf" in e for e in errors)
    uploads = ui_settings.staff.uploads_dir
    assert sorted(p.name for p in uploads.iterdir()) == ["Office_Hours_Notes.md"]
    assert not (tmp_path / "escape.md").exists() and not (uploads.parent / "escape.md").exists()

    manifest = read_manifest(ui_settings.paths.index_dir)
    assert manifest is not None
    added = set(manifest.documents) - before
    assert len(added) == 1 and before <= set(manifest.documents)  # --add keeps the rest
    doc = manifest.documents[added.pop()]
    assert doc.title == "Office hours"
    assert any("1 new" in s.value for s in at.success)

    docs = _tab(at, "Documents")
    docs.selectbox(key="remove-doc").set_value(doc.id)
    docs.checkbox(key="remove-sure").check()
    at.run()
    button(at, "Remove").click().run()
    assert not at.exception
    manifest = read_manifest(ui_settings.paths.index_dir)
    assert manifest is not None and set(manifest.documents) == before
    assert not (uploads / "Office_Hours_Notes.md").exists()
    assert any("Removed Office hours" in s.value for s in at.success)
