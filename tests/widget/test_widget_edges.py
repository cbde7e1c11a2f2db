"""The widget on a refused origin, example questions, comments on a 👎, changed votes, the
official-site link and over-long questions."""

from __future__ import annotations

from typing import Any

import pytest

from app.store import open_store
from tests.api.server import LiveSite

pytestmark = pytest.mark.browser

ROOT = "document.querySelector('pilotdesk-chat').shadowRoot"


def test_a_refused_origin_tells_the_visitor_and_the_site_owner(
    browser: Any, site: LiveSite
) -> None:
    # Same page, other origin: "localhost" is not in api.allowed_origins, 127.0.0.1 is.
    other = site.host.replace("127.0.0.1", "localhost")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(f"{other}/demo")
    page.locator("pilotdesk-chat .pd-launcher").click()
    notice = page.locator("pilotdesk-chat .pd-unavailable")
    notice.wait_for(timeout=30_000)
    assert notice.inner_text() == "The assistant is not available on this page."
    assert page.locator("pilotdesk-chat textarea.pd-input").is_disabled()
    assert any("api.allowed_origins" in w and "localhost" in w for w in warnings), warnings
    assert "check your connection" not in page.locator("pilotdesk-chat .pd-panel").inner_text()
    # The server logged the refused origin once, however often it was asked.
    page.reload()
    page.locator("pilotdesk-chat .pd-launcher").click()
    notice.wait_for(timeout=30_000)
    log = site.api.log.read_text(errors="replace")
    assert log.count(f"refused browser origin '{other}'") == 1, log[-2000:]
    page.close()


def test_examples_comment_on_thumbs_down_and_changing_a_vote(browser: Any, site: LiveSite) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{site.host}/demo")
    page.locator("pilotdesk-chat .pd-launcher").click()
    examples = page.locator("pilotdesk-chat .pd-example")
    examples.first.wait_for(timeout=30_000)
    assert examples.count() >= 3
    asked = examples.first.inner_text()
    examples.first.click()
    page.locator("pilotdesk-chat .pd-fb").first.wait_for(timeout=60_000)
    assert page.locator("pilotdesk-chat .pd-user .pd-text").first.inner_text() == asked

    page.locator("pilotdesk-chat .pd-thumb[data-score='-1']").click()
    box = page.locator("pilotdesk-chat .pd-comment-input")
    box.wait_for(state="visible")
    box.fill("It should say who to contact.")
    page.locator("pilotdesk-chat .pd-comment-send").click()
    page.locator("pilotdesk-chat .pd-fb-status", has_text="comment was sent").wait_for()
    page.locator("pilotdesk-chat .pd-thumb[data-score='1']").click()
    page.locator("pilotdesk-chat .pd-fb-status", has_text="Feedback changed").wait_for()
    assert (
        page.locator("pilotdesk-chat .pd-thumb[aria-pressed=true]").get_attribute("data-score")
        == "1"
    )
    answer_id = page.evaluate(
        f"() => JSON.parse(sessionStorage.getItem('pilotdesk:{site.api.url}')).messages[1].id"
    )
    rows = open_store(site.api.db_path).feedback_rows(answer_id)
    assert rows == [(-1, ""), (-1, "It should say who to contact."), (1, "")]

    size = page.evaluate(
        f"() => {{ const r = {ROOT}.querySelector('.pd-close').getBoundingClientRect();"
        " return [r.width, r.height]; }"
    )
    assert size[0] >= 44 and size[1] >= 44, size
    page.close()


def test_office_hours_are_linked_only_when_they_are_not_the_site(
    browser: Any, site: LiveSite
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{site.host}/demo")  # the server's defaults: office hours are the site
    page.locator("pilotdesk-chat .pd-launcher").click()
    page.locator("pilotdesk-chat .pd-example").first.wait_for(timeout=30_000)  # config read
    foot = page.locator("pilotdesk-chat .pd-foot")
    assert foot.inner_text() == "Not covered? Check the official NAIRR Pilot site."
    assert foot.locator("a").get_attribute("href") == "https://nairrpilot.org/"
    page.goto(f"{site.host}/office")  # this page names its own office-hours page
    page.locator("pilotdesk-chat .pd-launcher").click()
    page.locator("pilotdesk-chat .pd-example").first.wait_for(timeout=30_000)
    assert foot.inner_text() == "Not covered? Ask at the NAIRR Pilot office hours."
    assert foot.locator("a").get_attribute("href") == "https://example.org/office-hours"
    page.close()


def test_an_over_long_question_is_explained_and_can_be_shortened(
    browser: Any, site: LiveSite
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{site.host}/demo")
    page.locator("pilotdesk-chat .pd-launcher").click()
    page.locator("pilotdesk-chat .pd-example").first.wait_for(timeout=30_000)  # config read
    box = page.locator("pilotdesk-chat textarea.pd-input")
    long = "How long does a startup project last? " + "x" * 1200
    box.fill(long)  # as a paste would: the browser used to cut it at 1000 without a word
    note = page.locator("pilotdesk-chat .pd-too-long")
    note.wait_for(state="visible")
    assert f"{len(long):,} characters long" in note.inner_text()
    assert "up to 1,000" in note.inner_text()
    box.press("Enter")
    assert box.input_value() == long  # not sent, and nothing cut
    assert page.locator("pilotdesk-chat .pd-user").count() == 0
    page.locator("pilotdesk-chat .pd-keep").click()
    assert box.input_value() == long[:1000]
    note.wait_for(state="hidden")
    box.press("Enter")
    page.locator("pilotdesk-chat .pd-fb").first.wait_for(timeout=60_000)
    assert page.locator("pilotdesk-chat .pd-user .pd-text").first.inner_text() == long[:1000]
    page.close()
