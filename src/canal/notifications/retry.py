"""When to try a failed webhook delivery again: growing waits, then give up."""

from datetime import timedelta

BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(BACKOFF) + 1


def wait_before_attempt(attempts_made: int) -> timedelta | None:
    """The wait before the next attempt after `attempts_made` failures, or None when it is time to give up."""
    if attempts_made >= MAX_ATTEMPTS:
        return None
    return BACKOFF[attempts_made - 1]
