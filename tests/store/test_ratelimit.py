"""The rate limit shared by replicas through the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from app.config import load_settings
from app.ratelimit import (
    SharedRateLimiter,
    SlidingWindowLimiter,
    limiter_for,
    rate_limits,
    retry_after,
)
from app.store import Store


class Clock:
    """A settable wall clock."""

    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_two_replicas_share_one_budget_and_refusals_do_not_count(db_url: str) -> None:
    clock = Clock(1000.0)  # 40 s into the window that starts at 960
    a = SharedRateLimiter(Store(db_url), limit=5, clock=clock)
    b = SharedRateLimiter(Store(db_url), limit=5, clock=clock)
    assert [(a if i % 2 else b).hit("ask:1.2.3.4") for i in range(5)] == [None] * 5
    wait = b.hit("ask:1.2.3.4")
    assert wait is not None and abs(wait - 32.0) < 0.01  # 20 s to the next window + 12 s slide
    assert a.hit("ask:1.2.3.4") is not None
    assert a.hit("ask:5.6.7.8") is None  # other clients are unaffected
    clock.t = 1031.0
    assert a.hit("ask:1.2.3.4") is not None
    clock.t = 1032.0  # exactly when the refusal said: the earlier refusals did not add up
    assert b.hit("ask:1.2.3.4") is None


def test_concurrent_hits_never_exceed_the_limit(db_url: str) -> None:
    stores = [Store(db_url), Store(db_url)]
    limiters = [SharedRateLimiter(s, limit=10, clock=Clock(5000.0)) for s in stores]
    allowed: list[bool] = []
    lock = threading.Lock()

    def hit(i: int) -> None:
        ok = limiters[i % 2].hit("ask:flood") is None
        with lock:
            allowed.append(ok)

    threads = [threading.Thread(target=hit, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(allowed) == 24 and allowed.count(True) == 10


def test_old_windows_are_purged(db_url: str) -> None:
    store = Store(db_url)
    clock = Clock(600.0)
    limiter = SharedRateLimiter(store, limit=3, clock=clock, purge_every_s=60)
    for key in ("a", "b", "c"):
        limiter.hit(key)
    clock.t = 600.0 + 3600
    limiter.hit("a")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(rate_limits.c.key, rate_limits.c.window_start)).all()
    assert rows == [("a", 4200)]


def test_the_per_process_limiter_slides_and_forgets_old_clients() -> None:
    clock = Clock(100.0)
    limiter = SlidingWindowLimiter(limit=2, window_s=60, clock=clock, max_keys=2)
    assert [limiter.hit("a"), limiter.hit("a")] == [None, None]
    clock.t = 130.0
    assert limiter.hit("a") == 30.0  # the first hit leaves the window at 160
    assert retry_after(30.0) == "30" and retry_after(0.2) == "1"
    clock.t = 160.0
    assert limiter.hit("a") is None
    limiter.hit("b")
    limiter.hit("c")  # a third client: the least recently seen one ("a") is forgotten
    assert limiter.hit("a") is None and limiter.hit("a") is None


def test_the_configured_limiter_is_shared_only_with_a_database_url(db_url: str) -> None:
    store = Store(db_url)
    settings = load_settings()
    settings.api.rate_limit_per_minute = 7
    local = limiter_for(settings, store)
    assert isinstance(local, SlidingWindowLimiter) and local.limit == 7
    settings.database_url = db_url
    shared = limiter_for(settings, store)
    assert isinstance(shared, SharedRateLimiter) and shared.limit == 7
