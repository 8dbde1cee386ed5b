"""Counting requests in fixed time windows in the shared cache, so every process sees the same count.

A window is keyed by its start, so a key expires by itself and a count never needs resetting; the
increment is atomic in both shared caches (Redis, and our database backend in `canal.core.cache`).
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache


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
    # Counting first: the window's key exists for every request but its first, and an increment is one
    # round trip where adding is several. Two first requests racing: one adds, the other increments.
    try:
        count = cache.incr(window_key)
    except ValueError:
        count = 1 if cache.add(window_key, 1, timeout=seconds + 1) else cache.incr(window_key)
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
