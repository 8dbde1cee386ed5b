"""Headers every answer carries, and cookies that stay on https when the site is served over https."""

import os
import subprocess
import sys


def test_pages_and_api_answers_carry_the_content_security_policy(client, db):
    for path in ("/accounts/login/", "/api/v1/docs", "/healthz"):
        response = client.get(path)

        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def _setting(name: str, **environment: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "canal.config.settings", **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_cookies_are_secure_when_the_site_is_served_over_https():
    assert _setting("SESSION_COOKIE_SECURE", SITE_URL="https://canal.example") == "True"
    assert _setting("CSRF_COOKIE_SECURE", SITE_URL="https://canal.example") == "True"
    assert _setting("SESSION_COOKIE_SECURE", SITE_URL="http://127.0.0.1:8000") == "False"
