"""Answer notes in both warning forms, plain-words reasons, and icons that need no emoji font."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from app.ui.answer_view import abstain_reason, applicant_notes, uncovered_text
from tests.ui.driver import REPO


def test_warnings_in_the_old_string_and_the_new_object_form() -> None:
    old = ["abstained: low_retrieval_score", "backend local: connection refused", "dated note"]
    new = [
        {"code": "abstained", "message": "no passage answers the question"},
        {"code": "backend_unavailable", "message": "local is down"},
        SimpleNamespace(code="stale", message="some sources are over a year old"),
    ]
    assert applicant_notes(old) == ["dated note"]
    assert applicant_notes(new) == ["some sources are over a year old"]
    assert abstain_reason(SimpleNamespace(warnings=old)) == "low retrieval score"
    assert abstain_reason(SimpleNamespace(warnings=new)) == "no passage answers the question"
    typed = SimpleNamespace(warnings=(), abstain_reason="out_of_scope", uncovered=["GPU prices"])
    assert abstain_reason(typed) == "out of scope"
    assert uncovered_text(typed) == "The documents do not cover: GPU prices"
    assert uncovered_text(SimpleNamespace()) == "" and abstain_reason(SimpleNamespace()) == ""


def test_ui_icons_are_material_names_not_emoji() -> None:
    # An emoji icon shows as an empty box on machines without an emoji font.
    for path in (REPO / "app" / "ui").rglob("*.py"):
        for icon in re.findall(r'icon="([^"]*)"', path.read_text(encoding="utf-8")):
            assert icon.startswith(":material/"), (path.name, icon)


def test_ui_refuses_a_short_secret_before_starting(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PILOTDESK_STAFF__PASSWORD": "short", "HOME": str(tmp_path)}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "pilotdesk", "ui", "--port", "9"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "staff.password" in done.stderr and "at least 12 characters" in done.stderr
    assert "short" not in done.stderr.replace("shorter", "")  # the secret itself is not echoed
