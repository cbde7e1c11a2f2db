"""Settings: the one place that reads the environment and pilotdesk.toml."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from app.config_check import explain, read_toml, unknown_key
from app.config_sections import (
    DEFAULT_EXAMPLES,
    DEFAULT_PROFILES,
    ApiSettings,
    BackendProfile,
    BackendSettings,
    ChunkingSettings,
    DeprecatedSetting,
    EmbeddingSettings,
    IngestSettings,
    PathsSettings,
    RetrievalSettings,
    Section,
    StaffSettings,
    TablesSettings,
    UiSettings,
)
from app.errors import ConfigError

# The sections live in app/config_sections.py; they are importable from here as before.
__all__ = [
    "DEFAULT_EXAMPLES",
    "DEFAULT_PROFILES",
    "ApiSettings",
    "BackendProfile",
    "BackendSettings",
    "ChunkingSettings",
    "DeprecatedSetting",
    "EmbeddingSettings",
    "IngestSettings",
    "PathsSettings",
    "RetrievalSettings",
    "Section",
    "Settings",
    "StaffSettings",
    "TablesSettings",
    "UiSettings",
    "load_settings",
]

_TOML_PATH: Path = Path("pilotdesk.toml")


class Settings(BaseSettings):
    """All pilotdesk settings: defaults < pilotdesk.toml < .env < environment < arguments."""

    model_config = SettingsConfigDict(
        env_prefix="PILOTDESK_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    paths: PathsSettings = Field(default_factory=PathsSettings, description="File locations.")
    embedding: EmbeddingSettings = Field(
        default_factory=EmbeddingSettings, description="Embedding model."
    )
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings, description="Chunking.")
    retrieval: RetrievalSettings = Field(
        default_factory=RetrievalSettings, description="Retrieval and abstention."
    )
    ingest: IngestSettings = Field(default_factory=IngestSettings, description="Ingest limits.")
    backend: BackendSettings = Field(default_factory=BackendSettings, description="Backends.")
    api: ApiSettings = Field(default_factory=ApiSettings, description="HTTP API.")
    staff: StaffSettings = Field(default_factory=StaffSettings, description="Staff view.")
    ui: UiSettings = Field(default_factory=UiSettings, description="Chat UI.")
    tables: TablesSettings = Field(
        default_factory=TablesSettings, description="Table questions answered from the table."
    )
    database_url: str = Field(
        "",
        description="Shared database for conversations and feedback when several replicas "
        "serve (PILOTDESK_DATABASE_URL), e.g. postgresql://USER:PASSWORD@HOST:5432/pilotdesk; "
        "empty means the SQLite file paths.db_path.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Add pilotdesk.toml below the environment."""
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_TOML_PATH)
        return (init_settings, env_settings, dotenv_settings, toml, file_secret_settings)

    def profile(self, name: str | None = None) -> BackendProfile:
        """Return a backend profile by name, with OPENAI_BASE_URL honoured for `openai`."""
        key = name or self.backend.default
        try:
            prof = self.backend.profiles[key]
        except KeyError as exc:
            known = ", ".join(sorted(self.backend.profiles))
            raise ConfigError(
                f"unknown backend {key!r}; choose one of: {known} "
                "(or add [backend.profiles.NAME] to pilotdesk.toml)"
            ) from exc
        if key == "openai" and os.environ.get("OPENAI_BASE_URL"):
            prof = prof.model_copy(update={"base_url": os.environ["OPENAI_BASE_URL"]})
        return prof

    def api_key(self, profile: BackendProfile) -> SecretStr | None:
        """Read a profile's key from the environment variable it names."""
        if not profile.api_key_env:
            return None
        value = os.environ.get(profile.api_key_env, "")
        return SecretStr(value) if value else None


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Read settings once: the given TOML file (or PILOTDESK_CONFIG, or ./pilotdesk.toml)."""
    global _TOML_PATH
    _TOML_PATH = config or Path(os.environ.get("PILOTDESK_CONFIG", "pilotdesk.toml"))
    toml = read_toml(_TOML_PATH)
    # The root ignores unknown names (so .env may hold JETSTREAM2_API_KEY and the like);
    # a TOML file holds settings only, so an unknown top-level key there is a typo.
    for key in toml:
        if key not in Settings.model_fields:
            raise ConfigError(unknown_key(Settings, (key,), f"in {_TOML_PATH}"))
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(explain(exc, Settings, toml, _TOML_PATH)) from None
