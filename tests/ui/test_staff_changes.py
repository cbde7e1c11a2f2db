"""The staff "What changed" tab shows the last refreshes with each changed page's diff."""

from __future__ import annotations

from app.changes import PageChange, RefreshRecord, record_refresh, text_diff
from app.config import Settings
from tests.ui.driver import PASSWORD, sign_in, staff_page, start_app, texts


def test_what_changed_lists_refreshes_with_diffs(ui_settings: Settings) -> None:
    diff = text_diff("Proposals are due on June 3.", "Proposals are due on July 9.")
    change = PageChange("https://example.org/dates", "Key dates", "2025-10-01", "2025-11-20", diff)
    record_refresh(
        ui_settings.paths.index_dir,
        RefreshRecord(at="2025-11-20T09:00:00Z", version="v9", checked=4, changed=[change],
                      removed=["https://example.org/old"], unchanged=2),
    )  # fmt: skip
    at = sign_in(staff_page(start_app()), PASSWORD)
    assert not at.exception
    tab = next(t for t in at.tabs if t.label == "What changed")
    (expander,) = tab.expander
    assert "1 changed" in expander.label and "1 removed" in expander.label
    assert "+Proposals are due on July 9." in tab.code[0].value
    shown = " ".join(texts(tab))
    assert "[Key dates](https://example.org/dates)" in shown and "2025\\-11\\-20" in shown
    assert "(https://example.org/old)" in shown
    assert str(ui_settings.paths.index_dir) not in shown  # no server paths
