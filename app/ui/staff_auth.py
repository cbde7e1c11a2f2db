"""Staff sign-in: constant-time password check, growing waits after wrong guesses, expiry."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import Enum

from pydantic import SecretStr

MAX_WAIT_S = 3600.0


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


@dataclass
class StaffGate:
    """One browser session's sign-in state (kept in st.session_state)."""

    max_attempts: int = 5
    lockout_s: float = 30.0
    session_s: float = 3600.0
    failures: int = 0
    locked_until: float = 0.0
    signed_in_until: float = 0.0
    expired: bool = False

    def wait_seconds(self, now: float) -> float:
        """Seconds until the next attempt is allowed (0 when it is)."""
        return max(0.0, self.locked_until - now)

    def remaining_attempts(self) -> int:
        """Wrong guesses left before the first wait."""
        return max(0, self.max_attempts - self.failures)

    def signed_in(self, now: float) -> bool:
        """True while a signed-in session lasts; notes when one has just expired."""
        if self.signed_in_until and now >= self.signed_in_until:
            self.signed_in_until = 0.0
            self.expired = True
        return now < self.signed_in_until

    def attempt(self, entered: str, secret: SecretStr, now: float) -> Attempt:
        """Check one password; after `max_attempts` wrong ones each further miss waits longer."""
        if self.wait_seconds(now) > 0:
            return Attempt.LOCKED
        if entered and password_matches(entered, secret):
            self.failures, self.locked_until, self.expired = 0, 0.0, False
            self.signed_in_until = now + self.session_s
            return Attempt.OK
        self.failures += 1
        over = self.failures - self.max_attempts
        if over >= 0:
            self.locked_until = now + min(MAX_WAIT_S, self.lockout_s * 2**over)
        return Attempt.WRONG

    def sign_out(self) -> None:
        """End the staff session."""
        self.signed_in_until = 0.0
        self.expired = False
