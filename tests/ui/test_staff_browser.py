"""The staff page in real Chromium: the session and the lockout hold across reloads, and the
wide layout (with the columns staff read in view) holds across reruns."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.store import open_store
from app.types import Answer, Citation
from tests.conftest import require_chromium
from tests.helpers import CHROMIUM, CHROMIUM_ARGS
from tests.ui.driver import PASSWORD
from tests.ui.live import ui_process

pytestmark = pytest.mark.browser

URL = "https://nairrpilot.org/eligibility-faq"
# The narrowest the main block has been since WATCH ran: sampled on every frame, so a
# layout that flips to centred and back within a rerun is caught, not only the final state.
WATCH = """() => {
  window.__narrowest = Infinity;
  const tick = () => {
    const main = document.querySelector('[data-testid=stMainBlockContainer]');
    if (main) window.__narrowest = Math.min(window.__narrowest, main.getBoundingClientRect().width);
    requestAnimationFrame(tick);
  };
  tick();
}"""
# Centred is at most 736 px wide; wide fills the 1280 px window beside the sidebar.
WIDE_PX = 800


@pytest.fixture
def ui_url(sample_settings: Settings, tmp_path: Path) -> Iterator[str]:
    """`pilotdesk ui` with a staff password and two guesses before a 60 s wait."""
    require_chromium()
    env = {
        **os.environ,
        "PILOTDESK_STAFF__UPLOADS_DIR": str(tmp_path / "uploads"),
        "PILOTDESK_STAFF__PASSWORD": PASSWORD,
        "PILOTDESK_STAFF__MAX_ATTEMPTS": "2",
        "PILOTDESK_STAFF__LOCKOUT_SECONDS": "60",
    }
    _log_questions(sample_settings)
    with ui_process(sample_settings.paths.index_dir, tmp_path, env) as ui:
        ui.wait_healthy()
        # The model loads when the server starts, before any page is opened.
        deadline = time.monotonic() + 120
        while "embedding model loaded" not in ui.log_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "embedding model loaded" in ui.log_text(), ui.log_text()
        yield ui.url


def _log_questions(settings: Settings) -> None:
    """Three logged answers with long texts, thumbs down and comments, in the UI's database."""
    store = open_store(settings.paths.db_path)
    cid = store.ensure_conversation(None, channel="ui")
    cite = Citation("S1", "c1", "NAIRR Pilot Eligibility FAQ", "faq.md", URL, "§ Who", "…")
    for i in range(3):
        answer = Answer(
            question=f"Question {i}: can my lab get GPU hours for a long training run? " * 3,
            text="A long answer that quotes the documents at length. " * 20,
            citations=(cite,),
            hits=(),
            abstained=i == 1,
            backend="extractive",
            id=f"answer-{i}",
        )
        store.record_answer(cid, answer, 120.0, channel="ui")
        store.add_feedback(answer.id, -1, f"Comment {i}: it should say who to contact.")


def _headers(page: Any, expect: list[str]) -> list[str]:
    """The column headers the visible table draws in view (its grid lists only those)."""
    grid = page.get_by_test_id("stDataFrame").filter(visible=True).first
    grid.wait_for(timeout=30_000)
    shown: list[str] = []
    for _ in range(40):  # the grid redraws after a rerun
        shown = grid.evaluate("e => [...e.querySelectorAll('th')].map((t) => t.innerText)")
        if shown[: len(expect)] == expect:
            break
        page.wait_for_timeout(250)
    return shown


def _still_wide(page: Any, after: str) -> None:
    """The main block is wide now and never narrowed since the watch began."""
    page.wait_for_timeout(300)  # let a late layout message arrive, if one were coming
    narrowest = page.evaluate("() => window.__narrowest")
    assert narrowest > WIDE_PX and _width(page) > WIDE_PX, (after, narrowest)


def _reruns_keep_the_wide_layout(page: Any) -> None:
    """Filter the log, type a search, tick a box, draft a reply: each a rerun, each wide.

    The headers listed must be wholly in view: the column after them is at least partly
    drawn. With the centred layout, or long texts sized to content, they were cut off.
    """
    log_cols = ["Time", "Question", "Feedback", "Comment", "Sources", "Not in documents"]
    page.evaluate(WATCH)
    assert _headers(page, log_cols)[:6] == log_cols
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stSelectbox").filter(has_text="Answer").click()
    page.get_by_role("option", name="Not in documents").click()
    main.get_by_text("1 answer (newest first)").wait_for(timeout=30_000)
    _still_wide(page, "filtered the log")
    assert _headers(page, log_cols)[:6] == log_cols
    search = main.get_by_label("Question contains")
    search.fill("Question 2")
    search.press("Enter")  # only question 1 went unanswered: nothing matches
    main.get_by_text("No questions match these filters yet.").wait_for(timeout=30_000)
    _still_wide(page, "searched the log")

    page.get_by_role("tab", name="Documents").click()
    doc_cols = ["Title", "Link or file", "As of"]
    assert _headers(page, doc_cols)[:3] == doc_cols
    page.get_by_text("Yes, remove it from the index").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "(b) => b.innerText.includes('Remove') && !b.disabled)",
        timeout=30_000,
    )
    _still_wide(page, "ticked a box")
    assert _headers(page, doc_cols)[:3] == doc_cols

    page.get_by_role("tab", name="Draft a reply").click()
    page.get_by_label("Applicant's question").fill("How long does a startup project last?")
    page.get_by_role("button", name="Draft a reply").click()
    page.get_by_test_id("stCode").filter(has_text="Sources:").wait_for(timeout=60_000)
    _still_wide(page, "drafted a reply")


def _sign_in(page: Any, password: str) -> None:
    """Type into the page's sign-in form, which posts to the login route."""
    field = page.locator('input[name="password"]')
    field.wait_for(timeout=60_000)
    field.fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _width(page: Any) -> float:
    """The width of the page's main block."""
    page.wait_for_timeout(500)
    return float(
        page.evaluate(
            "() => document.querySelector('[data-testid=stMainBlockContainer]')"
            ".getBoundingClientRect().width"
        )
    )


def _seconds(page: Any) -> int:
    """The number in the lockout countdown."""
    text = page.get_by_text("Too many wrong passwords").inner_text(timeout=30_000)
    found = re.search(r"in (\d+) second", text)
    assert found, text
    return int(found.group(1))


def test_staff_session_layout_and_lockout_hold_across_reruns_and_reloads(ui_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            staff = browser.new_context(viewport={"width": 1280, "height": 900})
            page = staff.new_page()
            page.goto(f"{ui_url}/staff")
            _sign_in(page, PASSWORD)
            tab = page.get_by_role("tab", name="Question log")
            tab.wait_for(timeout=60_000)
            cookie = next(c for c in staff.cookies() if c["name"] == "pilotdesk_staff")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
            assert "pilotdesk_staff" not in page.evaluate("() => document.cookie")
            _reruns_keep_the_wide_layout(page)
            wide = _width(page)
            page.reload()
            page.get_by_role("tab", name="Question log").wait_for(timeout=60_000)
            # One wide layout on every run (it used to flip to centred and cut columns off).
            assert wide > 800 and _width(page) == wide  # centred is at most 736 px
            second = staff.new_page()  # a new tab of the same browser
            second.goto(f"{ui_url}/staff")
            second.get_by_role("tab", name="Question log").wait_for(timeout=60_000)
            with second.expect_navigation():
                second.get_by_role("button", name="Sign out").click()
            second.get_by_text("You are signed out.").wait_for(timeout=60_000)
            assert not [c for c in staff.cookies() if c["name"] == "pilotdesk_staff"]

            guesser = browser.new_context().new_page()  # same address, no cookie
            guesser.goto(f"{ui_url}/staff")
            _sign_in(guesser, "wrong one")
            guesser.get_by_text("Wrong password. 1 attempt left before a wait.").wait_for(
                timeout=60_000
            )
            _sign_in(guesser, "wrong two")
            first = _seconds(guesser)
            assert 50 < first <= 60
            # The countdown moves on its own (a fragment reruns every second; allow for load).
            for _ in range(40):
                guesser.wait_for_timeout(500)
                if _seconds(guesser) < first:
                    break
            assert _seconds(guesser) < first
            guesser.reload()  # a reload does not reset the count
            assert _seconds(guesser) <= first
            _sign_in(guesser, PASSWORD)  # even the right password waits
            assert "signin=locked" in guesser.url
            assert guesser.get_by_role("tab", name="Question log").count() == 0
            _seconds(guesser)
        finally:
            browser.close()
