"""The staff view, driven by AppTest: sign-in, the log, gaps, drafts, uploads and removal."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Tab

from app.config import Settings
from app.store import open_store
from app.ui.staff_auth import Attempt, Throttle
from app.ui.staff_docs import UPLOADER
from index.store import read_manifest
from tests.ui.driver import (
    APP,
    PASSWORD,
    TIMEOUT,
    ask,
    button,
    sign_in,
    staff_page,
    start_app,
    texts,
)


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
    assert not at.tabs and not at.dataframe and not at.text_input  # the form posts to a route
    # The login route counted one wrong guess for this client and sent the browser back.
    store = open_store(ui_settings.paths.db_path)
    throttle = Throttle(ui_settings.staff.max_attempts, ui_settings.staff.lockout_seconds)
    secret = ui_settings.staff.password
    assert secret is not None
    assert throttle.attempt(store, "local", "nope", secret, time.time()) is Attempt.WRONG
    at.query_params["signin"] = "wrong"
    at.run()
    assert not at.exception
    assert at.error[0].value == "Wrong password. 4 attempts left before a wait."
    assert not at.tabs

    for _ in range(4):
        throttle.attempt(store, "local", "nope", secret, time.time())
    at.run()
    assert "Try again in 30 seconds" in at.warning[0].value  # no stale "attempts left"
    assert not at.error

    sign_in(at)
    assert not at.exception
    assert [t.label for t in at.tabs][:2] == ["Question log", "Gaps"]
    log = _tab(at, "Question log").dataframe[0].value
    assert list(log["Question"]) == [
        "What is the capital of France?",
        "Can a community college instructor request classroom resources?",
    ]
    assert list(log["Not in documents"]) == [True, False]
    why = list(log["Why not answered"])
    assert why[0] and not why[1]  # the reason, in plain words, for the one not answered
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

    # Not in the documents: the warning's icon is a Material symbol, not an emoji that shows
    # as an empty box on machines without an emoji font.
    draft = _tab(at, "Draft a reply")
    draft.text_area[0].input("What is the capital of France?")
    next(b for b in draft.button if b.label == "Draft a reply").click()
    at.run()
    (warning,) = _tab(at, "Draft a reply").warning
    assert "do not cover this" in warning.value
    assert warning.icon == ":material/travel_explore:"
    assert all(ord(ch) < 0x2190 for ch in warning.value), warning.value  # no symbols or emoji


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
    # The outcome shows next to the Ingest button, where the user is, not above the fold.
    order = _order(_tab(at, "Documents"))
    after = order[order.index("button:Ingest") + 1 : order.index("success")]
    assert after == ["error"] * 4, order  # the refused files, then the summary

    # Without a URL, answers cite the upload by its title and file name, never its path.
    chat = ask(start_app(), "Which day of the week do NAIRR Pilot office hours run?")
    lines = [t.replace("\\", "") for t in texts(chat.chat_message[-1]) if t.startswith("**\\[S")]
    mine = [line for line in lines if "Office_Hours_Notes.md" in line]
    assert mine and "Office hours" in mine[0], lines
    assert not any(str(uploads) in line or "/uploads/" in line for line in lines), lines

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
    order = _order(_tab(at, "Documents"))
    assert order.index("success") == order.index("button:Remove") + 1, order


def _order(block: Any) -> list[str]:
    """The kinds of elements under a block in page order ("button:Label" for buttons)."""
    out: list[str] = []
    for child in getattr(block, "children", {}).values():
        if getattr(child, "type", "") == "button":
            out.append(f"button:{child.label}")
        elif getattr(child, "children", None):
            out += _order(child)
        else:
            out.append(str(getattr(child, "type", "")))
    return out


def test_upload_metadata_is_how_answers_cite_it(ui_settings: Settings) -> None:
    at = sign_in(staff_page(start_app()))
    docs = _tab(at, "Documents")
    notes = b"# Tuesday clinic\n\nThe NAIRR Pilot help clinic meets every Tuesday at noon.\n"
    docs.file_uploader[0].set_value([("clinic.md", notes, "text/markdown")])
    docs.text_input(key="title-0").input("Help clinic schedule")
    docs.text_input(key="link-0").input("https://example.org/clinic")
    docs.text_input(key="asof-0").input("2025-05-06")
    button(at, "Ingest").click().run()
    assert not at.exception and any("1 new" in s.value for s in at.success)
    manifest = read_manifest(ui_settings.paths.index_dir)
    assert manifest is not None
    doc = next(d for d in manifest.documents.values() if d.source.endswith("clinic.md"))
    assert (doc.title, doc.url, doc.as_of) == (
        "Help clinic schedule",
        "https://example.org/clinic",
        "2025-05-06",
    )
    # The uploads folder's path never reaches the page: not in the table, not in a citation.
    uploads = str(ui_settings.staff.uploads_dir.resolve())
    table = _tab(at, "Documents").dataframe[0].value
    assert "https://example.org/clinic" in list(table["Link or file"])
    assert not any(uploads in str(v) for v in table.to_numpy().ravel())

    chat = ask(start_app(), "When does the NAIRR Pilot help clinic meet?")
    shown = " ".join(texts(chat))
    assert "[Help clinic schedule](https://example.org/clinic)" in shown.replace("\\", "")
    assert "as of 2025" in shown.replace("\\", "") and uploads not in shown
    assert "/uploads/" not in shown.replace("\\", "")


def test_upload_metadata_is_checked(ui_settings: Settings) -> None:
    at = sign_in(staff_page(start_app()))
    docs = _tab(at, "Documents")
    docs.file_uploader[0].set_value([("a.md", b"# A\n\nText.\n", "text/markdown")])
    docs.text_input(key="asof-0").input("May 2025")
    button(at, "Ingest").click().run()
    assert any("YYYY-MM-DD" in e.value.replace("\\", "") for e in at.error)
    assert not ui_settings.staff.uploads_dir.exists()  # nothing saved from a refused form


TOOK = re.compile(
    r"\((\d+\.\d) s(?:: (\d+\.\d) s loading the embedding model \(first time only\), "
    r"(\d+\.\d) s ingesting)?\)\.$"
)


def _upload(at: AppTest, name: str, text: bytes) -> tuple[float, tuple[float, ...]]:
    """Ingest one file; the wall time around the whole run, and the times the page reported."""
    generation = at.session_state[UPLOADER]
    _tab(at, "Documents").file_uploader(key=f"uploader-{generation}").set_value(
        [(name, text, "text/markdown")]
    )
    started = time.perf_counter()
    button(at, "Ingest").click().run()
    wall = time.perf_counter() - started
    assert not at.exception
    summary = next(s.value for s in at.success if "Ingested" in s.value).replace("\\", "")
    took = TOOK.search(summary)
    assert took, summary
    return wall, tuple(float(x) for x in took.groups() if x is not None)


def test_first_upload_reports_the_whole_operation_including_the_model_load(
    ui_settings: Settings,
) -> None:
    # Straight to the staff page, as staff do right after a start: nothing has loaded the
    # model yet, so the first upload waits for it (it took 32 s and reported "0.9 s").
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).switch_page("views/staff.py")
    sign_in(at.run())
    wall, took = _upload(at, "first.md", b"# First\n\nThe first upload after a start.\n")
    assert len(took) == 3, took  # the whole time, then its two parts
    total, loading, ingesting = took
    assert loading > 0
    # The reported whole covers both recorded parts (each rounded to 0.1 s), and is no
    # longer than the run the test timed around it.
    assert loading + ingesting - 0.15 <= total <= wall + 0.05, (took, wall)

    wall, took = _upload(at, "second.md", b"# Second\n\nThe model is loaded by now.\n")
    assert len(took) == 1, took  # no loading step the second time
    assert took[0] <= wall + 0.05
