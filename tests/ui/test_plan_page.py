"""The "Plan a request" page and the staff "attach a plan" hook, driven by AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app.config import Settings
from tests.ui.driver import PASSWORD, REPO, button, sign_in, staff_page, start_app

TEXT = "Full fine-tune of a 13B model in bf16; we need 80 GB GPUs. 8 GPUs, 48 h per run, 5 runs."


@pytest.fixture
def plan_settings(ui_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """UI settings that read the shipped catalogue."""
    monkeypatch.setenv("PILOTDESK_PATHS__DATA_DIR", str(REPO / "data"))
    return ui_settings


def _plan(at: AppTest, text: str) -> AppTest:
    """Type a workload and press Plan."""
    next(t for t in at.text_area if t.label == "Your workload").input(text)
    return button(at, "Plan").click().run()


def test_plan_page_shows_fits_arithmetic_and_a_cited_draft(plan_settings: Settings) -> None:
    at = start_app().switch_page("views/plan.py").run()
    assert not at.exception and at.title[0].value == "Plan a request"
    _plan(at, TEXT)
    assert not at.exception
    assert at.subheader[0].value == "Request type: research"
    table = at.dataframe[0].value
    fits = dict(zip(table["Resource"], table["Fit"], strict=True))
    assert fits["NCSA DeltaAI"] == "good" and fits["Purdue Anvil AI"] == "good"
    assert fits["Purdue Anvil GPU"] == "no" and fits["TACC Vista"] == "possible (unverified)"
    arithmetic, draft = at.code[0].value, at.code[-1].value
    assert "8 GPUs × 48 h × 5 runs = 1920 GPU-hours" in arithmetic
    assert "[S1]" in draft and "Sources:" in draft and "https://" in draft

    gpus = next(n for n in at.number_input if n.label == "GPUs per run")
    assert gpus.value == 8
    gpus.set_value(4)
    button(at, "Re-plan with these fields").click().run()
    assert not at.exception
    assert "4 GPUs × 48 h × 5 runs = 960 GPU-hours" in at.code[0].value


def test_missing_information_is_asked_for_on_the_page(plan_settings: Settings) -> None:
    at = AppTest.from_file(str(REPO / "app" / "ui" / "views" / "plan.py"), default_timeout=60)
    _plan(at.run(), "We want to train a model.")
    assert not at.exception
    assert "How large is the model" in at.warning[0].value
    assert any("Not enough information" in i.value for i in at.info)


def test_staff_can_attach_a_plan_to_a_reply_draft(plan_settings: Settings) -> None:
    at = sign_in(staff_page(start_app()), PASSWORD)
    tab = next(t for t in at.tabs if t.label == "Draft a reply")
    next(t for t in tab.text_area if t.label == "Applicant's workload").input(
        "A course: 30 students, 2 hours per week for 10 weeks"
    )
    next(b for b in tab.button if b.label == "Attach plan").click()
    at.run()
    assert not at.exception
    code = next(t for t in at.tabs if t.label == "Draft a reply").code[-1].value
    assert "Resource plan:" in code and "classroom (education) request" in code
    assert "[S1]" in code
