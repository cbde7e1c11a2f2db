"""Staff sign-in: constant-time password check, signed expiring session tokens, and waits
after wrong guesses counted per client address in the store."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import Enum

from pydantic import SecretStr

from app.store import Store

COOKIE = "pilotdesk_staff"
MAX_WAIT_S = 3600.0
# A client's wrong guesses are forgotten a day after its last one.
FORGET_AFTER_S = 86400.0
_VERSION = "v1"


class Attempt(Enum):
    """The result of one sign-in attempt."""

    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"


def password_matches(entered: str, secret: SecretStr) -> bool:
    """Compare in constant time; hashing first hides the password's length too."""
    a = hashlib.sha256(entered.encode("utf-8")).digest()
    b = hashlib.sha256(secret.get_secret_value().encode("utf-8")).digest()
    return hmac.compare_digest(a, b)


def _signing_key(secret: SecretStr) -> bytes:
    """Derived from the password: changing it signs every staff member out, on every replica."""
    return hashlib.sha256(
        b"pilotdesk staff session\0" + secret.get_secret_value().encode()
    ).digest()


def issue_token(secret: SecretStr, now: float, lifetime_s: float) -> str:
    """A session token: version, expiry, a random nonce and an HMAC over all three."""
    body = f"{_VERSION}.{int(now + lifetime_s)}.{secrets.token_urlsafe(12)}"
    sig = hmac.new(_signing_key(secret), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{sig}"


def token_expiry(token: str | None, secret: SecretStr, now: float) -> float | None:
    """When a valid, unexpired token ends; None for a missing, forged or expired one."""
    if not token or token.count(".") != 3:
        return None
    body, _, sig = token.rpartition(".")
    want = hmac.new(_signing_key(secret), body.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, sig):
        return None
    version, expires, _nonce = body.split(".")
    if version != _VERSION or not expires.isdigit() or int(expires) <= now:
        return None
    return float(expires)


@dataclass(frozen=True)
class Throttle:
    """How many wrong guesses a client gets, and how long it waits after them."""

    max_attempts: int = 5
    lockout_s: float = 30.0

    def wait_seconds(self, failures: int, last_at: float, now: float) -> float:
        """Seconds until this client may try again (0 when it may)."""
        over = failures - self.max_attempts
        if over < 0:
            return 0.0
        return max(0.0, last_at + min(MAX_WAIT_S, self.lockout_s * 2**over) - now)

    def remaining(self, failures: int) -> int:
        """Wrong guesses left before the first wait."""
        return max(0, self.max_attempts - failures)

    def attempt(
        self, store: Store, client: str, entered: str, secret: SecretStr, now: float
    ) -> Attempt:
        """Check one password for a client; wrong ones are counted in the shared store."""
        key = f"staff:{client}"
        failures, last_at = store.sign_in_failures(key)
        if self.wait_seconds(failures, last_at, now) > 0:
            return Attempt.LOCKED
        if entered and password_matches(entered, secret):
            store.clear_sign_in_failures(key)
            return Attempt.OK
        store.add_sign_in_failure(key, now, FORGET_AFTER_S)
        return Attempt.WRONG

    def state(self, store: Store, client: str, now: float) -> tuple[int, float]:
        """(wrong guesses left before a wait, seconds to wait now) for a client."""
        failures, last_at = store.sign_in_failures(f"staff:{client}")
        if last_at and now - last_at > FORGET_AFTER_S:
            failures = 0
        return self.remaining(failures), self.wait_seconds(failures, last_at, now)


def attempts_left_text(left: int) -> str:
    """'1 attempt left' / '3 attempts left'."""
    return f"{left} attempt{'' if left == 1 else 's'} left"
