"""POST /v1/plan over the real app: the plan schema, overrides, and errors as {error, hint}."""

from __future__ import annotations

from pathlib import Path

from app.config import Settings
from tests.api.conftest import MakeClient

DATA = Path(__file__).resolve().parents[2] / "data"


def test_plan_endpoint_returns_a_cited_plan(
    sample_settings: Settings, make_client: MakeClient
) -> None:
    sample_settings.paths.data_dir = DATA
    client = make_client()
    text = "Course for 40 students, 3 hours per week, 15 weeks, GPU notebooks"
    r = client.post("/v1/plan", json={"workload": text})
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["request_type"] == "classroom"
    assert plan["estimate"]["steps"][0] == (
        "40 students × 3 h per week × 15 weeks = 1800 student-hours"
    )
    assert plan["draft"] and all(c["chunk_id"] for c in plan["citations"])
    for c in plan["citations"]:  # named relative to the data folder: no server paths
        assert not c["source"].startswith("/") and (DATA / c["source"]).is_file()

    edited = client.post(
        "/v1/plan", json={"workload": text, "overrides": {"students": 10, "weeks": 2}}
    ).json()
    assert edited["estimate"]["steps"][0].startswith("10 students × 3 h per week × 2 weeks")

    bad = client.post("/v1/plan", json={"workload": text, "overrides": {"students": -1}})
    assert bad.status_code == 400 and "students" in bad.json()["error"]
    empty = client.post("/v1/plan", json={"workload": ""})
    assert empty.status_code == 422 and set(empty.json()) == {"error", "hint"}
    assert "/v1/plan" in client.get("/openapi.json").json()["paths"]
