"""Settings: defaults, pilotdesk.toml, environment variables, profiles merged, keys as secrets."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from app.config import DeprecatedSetting, load_settings
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


def test_a_typo_in_the_toml_names_the_key_the_file_and_the_closest_key(tmp_path: Path) -> None:
    toml = tmp_path / "pilotdesk.toml"
    toml.write_text("[retrieval]\nkk = 8\n")
    with pytest.raises(ConfigError) as err:
        load_settings(toml)
    assert str(err.value) == f"unknown setting retrieval.kk in {toml}; did you mean 'k'?"
    toml.write_text('[retreival]\nk = 8\n[backend.profiles.campus]\nmodle = "m"\n')
    with pytest.raises(ConfigError, match=r"unknown setting retreival in .*'retrieval'\?"):
        load_settings(toml)
    toml.write_text('[backend.profiles.campus]\nmodle = "m"\n')
    with pytest.raises(ConfigError, match=r"backend\.profiles\.campus\.modle in .*'model'\?"):
        load_settings(toml)


def test_setting_variables_are_checked_but_other_variables_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # .env is read from the working directory
    (tmp_path / ".env").write_text("JETSTREAM2_API_KEY=from-dotenv\nPILOTDESK_RETRIEVAL__K=9\n")
    monkeypatch.setenv("SAMBANOVA_API_KEY", "from-env")
    s = load_settings()
    assert s.retrieval.k == 9
    monkeypatch.setenv("PILOTDESK_RETRIEVAL__TOPK", "3")
    with pytest.raises(ConfigError, match=r"retrieval\.topk in the environment variable"):
        load_settings()


def test_deprecated_keys_are_read_with_a_warning(tmp_path: Path) -> None:
    toml = tmp_path / "pilotdesk.toml"
    toml.write_text("[retrieval]\nmin_relevance = 0.2\nlookalike_relevance = 0.7\n")
    with pytest.warns(DeprecatedSetting) as caught:
        s = load_settings(toml)
    assert s.retrieval.min_relevance == 0.2 and s.retrieval.lookalike_relevance == 0.7
    assert sorted(str(w.message).split()[1] for w in caught) == [
        "lookalike_relevance",
        "min_relevance",
    ]


def test_the_example_config_loads_without_errors_or_warnings() -> None:
    example = Path(__file__).resolve().parents[2] / "pilotdesk.example.toml"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = load_settings(example)
    assert s.profile("vllm").model == "meta-llama/Llama-3.1-8B-Instruct"
