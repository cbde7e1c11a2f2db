"""A real browser on the "Plan a request" page: `pilotdesk ui` served, headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings
from tests.helpers import CHROMIUM, CHROMIUM_ARGS
from tests.ui.driver import REPO
from tests.ui.live import ui_process

pytestmark = pytest.mark.browser

TEXT = "Full fine-tune of a 13B model in bf16; we need 80 GB GPUs. 8 GPUs, 48 h per run, 5 runs."


@pytest.fixture
def ui_url(sample_settings: Settings, tmp_path: Path) -> Iterator[str]:
    """`pilotdesk ui` on a free loopback port, reading the shipped catalogue."""
    if not CHROMIUM.exists():
        pytest.skip(reason="no Chromium at /usr/bin/chromium; run `make browser` to install it")
    env = {**os.environ, "PILOTDESK_PATHS__DATA_DIR": str(REPO / "data")}
    with ui_process(sample_settings.paths.index_dir, tmp_path, env) as ui:
        ui.wait_healthy()
        yield ui.url


def test_plan_a_request_in_a_real_browser(ui_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.goto(ui_url)
            page.get_by_role("link", name="Plan a request").click()
            box = page.get_by_label("Your workload")
            box.wait_for(timeout=60_000)
            box.fill(TEXT)
            page.get_by_role("button", name="Plan").click()
            page.get_by_text("Request type: research").wait_for(timeout=60_000)
            codes = page.get_by_test_id("stCode")
            assert "8 GPUs × 48 h × 5 runs = 1920 GPU-hours" in codes.first.inner_text()
            draft = codes.last.inner_text()
            assert "[S1]" in draft and "Sources:" in draft
            assert page.get_by_test_id("stDataFrame").count() == 1
            codes.last.hover()
            assert codes.last.locator("button").count() >= 1  # the copy button
            assert "/plan" in page.url
        finally:
            browser.close()
