"""Rate limits read from settings at request time, so operators can tune them without code."""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle


class _SettingsRate:
    setting_name = ""

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, self.setting_name)
        self.num_requests, self.duration = self.parse_rate(self.rate)  # type: ignore[attr-defined]
        return super().allow_request(request)  # type: ignore[misc]


class TokenRateThrottle(_SettingsRate, AuthRateThrottle):
    setting_name = "API_RATE_AUTHENTICATED"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is None:
            return None
        return super().get_cache_key(request)


class AnonymousRateThrottle(_SettingsRate, AnonRateThrottle):
    setting_name = "API_RATE_ANONYMOUS"
