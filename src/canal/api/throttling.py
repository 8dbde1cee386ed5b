"""API rate limits counted in the shared cache, so the configured figure holds across every process.

Rates come from settings at request time (operators tune them without code); a refused request gets
429 with `Retry-After` (see `canal.api.errors`).
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from canal.core import ratelimit
from canal.core.client import client_address

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'1200/m' → (1200, 60)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


class WindowThrottle(BaseThrottle):
    """Counts a request under `key()`, within the rate the setting `setting_name` holds."""

    scope = ""
    setting_name = ""
    default_rate = ""

    def key(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        key = self.key(request)
        if key is None:
            return True
        limit, seconds = parse_rate(getattr(settings, self.setting_name, self.default_rate))
        self.verdict = ratelimit.hit(f"{self.scope}:{key}", limit=limit, seconds=seconds)
        return self.verdict.allowed

    def wait(self) -> float | None:
        return self.verdict.retry_after


class TokenRateThrottle(WindowThrottle):
    scope = "api-actor"
    setting_name = "API_RATE_AUTHENTICATED"

    def key(self, request: HttpRequest) -> str | None:
        actor = getattr(request, "auth", None)
        if actor is None:
            return None
        return f"{actor.user.pk}:{actor.organisation.pk}"


class AnonymousRateThrottle(WindowThrottle):
    scope = "api-address"
    setting_name = "API_RATE_ANONYMOUS"

    def key(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is not None:
            return None
        return client_address(request)
