"""A real browser: `pilotdesk ui` serves the app, headless Chromium asks through Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings
from tests.conftest import require_chromium
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, publish_screenshot
from tests.ui.driver import REPO
from tests.ui.live import ui_process

pytestmark = pytest.mark.browser

SCREENSHOT = REPO / "var" / "screenshots" / "chat.png"
XSS = "<img src=x onerror=window.__xss=1>"
FOCUSED = (
    "() => document.activeElement"
    " && document.activeElement.getAttribute('data-testid') === 'stChatInputTextArea'"
)


@pytest.fixture
def ui_url(sample_settings: Settings, tmp_path: Path) -> Iterator[str]:
    """`pilotdesk ui` on a free loopback port, against a copy of the sample index."""
    require_chromium()
    env = {**os.environ, "PILOTDESK_STAFF__UPLOADS_DIR": str(tmp_path / "uploads")}
    with ui_process(sample_settings.paths.index_dir, tmp_path, env) as ui:
        ui.wait_healthy()
        yield ui.url


# Whether the element under a point is the "New conversation" button (not something over it).
ON_TOP = """([x, y]) => {
  const hit = document.elementFromPoint(x, y);
  const button = hit && hit.closest('button');
  return !!button && button.innerText.includes('New conversation');
}"""


def test_chat_in_a_real_browser(ui_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(ui_url)
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for(timeout=60_000)
            page.wait_for_function(FOCUSED, timeout=30_000)  # ready to type on load
            box.fill("Can a community college instructor request classroom resources?")
            box.press("Enter")
            source = page.locator(
                '[data-testid="stChatMessage"] a[href^="https://nairrpilot.org/"]'
            )
            source.first.wait_for(timeout=120_000)  # the server loads the model on first use
            reply = page.get_by_test_id("stChatMessage").nth(1)
            assert "community colleges" in reply.inner_text()
            assert "Sources" in reply.inner_text()
            page.get_by_text("Passage S1", exact=False).first.wait_for()
            page.wait_for_timeout(500)  # let the feedback buttons settle for the picture
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            publish_screenshot(SCREENSHOT, "chat.png")

            box.fill(f"{XSS} Who can request NAIRR Classroom resources?")
            box.press("Enter")
            page.get_by_text(
                f"{XSS} Who can request NAIRR Classroom resources?", exact=True
            ).wait_for(timeout=60_000)
            page.get_by_test_id("stChatMessage").nth(3).get_by_text("Sources", exact=True).wait_for(
                timeout=60_000
            )
            assert page.evaluate("typeof window.__xss") == "undefined"
            assert page.locator('img[src="x"]').count() == 0

            # A short screen: the answer's first line stays in view, the box gets the focus back.
            small = browser.new_page(viewport={"width": 420, "height": 480})
            small.goto(ui_url)
            small.get_by_test_id("stChatInputTextArea").wait_for(timeout=60_000)
            small.get_by_role("button", name="Which resources offer GPUs", exact=False).click()
            reply = small.get_by_test_id("stChatMessage").nth(1)
            reply.get_by_text("Sources", exact=True).wait_for(timeout=120_000)
            small.wait_for_function(FOCUSED, timeout=30_000)
            small.wait_for_function(
                "() => { const m = document.querySelectorAll('[data-testid=stChatMessage]');"
                " return m.length > 1 && m[m.length - 1].getBoundingClientRect().top > -2; }",
                timeout=30_000,
            )
            # On a phone the sidebar is folded away: "New conversation" is on the page itself,
            # on screen and not under the sidebar's chevron.
            reset = small.get_by_test_id("stMainBlockContainer").get_by_role(
                "button", name="New conversation"
            )
            reset.scroll_into_view_if_needed()
            box = reset.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 420, box
            centre = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
            on_top = small.evaluate(ON_TOP, centre)
            assert on_top, "something covers the New conversation button"
            reset.click()
            small.get_by_text("Try one of these:").wait_for(timeout=30_000)
        finally:
            browser.close()
