"""The one scrubber: any characters, JSON-escaped forms, and too-short secrets refused."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from app.config import Settings
from app.errors import ConfigError
from app.scrub import MIN_SECRET_LEN, Scrubber


@pytest.mark.parametrize(
    "secret",
    ['pa"ss\\word-with-quotes', "ünïcødé-sécret-ß✓", "tab\there-and\nnewline!"],
    ids=["quote-backslash", "non-ascii", "control-chars"],
)
def test_secrets_with_any_characters_are_scrubbed_plain_and_json_escaped(
    sample_settings: Settings, secret: str
) -> None:
    sample_settings.staff.password = SecretStr(secret)
    scrub = Scrubber(sample_settings)
    payload = {"answer": f"the password is {secret}", "nested": [secret]}
    for ensure_ascii in (False, True):
        sent = json.dumps(payload, ensure_ascii=ensure_ascii)
        assert scrub.text(sent).count("[redacted]") == 2, sent
    assert secret not in scrub.json(payload) and "[redacted]" in scrub.json(payload)
    assert scrub.text(f"plain {secret} text") == "plain [redacted] text"


def test_a_short_secret_is_refused_at_start_up_naming_the_setting(
    sample_settings: Settings,
) -> None:
    sample_settings.api.bearer_token = SecretStr("x" * (MIN_SECRET_LEN - 1))
    with pytest.raises(ConfigError, match=r"api\.bearer_token .* at least 12 characters"):
        Scrubber(sample_settings)
    sample_settings.api.bearer_token = SecretStr("x" * MIN_SECRET_LEN)
    assert Scrubber(sample_settings).text("x" * MIN_SECRET_LEN) == "[redacted]"


def test_server_paths_become_labels(sample_settings: Settings) -> None:
    scrub = Scrubber(sample_settings)
    index = sample_settings.paths.index_dir
    uploads = sample_settings.staff.uploads_dir.resolve()
    out = scrub.text(f"no index at {index.resolve()}; upload {uploads}/notes.md")
    assert str(index.resolve()) not in out and str(uploads) not in out
    assert "<index dir>" in out and "uploads/notes.md" in out
