"""Settings: defaults, pilotdesk.toml, environment variables, profiles merged, keys as secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import load_settings
from app.errors import ConfigError


def test_toml_and_env_layer_over_builtin_profiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = tmp_path / "pilotdesk.toml"
    toml.write_text(
        '[retrieval]\nk = 7\n\n[backend]\ndefault = "vllm"\n\n'
        '[backend.profiles.vllm]\nmodel = "my-model"\n\n'
        '[backend.profiles.campus]\nbase_url = "http://gpu.example.edu/v1"\nmodel = "m"\n'
    )
    monkeypatch.setenv("PILOTDESK_RETRIEVAL__MODE", "dense")
    s = load_settings(toml)
    assert s.retrieval.k == 7 and s.retrieval.mode == "dense"
    vllm = s.profile()
    assert vllm.model == "my-model" and vllm.base_url == "http://127.0.0.1:8000/v1"  # merged
    assert s.profile("campus").kind == "openai"
    assert {"extractive", "local", "jetstream2", "ollama", "openai", "sambanova"} <= set(
        s.backend.profiles
    )
    with pytest.raises(ConfigError, match="unknown backend 'nope'; choose one of"):
        s.profile("nope")


def test_standard_openai_variables_and_secret_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://proxy.example/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value")
    s = load_settings()
    prof = s.profile("openai")
    assert prof.base_url == "http://proxy.example/v1"
    key = s.api_key(prof)
    assert key is not None and key.get_secret_value() == "sk-secret-value"
    assert "sk-secret-value" not in repr(key) and "sk-secret-value" not in s.model_dump_json()


def test_every_setting_has_a_description() -> None:
    s = load_settings()
    missing = []
    for section_name, section in type(s).model_fields.items():
        assert section.description, section_name
        sub = getattr(s, section_name)
        for name, field in getattr(type(sub), "model_fields", {}).items():
            if not field.description:
                missing.append(f"{section_name}.{name}")
    assert missing == []
