"""One scrubber for everything that leaves the server (API responses and the Streamlit UI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.config import Settings
from app.errors import ConfigError

# Replacing a short string everywhere would mangle answers ("pass" inside "passage"), and a
# short secret is guessable anyway: such secrets are refused at start-up instead.
MIN_SECRET_LEN = 12
# Paths are labels, not secrets; a path this short ("data") is a common word in answers.
_MIN_PATH_LEN = 6


def _escaped_forms(value: str) -> set[str]:
    """The value as written plainly and as it appears inside JSON (ASCII-escaped or not)."""
    forms = {value}
    for ascii_only in (False, True):
        forms.add(json.dumps(value, ensure_ascii=ascii_only)[1:-1])
    return {f for f in forms if f}


def check_secret_lengths(settings: Settings) -> None:
    """Refuse configured secrets too short to scrub safely, naming the setting to change."""
    named = {
        "staff.password (PILOTDESK_STAFF__PASSWORD)": settings.staff.password,
        "api.bearer_token (PILOTDESK_API__BEARER_TOKEN)": settings.api.bearer_token,
    }
    for name, prof in settings.backend.profiles.items():
        if not prof.offline:
            env = prof.api_key_env or "the API key variable"
            named[f"the API key of backend profile {name!r} ({env})"] = settings.api_key(
                settings.profile(name)
            )
    for what, secret in named.items():
        if secret is None:
            continue
        value = secret.get_secret_value()
        if value and len(value) < MIN_SECRET_LEN:
            raise ConfigError(
                f"{what} is {len(value)} characters long; secrets must be at least "
                f"{MIN_SECRET_LEN} characters so they can be kept out of every response; "
                "set a longer one (for example: python -c 'import secrets; "
                "print(secrets.token_urlsafe(24))')"
            )


class Scrubber:
    """Removes secrets, backend URLs and server paths from anything sent to a client."""

    def __init__(self, settings: Settings) -> None:
        """Collect every value that must never leave the server; refuse too-short secrets."""
        check_secret_lengths(settings)
        values: dict[str, str] = {}
        secrets: list[str] = []
        for name, prof in settings.backend.profiles.items():
            if not prof.offline:
                key = settings.api_key(settings.profile(name))
                if key is not None:
                    secrets.append(key.get_secret_value())
                for url in (prof.base_url, settings.profile(name).base_url):
                    if len(url.rstrip("/")) >= _MIN_PATH_LEN:
                        values[url.rstrip("/")] = "[backend]"
        for secret in (settings.staff.password, settings.api.bearer_token):
            if secret is not None:
                secrets.append(secret.get_secret_value())
        for value in secrets:
            for form in _escaped_forms(value):
                values[form] = "[redacted]"
        for path, label in (
            (settings.paths.index_dir, "<index dir>"),
            (settings.paths.db_path, "<db path>"),
            (settings.staff.uploads_dir, "uploads"),
        ):
            for text in _path_forms(path):
                if len(text) >= _MIN_PATH_LEN:
                    values.setdefault(text, label)
        # Longest first, so a URL is replaced before a key that happens to be inside it.
        self._pairs = sorted(values.items(), key=lambda kv: -len(kv[0]))

    def text(self, value: str) -> str:
        """Scrub one string."""
        for secret, label in self._pairs:
            if secret in value:
                value = value.replace(secret, label)
        return value

    def json(self, payload: Any) -> str:
        """Serialise a payload and scrub the result (covers answer text, warnings and errors)."""
        return self.text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))


def _path_forms(path: Path) -> set[str]:
    """A path as configured and resolved, plainly and JSON-escaped (Windows backslashes)."""
    forms: set[str] = set()
    for text in (str(path), str(path.resolve())):
        forms |= _escaped_forms(text)
    return forms
