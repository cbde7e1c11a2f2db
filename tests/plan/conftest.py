"""Shared fixture for the planner tests: settings that read the shipped data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings, load_settings

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def settings() -> Settings:
    """Default settings reading the shipped data folder and catalogue (citations from files)."""
    s = load_settings()
    s.paths.data_dir = DATA
    return s
