"""Any OpenAI-compatible chat endpoint through the official `openai` SDK."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import SecretStr

from app.config import BackendProfile
from app.errors import BackendAuthError, BackendError, ConfigError


class ChatBackend:
    """A named OpenAI-compatible profile: bounded retries, a timeout, errors that name settings."""

    def __init__(self, name: str, profile: BackendProfile, api_key: SecretStr | None) -> None:
        """Validate the profile; the HTTP client is created lazily."""
        if not profile.base_url:
            raise ConfigError(
                f"backend {name!r} has no base_url: set backend.profiles.{name}.base_url"
            )
        if not profile.model:
            raise ConfigError(f"backend {name!r} has no model: set backend.profiles.{name}.model")
        if profile.api_key_env and api_key is None:
            raise BackendAuthError(
                f"backend {name!r} needs an API key: export {profile.api_key_env} "
                f"(the variable named by backend.profiles.{name}.api_key_env)"
            )
        self.name = name
        self.profile = profile
        self._key = api_key
        self._client: Any = None

    def _sdk(self) -> Any:
        """The openai client; the SDK's own retries cover timeouts, 429 and 5xx with backoff."""
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(
                base_url=self.profile.base_url,
                api_key=self._key.get_secret_value() if self._key else "not-needed",
                timeout=self.profile.timeout_s,
                max_retries=self.profile.max_retries,
            )
        return self._client

    def _translate(self, exc: Exception) -> BackendError:
        """Map SDK errors to messages that say which setting to fix (never the key itself)."""
        import openai

        n, p = self.name, self.profile
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            env = p.api_key_env or "an API key variable"
            return BackendAuthError(
                f"backend {n!r} refused the API key: check {env} (backend.profiles.{n}.api_key_env)"
            )
        if isinstance(exc, openai.NotFoundError):
            return BackendAuthError(
                f"backend {n!r} does not know model {p.model!r} or the URL is wrong: "
                f"check backend.profiles.{n}.model and backend.profiles.{n}.base_url"
            )
        if isinstance(exc, openai.APITimeoutError):
            return BackendError(
                f"backend {n!r} timed out after {p.timeout_s:g} s "
                f"({p.max_retries} retries); raise backend.profiles.{n}.timeout_s or try later"
            )
        if isinstance(exc, openai.APIConnectionError):
            hint = " (start it: pilotdesk llm serve)" if n == "local" else ""
            return BackendError(f"cannot reach backend {n!r} at its base_url: is it running?{hint}")
        if isinstance(exc, openai.BadRequestError):
            return BackendError(f"backend {n!r} rejected the request (HTTP 400): {_short(exc)}")
        if isinstance(exc, openai.APIStatusError):
            return BackendError(
                f"backend {n!r} failed with HTTP {exc.status_code} after {p.max_retries} retries"
            )
        return BackendError(f"backend {n!r} returned an unusable response: {_short(exc)}")

    def complete(self, messages: list[dict[str, str]], max_tokens: int | None = None) -> str:
        """One non-streaming chat completion."""
        try:
            resp = self._sdk().chat.completions.create(
                model=self.profile.model,
                messages=messages,
                temperature=self.profile.temperature,
                max_tokens=max_tokens or self.profile.max_tokens,
                extra_body=self.profile.extra_body or None,
            )
            content = resp.choices[0].message.content
        except BackendError:
            raise
        except Exception as exc:  # SDK, JSON and shape errors all become one clear message
            raise self._translate(exc) from exc
        if not isinstance(content, str):
            raise BackendError(f"backend {self.name!r} returned no text")
        return content

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """Yield text deltas; a stream cut before the first token is retried once."""
        attempts = 2
        for attempt in range(attempts):
            started = False
            try:
                events = self._sdk().chat.completions.create(
                    model=self.profile.model,
                    messages=messages,
                    temperature=self.profile.temperature,
                    max_tokens=self.profile.max_tokens,
                    stream=True,
                    extra_body=self.profile.extra_body or None,
                )
                finished = False
                for event in events:
                    if not event.choices:
                        continue
                    choice = event.choices[0]
                    delta = choice.delta.content if choice.delta else None
                    if delta:
                        started = True
                        yield delta
                    if choice.finish_reason:
                        finished = True
                if not finished:
                    raise BackendError(f"backend {self.name!r} ended the stream before finishing")
                return
            except Exception as exc:
                err = exc if isinstance(exc, BackendError) else self._translate(exc)
                if started or attempt == attempts - 1 or isinstance(err, BackendAuthError):
                    raise err from exc

    def health(self) -> tuple[bool, str]:
        """Cheap reachability check: list the server's models (2 s timeout)."""
        try:
            self._sdk().with_options(timeout=2.0, max_retries=0).models.list()
        except Exception as exc:
            return False, str(self._translate(exc))
        return True, "ok"


def _short(exc: Exception) -> str:
    """First line of an exception message, trimmed."""
    return (str(exc).splitlines() or [exc.__class__.__name__])[0][:200]
