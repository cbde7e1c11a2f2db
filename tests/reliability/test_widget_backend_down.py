"""The widget, cross-origin in real Chromium, while the answer model is down or too slow."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import QUESTION
from tests.conftest import require_chromium
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, reply, serve
from tests.openai_fault_server import FaultServer, fault_server
from tests.reliability.live import api_server

pytestmark = pytest.mark.browser

# Per fault mode: the profile fields that bound how long the answer layer waits. "slow" runs
# first, so the fault server's late reply to a client that gave up lands in a test's capture.
MODES = {
    "slow": "timeout_s = 1\nmax_retries = 0\n",
    "down500": "max_retries = 1\n",
}
NOTICE = "The answer model is unavailable right now"
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Host</title></head><body>
<h1>Program site</h1>
<script src="{api}/widget.js" data-pilotdesk-url="{api}" defer></script>
</body></html>"""
# Text a failure must never put in front of an applicant.
INTERNALS = ("Traceback", 'File "', "Error(", "openai.", "[backend]", "retries", "timed out")


@pytest.fixture(scope="module")
def fault() -> Iterator[FaultServer]:
    """The OpenAI-protocol fault-injection server, shared by both cases."""
    require_chromium()
    with fault_server() as server:
        yield server


@pytest.fixture(scope="module")
def host() -> Iterator[tuple[str, dict[str, Any]]]:
    """The host site (another loopback origin) and its routes, filled in per case."""
    routes: dict[str, Any] = {"/favicon.ico": reply(b"", "image/x-icon")}
    with serve(routes) as base:
        yield base, routes


@pytest.fixture(scope="module")
def browser(fault: FaultServer) -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _toml(host: str, base_url: str, fields: str) -> str:
    """Settings: the widget's host origin allowed, the failing profile as the default backend."""
    return (
        f'[api]\nallowed_origins = ["{host}"]\n'
        '[backend]\ndefault = "failing"\n'
        f'[backend.profiles.failing]\nkind = "openai"\nbase_url = "{base_url}"\nmodel = "fault"\n'
        + fields
    )


@pytest.mark.parametrize("mode", list(MODES))
def test_widget_says_the_model_is_unavailable_and_still_cites(
    mode: str,
    fault: FaultServer,
    host: tuple[str, dict[str, Any]],
    browser: Any,
    sample_index: Path,
    tmp_path: Path,
) -> None:
    base, routes = host
    shutil.copytree(sample_index, tmp_path / "index")
    toml = _toml(base, fault.url(mode), MODES[mode])
    with api_server(tmp_path / "index", tmp_path / "work", toml) as api:
        routes[f"/{mode}"] = reply(PAGE.format(api=api.url).encode(), "text/html; charset=utf-8")
        page = browser.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{base}/{mode}")
        page.locator("pilotdesk-chat .pd-launcher").click()
        box = page.locator("pilotdesk-chat textarea.pd-input")
        box.fill(QUESTION)
        box.press("Enter")
        # The bound: an answer or an error within 60 s, or the request hung.
        page.locator("pilotdesk-chat .pd-fb, pilotdesk-chat .pd-error").first.wait_for(
            timeout=60_000
        )
        assert page.locator("pilotdesk-chat .pd-error").count() == 0, page.content()
        bot = page.locator("pilotdesk-chat .pd-bot").last
        assert NOTICE in bot.inner_text()
        assert bot.get_attribute("aria-busy") is None
        assert page.locator("pilotdesk-chat .pd-send").is_enabled()

        cite = bot.locator(".pd-cites li").first
        assert (cite.locator("a").get_attribute("href") or "").startswith("https://")
        assert cite.locator(".pd-loc").inner_text().strip(" —")  # "p. 2", "§ Eligibility", …

        text = page.locator("pilotdesk-chat .pd-panel").inner_text()
        port = fault.base.rsplit(":", 1)[1]
        for needle in (*INTERNALS, fault.base, f":{port}", f"/{mode}/v1"):
            assert needle not in text, (needle, text)
        assert fault.hits[mode] >= 1  # the model really was asked, and failed
        assert not problems, problems
        page.close()
