"""Login throttling that an attacker cannot aim at somebody else.

Three counters in the shared cache, each over a 15-minute window:

- per address: an address that fails too often, on any accounts, waits for the window to end;
- per account and address: after a few failures, each further try from that address waits longer
  (progressive delay, doubling up to 15 minutes), so guessing one password from one place stalls;
- per account, from addresses it has never logged in from: after many failures, a short delay (at most
  a minute) slows a spread-out attack, while the user's familiar addresses are never delayed by it.

No counter locks the account itself, so failures a stranger causes from elsewhere cannot keep its user
out. When the account reaches the notice threshold, its user gets one e-mail saying so.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from canal.core import ratelimit
from canal.core.errors import CanalError

WINDOW_SECONDS = 15 * 60
MAX_PAIR_DELAY_SECONDS = 15 * 60
MAX_ACCOUNT_DELAY_SECONDS = 60
FAMILIAR_FOR = timedelta(days=90)


class LoginPaused(CanalError):
    status = 429
    default_code = "login_paused"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            ngettext(
                "Too many failed attempts: wait %(seconds)s second before trying again, "
                "or reset your password from the login page.",
                "Too many failed attempts: wait %(seconds)s seconds before trying again, "
                "or reset your password from the login page.",
                retry_after,
            )
            % {"seconds": retry_after},
            field="password",
        )
        self.retry_after = retry_after


def progressive_delay(failures: int, *, free: int, cap: int) -> int:
    """Seconds to wait after `failures` failures when the first `free` cost nothing: 1, 2, 4, ... ≤ cap."""
    if failures < free:
        return 0
    return min(cap, 2 ** (failures - free))


def _keys(email: str, address: str) -> dict[str, str]:
    return {
        "address": f"login-address:{address}",
        "pair": f"login-pair:{email}:{address}",
        "account": f"login-account:{email}",
    }


def _familiar(email: str, address: str) -> bool:
    return cache.get(f"login-familiar:{email}:{address}") is not None


def _wait_since_last(key: str, delay: int, now: float) -> int:
    last = cache.get(f"{key}:last")
    if last is None or delay == 0:
        return 0
    return max(0, int(last + delay - now + 0.999))


def check(*, email: str, address: str, now: float | None = None) -> None:
    """Raises LoginPaused with the seconds to wait when this attempt must not be checked at all."""
    now = time.time() if now is None else now
    keys = _keys(email, address)
    address_failures, remaining = ratelimit.peek(keys["address"], seconds=WINDOW_SECONDS, now=now)
    if address_failures >= settings.LOGIN_ADDRESS_LIMIT:
        raise LoginPaused(remaining)
    pair_failures, _remaining = ratelimit.peek(keys["pair"], seconds=WINDOW_SECONDS, now=now)
    pair_delay = progressive_delay(
        pair_failures, free=settings.LOGIN_FAILURE_LIMIT, cap=MAX_PAIR_DELAY_SECONDS
    )
    if wait := _wait_since_last(keys["pair"], pair_delay, now):
        raise LoginPaused(wait)
    if _familiar(email, address):
        return
    account_failures, _remaining = ratelimit.peek(keys["account"], seconds=WINDOW_SECONDS, now=now)
    account_delay = progressive_delay(
        account_failures, free=settings.LOGIN_ACCOUNT_NOTICE_AT, cap=MAX_ACCOUNT_DELAY_SECONDS
    )
    if wait := _wait_since_last(keys["account"], account_delay, now):
        raise LoginPaused(wait)


def record_failure(*, email: str, address: str, now: float | None = None) -> int:
    """Counts a failed attempt; returns the account's failures in this window."""
    now = time.time() if now is None else now
    account_failures = 0
    for name, key in _keys(email, address).items():
        verdict = ratelimit.hit(key, limit=10**9, seconds=WINDOW_SECONDS, now=now)
        cache.set(f"{key}:last", now, timeout=WINDOW_SECONDS)
        if name == "account":
            account_failures = verdict.count
    return account_failures


def record_success(*, email: str, address: str) -> None:
    """This address is now familiar for the account: a spread-out attack no longer delays it here."""
    cache.set(f"login-familiar:{email}:{address}", 1, timeout=int(FAMILIAR_FOR.total_seconds()))
    pair = _keys(email, address)["pair"]
    ratelimit.reset(pair, seconds=WINDOW_SECONDS)
    cache.delete(f"{pair}:last")
