"""PILOTDESK_DATABASE_URL picks the database; bad URLs fail with the setting to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import load_settings
from app.errors import ConfigError
from app.store import Store, open_store
from childproc import free_port
from tests.postgres import fresh_database


def test_the_environment_variable_moves_the_store_to_postgresql(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = fresh_database(request)
    assert url.startswith("postgresql://")  # the plain form operators write
    monkeypatch.setenv("PILOTDESK_DATABASE_URL", url)
    settings = load_settings()
    assert settings.database_url == url
    store = open_store(settings.paths.db_path, settings.database_url)
    assert store.dialect.name == "postgresql" and store.engine.dialect.driver == "psycopg"
    store.ensure_conversation("via-env")
    assert not settings.paths.db_path.exists()  # nothing went to the SQLite file
    assert Store(url).counts()["conversations"] == 1


def test_without_it_the_store_is_the_sqlite_file() -> None:
    settings = load_settings()
    store = open_store(settings.paths.db_path, settings.database_url)
    assert store.dialect.name == "sqlite" and settings.paths.db_path.exists()


def test_an_unreachable_server_names_the_setting_and_hides_the_password() -> None:
    url = f"postgresql://pilotdesk:s3cret-pw@127.0.0.1:{free_port()}/pilotdesk"
    with pytest.raises(ConfigError, match="PILOTDESK_DATABASE_URL") as info:
        Store(url)
    assert "s3cret-pw" not in str(info.value) and "***" in str(info.value)


def test_other_databases_are_refused_with_the_fix() -> None:
    with pytest.raises(ConfigError, match="postgresql://USER:PASSWORD@HOST"):
        Store("mysql://u:p@127.0.0.1/db")
