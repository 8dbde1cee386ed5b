"""Logging in with e-mail and password, through the login throttle (canal.accounts.login_throttle)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from canal.accounts import login_throttle
from canal.accounts.models import User
from canal.accounts.services import warn_of_failed_logins
from canal.core.client import client_address


class ThrottledEmailBackend(ModelBackend):
    """Checks the throttle before the password, so a paused attempt learns nothing about it."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if request is None or not username:
            return super().authenticate(request, username=username, password=password, **kwargs)
        email = username.strip().lower()
        address = client_address(request)
        login_throttle.check(email=email, address=address)
        user = super().authenticate(request, username=email, password=password, **kwargs)
        if user is None:
            failures = login_throttle.record_failure(email=email, address=address)
            if failures == settings.LOGIN_ACCOUNT_NOTICE_AT:
                warn_of_failed_logins(email=email, failures=failures)
        else:
            login_throttle.record_success(email=email, address=address)
        return user
