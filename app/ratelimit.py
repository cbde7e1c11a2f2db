"""A per-client rate limit shared by all replicas through the store's database."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.store import Store


class SharedRateLimiter:
    """About `limit` hits per key in any `window_s` seconds, counted in the shared database.

    Same interface as app.api.limits.SlidingWindowLimiter (`hit(key)` → None or seconds to
    wait), but every replica on the same database sees the same counts. It uses the sliding
    window estimate `previous * (1 - elapsed) + current` over two fixed windows: two rows per
    client instead of one row per request.
    """

    def __init__(
        self,
        store: Store,
        limit: int,
        window_s: int = 60,
        clock: Callable[[], float] = time.time,
        purge_every_s: float = 300.0,
    ) -> None:
        """Wall-clock time, not monotonic: replicas on other machines must agree on windows."""
        if limit < 1 or window_s < 1:
            raise ValueError("limit and window_s must be at least 1")
        self.store = store
        self.limit = limit
        self.window_s = int(window_s)
        self.clock = clock
        self.purge_every_s = purge_every_s
        self._last_purge = clock()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Record one request; return None if allowed, else the seconds until the next is."""
        now = self.clock()
        key = key[:200]
        start = int(now // self.window_s) * self.window_s
        current, previous = self.store.count_hit(key, start, start - self.window_s)
        elapsed = (now - start) / self.window_s
        if previous * (1 - elapsed) + current <= self.limit:
            self._maybe_purge(now, start)
            return None
        # Refused requests don't count: a client that waits as told gets in.
        self.store.uncount_hit(key, start)
        return max(0.05, self._wait(previous, current - 1, elapsed))

    def _wait(self, previous: int, current: int, elapsed: float) -> float:
        """Seconds until one more hit fits under the limit."""
        w = self.window_s
        if current + 1 <= self.limit:
            # Still in this window, once enough of the previous window has slid out.
            needed = 1 - (self.limit - current - 1) / previous if previous else 0.0
            return max(0.0, needed - elapsed) * w
        # Next window: this window's hits become the previous ones and slide out in turn.
        needed = max(0.0, 1 - (self.limit - 1) / current) if current else 0.0
        return (1 - elapsed) * w + needed * w

    def _maybe_purge(self, now: float, start: int) -> None:
        """Now and then, forget windows no estimate needs any more (any replica may do it)."""
        with self._lock:
            if now - self._last_purge < self.purge_every_s:
                return
            self._last_purge = now
        self.store.purge_rate_windows(start - self.window_s)
