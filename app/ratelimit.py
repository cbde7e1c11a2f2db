"""Rate limiting, all of it: per-process and shared (database) limiters, their counters, and
the Retry-After value. The API charges requests through `RateLimiter.hit`."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa
from starlette.requests import Request

if TYPE_CHECKING:
    from app.config import Settings
    from app.store import Store

# Created by migration 3 (app/migrations.py); its rows are this module's business only.
rate_limits = sa.Table(
    "rate_limits",
    sa.MetaData(),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("window_start", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("hits", sa.Integer, nullable=False),
)


class RateLimiter(Protocol):
    """What the API needs from a rate limiter."""

    def hit(self, key: str) -> float | None:
        """Record one request; return None if allowed, else the seconds until the next is."""
        ...


def limiter_for(settings: Settings, store: Store) -> RateLimiter:
    """Per process, or in the database when `database_url` names a shared one (replicas)."""
    limit = settings.api.rate_limit_per_minute
    if settings.database_url:
        # A shared database means replicas: count each client once across all of them.
        return SharedRateLimiter(store, limit)
    return SlidingWindowLimiter(limit)


def client_key(request: Request) -> str:
    """Who is asking: the client address (uvicorn resolves X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else "unknown"


def retry_after(seconds: float) -> str:
    """The Retry-After header value: whole seconds, at least one."""
    return str(max(1, math.ceil(seconds)))


class SlidingWindowLimiter:
    """At most `limit` hits per key in any `window_s` seconds (in memory: per process)."""

    def __init__(
        self,
        limit: int,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        """Configure the window; `max_keys` bounds memory under a flood of distinct clients."""
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self.max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Record one request; return None if allowed, else the seconds until the next is."""
        now = self.clock()
        with self._lock:
            q = self._hits.get(key)
            if q is None:
                q = self._hits[key] = deque()
                if len(self._hits) > self.max_keys:
                    self._hits.popitem(last=False)  # forget the least recently seen client
            self._hits.move_to_end(key)
            while q and q[0] <= now - self.window_s:
                q.popleft()
            if len(q) >= self.limit:
                return q[0] + self.window_s - now
            q.append(now)
            return None


class SharedRateLimiter:
    """About `limit` hits per key in any `window_s` seconds, counted in the shared database.

    Same interface as SlidingWindowLimiter, but every replica on the same database sees the
    same counts. It uses the sliding window estimate `previous * (1 - elapsed) + current` over
    two fixed windows: two rows per client instead of one row per request.
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
        current, previous = self._count(key, start, start - self.window_s)
        elapsed = (now - start) / self.window_s
        if previous * (1 - elapsed) + current <= self.limit:
            self._maybe_purge(now, start)
            return None
        # Refused requests don't count: a client that waits as told gets in.
        self._uncount(key, start)
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

    def _count(self, key: str, window_start: int, previous_start: int) -> tuple[int, int]:
        """Add one hit to a client's window; return (hits in it now, hits in the previous one)."""
        t = rate_limits
        ins = self.store.dialect.insert(t).values(key=key, window_start=window_start, hits=1)
        # One atomic upsert on both databases: concurrent replicas never lose a hit.
        stmt = ins.on_conflict_do_update(
            index_elements=["key", "window_start"], set_={"hits": t.c.hits + 1}
        ).returning(t.c.hits)
        with self.store.write_connection() as conn, conn.begin():
            now = int(conn.execute(stmt).scalar_one())
            before = conn.execute(
                sa.select(t.c.hits).where(t.c.key == key, t.c.window_start == previous_start)
            ).scalar()
        return now, int(before or 0)

    def _uncount(self, key: str, window_start: int) -> None:
        """Take back a refused request's hit, so refusals don't extend the wait."""
        t = rate_limits
        with self.store.write_connection() as conn, conn.begin():
            conn.execute(
                t.update()
                .where(t.c.key == key, t.c.window_start == window_start, t.c.hits > 0)
                .values(hits=t.c.hits - 1)
            )

    def _maybe_purge(self, now: float, start: int) -> None:
        """Now and then, forget windows no estimate needs any more (any replica may do it)."""
        with self._lock:
            if now - self._last_purge < self.purge_every_s:
                return
            self._last_purge = now
        t = rate_limits
        with self.store.write_connection() as conn, conn.begin():
            conn.execute(t.delete().where(t.c.window_start < start - self.window_s))
