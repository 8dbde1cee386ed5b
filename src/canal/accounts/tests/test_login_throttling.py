"""Login throttling: guessing from one place stalls, and nobody can aim a lockout at somebody else."""

import time

import pytest
import time_machine
from django.core import mail

from canal.accounts.login_throttle import progressive_delay
from canal.accounts.tests.factories import PASSWORD, member

STRANGER = "203.0.113.9"
HOME = "198.51.100.7"


def _login(client, email, password, address, **headers):
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def _token(client, email, password, address):
    return client.post(
        "/api/v1/auth/token",
        {"email": email, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_repeated_wrong_passwords_from_one_address_pause_it_with_retry_after(client, db, settings):
    user = member()
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        _login(client, user.email, "wrong", STRANGER)

    response = _login(client, user.email, PASSWORD, STRANGER)

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "_auth_user_id" not in client.session


def test_the_token_endpoint_pauses_the_same_way_and_says_when_to_return(client, db, settings):
    user = member()
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        _token(client, user.email, "wrong", STRANGER)

    response = _token(client, user.email, PASSWORD, STRANGER)

    assert response.status_code == 429
    assert response.json()["code"] == "login_paused"
    assert int(response["Retry-After"]) >= 1


def test_a_stranger_elsewhere_cannot_lock_the_user_out(client, db, settings):
    user = member()
    assert _token(client, user.email, PASSWORD, HOME).status_code == 201
    for attempt in range(60):
        _token(client, user.email, "wrong", f"203.0.113.{attempt + 1}")

    response = _token(client, user.email, PASSWORD, HOME)

    assert response.status_code == 201


def test_after_a_spread_out_attack_a_new_address_waits_a_minute_at_most(client, db):
    user = member()
    for attempt in range(40):
        _token(client, user.email, "wrong", f"203.0.113.{attempt + 1}")

    paused = _token(client, user.email, PASSWORD, "192.0.2.44")
    with time_machine.travel(time.time() + int(paused["Retry-After"]), tick=False):
        response = _token(client, user.email, PASSWORD, "192.0.2.44")

    assert paused.status_code == 429
    assert int(paused["Retry-After"]) <= 60
    assert response.status_code == 201


def test_an_address_failing_on_many_accounts_waits_for_the_window(client, db, settings):
    settings.LOGIN_ADDRESS_LIMIT = 10
    victim = member()
    for number in range(10):
        _token(client, f"someone{number}@example.com", "wrong", STRANGER)

    response = _token(client, victim.email, PASSWORD, STRANGER)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 15 * 60
    assert _token(client, victim.email, PASSWORD, HOME).status_code == 201


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(client, db, settings):
    settings.LOGIN_ACCOUNT_NOTICE_AT = 100  # only the per-address counters matter here
    user = member()
    proxy = "10.0.0.2"
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        _login(client, user.email, "wrong", proxy, HTTP_X_FORWARDED_FOR=STRANGER)
    # Untrusted, the header is ignored: everyone behind this proxy is one address, now paused.
    assert _login(client, user.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=HOME).status_code == 429

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        _login(client, user.email, "wrong", proxy, HTTP_X_FORWARDED_FOR=f"{HOME}, {STRANGER}")
    response = _login(client, user.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=HOME)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_user_is_told_once_in_its_language_when_failures_pile_up(
    client, db, settings, django_capture_on_commit_callbacks
):
    user = member(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(settings.LOGIN_ACCOUNT_NOTICE_AT + 5):
            _token(client, user.email, "wrong", f"203.0.113.{attempt + 1}")

    notices = [message for message in mail.outbox if user.email in message.to]
    assert len(notices) == 1
    assert "Failed attempts to log in" in notices[0].subject
    assert "your account is not locked" in notices[0].body


@pytest.mark.parametrize(("failures", "expected"), [(0, 0), (4, 0), (5, 1), (6, 2), (9, 16), (40, 900)])
def test_each_further_failure_doubles_the_wait_up_to_the_cap(failures, expected):
    assert progressive_delay(failures, free=5, cap=900) == expected
