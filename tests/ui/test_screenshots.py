"""README screenshots: made by the browser tests, copied into docs/ only when asked."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import clear_settings_env
from tests.helpers import publish_screenshot
from tests.ui.driver import REPO
from tests.ui.test_browser import SCREENSHOT
from tests.widget.test_widget import SHOTS


def test_screenshots_reach_docs_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n a picture")
    docs = tmp_path / "docs"
    for unset in (None, "0", "true"):  # only the exact "1" asks
        if unset is None:
            monkeypatch.delenv("PILOTDESK_SCREENSHOTS", raising=False)
        else:
            monkeypatch.setenv("PILOTDESK_SCREENSHOTS", unset)
        assert publish_screenshot(shot, "chat.png", docs) is None
        assert not docs.exists()
    monkeypatch.setenv("PILOTDESK_SCREENSHOTS", "1")
    assert publish_screenshot(shot, "chat.png", docs) == docs / "chat.png"
    assert (docs / "chat.png").read_bytes() == shot.read_bytes()


def test_the_switch_survives_each_tests_clean_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PILOTDESK_SCREENSHOTS", "1")
    monkeypatch.setenv("PILOTDESK_STAFF__PASSWORD", "a setting, not a switch")
    with pytest.MonkeyPatch.context() as isolated:
        clear_settings_env(isolated)  # what every test's autouse fixture does
        assert "PILOTDESK_STAFF__PASSWORD" not in os.environ
        assert os.environ.get("PILOTDESK_SCREENSHOTS") == "1"


def test_what_a_normal_run_writes_is_ignored_by_git() -> None:
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        pytest.skip(reason="not a git checkout")
    # The browser tests' own pictures (and the rest of var/) never show in `git status`.
    written = [SCREENSHOT, SHOTS / "widget-desktop.png", SHOTS / "widget-phone.png"]
    for path in written:
        rel = path.relative_to(REPO)
        ignored = subprocess.run([git, "-C", str(REPO), "check-ignore", "-q", str(rel)])
        assert ignored.returncode == 0, f"{rel} would show in git status"
    # ... while the README's copies in docs/ are tracked files, replaced only on request.
    tracked = subprocess.run(
        [git, "-C", str(REPO), "ls-files", "docs/chat.png", "docs/widget.png"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert tracked.stdout.split() == ["docs/chat.png", "docs/widget.png"]
