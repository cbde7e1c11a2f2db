"""The widget in real headless Chromium, embedded cross-origin in a hostile host page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.store import open_store
from tests.api.conftest import QUESTION
from tests.api.server import LiveSite
from tests.helpers import publish_screenshot

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "var" / "screenshots"
XSS = "What's the best pizza in Chicago? <img src=x onerror=window.__xss=1>"
ROOT = "document.querySelector('pilotdesk-chat').shadowRoot"

STYLES = f"""() => {{
  const root = {ROOT};
  const cs = (n) => getComputedStyle(n);
  const probe = document.getElementById('probe-msg');
  const text = document.getElementById('probe-text');
  const f = document.createElement('iframe');
  document.body.append(f);
  const fresh = new Set(Object.keys(f.contentWindow));
  f.remove();
  return {{
    launcher: [cs(root.querySelector('.pd-launcher')).display,
               cs(root.querySelector('.pd-launcher')).color],
    widget: [cs(root.querySelector('.pd')).fontSize, cs(root.querySelector('.pd')).color,
             cs(root.querySelector('.pd-launcher')).fontSize],
    probe: [cs(probe).backgroundColor, cs(probe).borderTopLeftRadius, cs(text).whiteSpace,
            cs(probe).color],
    globals: Object.keys(window).filter((k) => !fresh.has(k) && isNaN(k)),
  }};
}}"""

# Record, in order, each text update of the answer bubble ("t") and the citation list ("c").
TRACE = f"""() => {{
  window.__pdTrace = [];
  new MutationObserver((records) => {{
    for (const r of records) {{
      const t = r.target;
      const bot = t.parentNode && t.parentNode.classList.contains('pd-bot');
      if (t.classList && t.classList.contains('pd-text') && bot) window.__pdTrace.push('t');
      for (const n of r.addedNodes) if (n.classList && n.classList.contains('pd-cites'))
        window.__pdTrace.push('c');
    }}
  }}).observe({ROOT}.querySelector('.pd-log'), {{childList: true, subtree: true}});
}}"""

IN_PANEL = f"""() => {{
  const root = {ROOT};
  const a = root.activeElement;
  return !!a && root.querySelector('.pd-panel').contains(a);
}}"""


def _state(page: Any, api: str) -> dict[str, Any]:
    """The widget's sessionStorage record."""
    return json.loads(page.evaluate(f"() => sessionStorage.getItem('pilotdesk:{api}')") or "null")


def _ask(page: Any, question: str, finals: int) -> None:
    """Type a question, press Enter, wait until `finals` answers have feedback buttons."""
    box = page.locator("pilotdesk-chat textarea.pd-input")
    box.fill(question)
    box.press("Enter")
    page.locator("pilotdesk-chat .pd-fb").nth(finals - 1).wait_for(timeout=60_000)


def test_widget_in_a_hostile_page(browser: Any, site: LiveSite) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{site.host}/")
    launcher = page.locator("pilotdesk-chat .pd-launcher")
    launcher.wait_for(state="visible")

    styles = page.evaluate(STYLES)
    assert styles["launcher"] == ["flex", "rgb(255, 255, 255)"]  # host CSS did not reach in
    assert styles["widget"][0] == "15px" and styles["widget"][1] != "rgb(255, 0, 0)"
    assert styles["widget"][2] != "40px"
    # ... and the widget's CSS did not reach out to host elements with the same class names.
    assert styles["probe"][:3] == ["rgba(0, 0, 0, 0)", "0px", "normal"]
    assert styles["probe"][3] == "rgb(255, 0, 0)"
    assert styles["globals"] == ["Pilotdesk"]

    launcher.click()
    dialog = page.locator("pilotdesk-chat [role=dialog]")
    dialog.wait_for(state="visible")
    assert launcher.get_attribute("aria-expanded") == "true"
    assert page.evaluate(f"() => {ROOT}.activeElement.id") == "pd-q"
    assert page.locator("pilotdesk-chat [role=log]").get_attribute("aria-live") == "polite"

    page.evaluate(TRACE)
    _ask(page, QUESTION, 1)
    trace = "".join(page.evaluate("() => window.__pdTrace"))
    assert trace.index("c") >= 5 and set(trace[:5]) == {"t"}, trace  # tokens shown as they came
    cite = page.locator("pilotdesk-chat .pd-cites a").first
    assert cite.get_attribute("href").startswith("https://")
    assert cite.get_attribute("rel") == "noopener noreferrer" and cite.inner_text()
    assert "[S1]" in page.locator("pilotdesk-chat .pd-cites li").first.inner_text()

    page.locator("pilotdesk-chat .pd-thumb[data-score='1']").click()
    page.locator("pilotdesk-chat .pd-fb-status", has_text="Thanks").wait_for()
    answer = _state(page, site.api.url)["messages"][-1]
    store = open_store(site.api.db_path)
    assert store.feedback_rows(answer["id"]) == [(1, "")]
    assert {r.channel for r in store.log() if r.id == answer["id"]} == {"widget"}

    _ask(page, XSS, 2)
    user = page.locator("pilotdesk-chat .pd-user .pd-text").last
    assert user.inner_text() == XSS
    assert page.evaluate(f"() => {ROOT}.querySelectorAll('img').length") == 0
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    last = page.locator("pilotdesk-chat .pd-bot").last
    assert "pd-abstained" in (last.get_attribute("class") or "")
    assert "Not in the documents" in last.inner_text()
    # Office hours share the site's address by default: one honest link, named as the site.
    official = last.locator("a", has_text="Check the official NAIRR Pilot site")
    assert official.get_attribute("href") == "https://nairrpilot.org/"
    panel = page.locator("pilotdesk-chat .pd-panel")
    assert panel.locator("a", has_text="office hours").count() == 0

    for _ in range(12):  # the focus trap keeps Tab inside the open dialog
        page.keyboard.press("Tab")
        assert page.evaluate(IN_PANEL)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(IN_PANEL)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate(f"() => {ROOT}.activeElement.className") == "pd-launcher"
    assert launcher.get_attribute("aria-expanded") == "false"

    # The conversation survives a reload of the tab; "Start over" forgets it.
    cid = _state(page, site.api.url)["conversationId"]
    page.reload()
    page.locator("pilotdesk-chat .pd-launcher").click()
    assert page.locator("pilotdesk-chat .pd-msg").count() == 4
    assert page.locator("pilotdesk-chat .pd-thumb[aria-pressed=true]").count() == 1
    _ask(page, "How often are progress reports due?", 3)
    assert _state(page, site.api.url)["conversationId"] == cid
    page.locator("pilotdesk-chat .pd-reset").click()
    assert page.locator("pilotdesk-chat .pd-msg").count() == 0
    assert _state(page, site.api.url) is None
    assert not problems, problems
    page.close()


def test_inline_mode_and_theming(browser: Any, site: LiveSite) -> None:
    page = browser.new_page(viewport={"width": 900, "height": 800})
    page.goto(f"{site.host}/inline")
    region = page.locator("#chat-here pilotdesk-chat [role=region]")
    region.wait_for(state="visible")
    assert page.locator("pilotdesk-chat .pd-launcher").count() == 0
    assert page.locator("pilotdesk-chat .pd-title").inner_text() == "Ask NAIRR"
    head = page.evaluate(
        f"() => getComputedStyle({ROOT}.querySelector('.pd-head')).backgroundColor"
    )
    assert head == "rgb(122, 31, 92)"
    _ask(page, QUESTION, 1)
    assert page.locator("pilotdesk-chat .pd-cites a").count() >= 1
    page.close()


def test_screenshots_desktop_and_phone(browser: Any, site: LiveSite) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("desktop", (1280, 800)), ("phone", (375, 740))):
        context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        page = context.new_page()
        page.goto(f"{site.host}/demo")
        page.locator("pilotdesk-chat .pd-launcher").click()
        _ask(page, QUESTION, 1)
        panel = page.locator("pilotdesk-chat .pd-panel").bounding_box()
        assert panel is not None and panel["x"] >= 0 and panel["x"] + panel["width"] <= size[0]
        if name == "phone":  # the panel takes the whole phone screen, with no sideways scroll
            assert panel["width"] == 375
            scroll = page.evaluate(f"() => {ROOT}.querySelector('.pd-log').scrollWidth")
            assert scroll <= 375
        page.screenshot(path=str(SHOTS / f"widget-{name}.png"))
        context.close()
    publish_screenshot(SHOTS / "widget-desktop.png", "widget.png")
