"""Counting requests in fixed time windows in the shared cache, so every process sees the same count.

A window is keyed by its start, so a key expires by itself and a count never needs resetting; the
count is atomic in both shared caches (`canal.core.cache`: Redis, one round trip, and the database).
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache, caches

from canal.core import cache as shared_cache


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends; 0 when allowed


def _window(seconds: int, now: float) -> tuple[int, int]:
    start = int(now // seconds) * seconds
    return start, max(1, math.ceil(start + seconds - now))


def hit(key: str, *, limit: int, seconds: int, now: float | None = None) -> Verdict:
    """Counts one request under `key`; refused once `limit` requests fell in this window."""
    now = time.time() if now is None else now
    start, remaining = _window(seconds, now)
    window_key = f"rl:{key}:{start}"
    count = shared_cache.count(caches["default"], window_key, seconds + 1)
    allowed = count <= limit
    return Verdict(allowed=allowed, count=count, retry_after=0 if allowed else remaining)


def peek(key: str, *, seconds: int, now: float | None = None) -> tuple[int, int]:
    """How many requests `key` made in this window, and the seconds left in it; counts nothing."""
    now = time.time() if now is None else now
    start, remaining = _window(seconds, now)
    return cache.get(f"rl:{key}:{start}", 0), remaining


def reset(key: str, *, seconds: int, now: float | None = None) -> None:
    """Forgets this window's count for `key`."""
    now = time.time() if now is None else now
    start, _remaining = _window(seconds, now)
    cache.delete(f"rl:{key}:{start}")
