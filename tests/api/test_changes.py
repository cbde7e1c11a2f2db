"""GET /v1/changes: the refresh record with diffs, only for bearer-token clients."""

from __future__ import annotations

from pydantic import SecretStr

from app.changes import PageChange, RefreshRecord, record_refresh, text_diff
from app.config import Settings
from tests.api.conftest import MakeClient


def test_changes_need_the_bearer_token_and_list_newest_first(
    make_client: MakeClient, sample_settings: Settings
) -> None:
    root = sample_settings.paths.index_dir
    diff = text_diff("Proposals are due on June 3.", "Proposals are due on July 9.")
    record_refresh(root, RefreshRecord(at="2025-11-01T00:00:00Z", checked=3, unchanged=3))
    record_refresh(
        root,
        RefreshRecord(
            at="2025-11-20T09:00:00Z",
            version="v2",
            checked=3,
            changed=[PageChange("https://ex.org/a", "Dates", "2025-10-01", "2025-11-20", diff)],
            unchanged=2,
            failed=[{"url": "https://ex.org/b", "reason": "HTTP 500 from https://ex.org/b"}],
        ),
    )
    client = make_client(bearer_token=SecretStr("staff-token-0123456789"))

    assert client.get("/v1/changes").status_code == 401
    assert client.get("/v1/changes", headers={"Authorization": "Bearer nope"}).status_code == 401
    ok = client.get("/v1/changes", headers={"Authorization": "Bearer staff-token-0123456789"})
    assert ok.status_code == 200
    first, second = ok.json()["refreshes"]
    assert first["at"] == "2025-11-20T09:00:00Z" and second["changed"] == []
    (change,) = first["changed"]
    assert change["url"] == "https://ex.org/a" and change["new_as_of"] == "2025-11-20"
    assert "-Proposals are due on June 3." in change["diff"]
    assert "+Proposals are due on July 9." in change["diff"]
    assert first["failed"] == [
        {"url": "https://ex.org/b", "reason": "HTTP 500 from https://ex.org/b"}
    ]
    assert "/v1/changes" in client.get("/openapi.json").json()["paths"]
