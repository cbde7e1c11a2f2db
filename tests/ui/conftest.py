"""UI fixtures: the app's settings come from the environment, as `pilotdesk ui` passes them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from app.config import Settings, load_settings
from tests.ui.driver import PASSWORD


@pytest.fixture
def ui_settings(
    sample_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """Point the app at a copy of the sample index, a fresh database and uploads folder."""
    monkeypatch.setenv("PILOTDESK_PATHS__INDEX_DIR", str(sample_settings.paths.index_dir))
    monkeypatch.setenv("PILOTDESK_STAFF__UPLOADS_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("PILOTDESK_STAFF__PASSWORD", PASSWORD)
    # The app caches settings, assistant and store per process; each test has its own paths.
    st.cache_resource.clear()
    st.cache_data.clear()
    yield load_settings()
    st.cache_resource.clear()
    st.cache_data.clear()
