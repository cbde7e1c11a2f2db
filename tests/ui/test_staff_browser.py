"""The staff page in real Chromium: the session and the lockout both hold across reloads."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from tests.conftest import require_chromium
from tests.helpers import CHROMIUM, CHROMIUM_ARGS
from tests.ui.driver import PASSWORD
from tests.ui.live import ui_process

pytestmark = pytest.mark.browser


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
    with ui_process(sample_settings.paths.index_dir, tmp_path, env) as ui:
        ui.wait_healthy()
        # The model loads when the server starts, before any page is opened.
        deadline = time.monotonic() + 120
        while "embedding model loaded" not in ui.log_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "embedding model loaded" in ui.log_text(), ui.log_text()
        yield ui.url


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


def test_staff_session_and_lockout_survive_reloads(ui_url: str) -> None:
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
