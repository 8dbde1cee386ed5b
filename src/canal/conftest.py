"""Fixtures shared by every app's tests."""

import os
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import OrganisationKind, Role, User
from canal.accounts.services import create_api_token
from canal.accounts.tests.factories import member

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Property tests judge results, not speed: on two busy cores input generation and examples can be slow
# without anything being wrong, and a timing failure there would only be noise.
hypothesis_settings.register_profile(
    "canal", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
hypothesis_settings.load_profile("canal")


@pytest.fixture(autouse=True)
def _isolated_settings(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache(request: pytest.FixtureRequest) -> None:
    """Rate-limit counters start at zero. The shared cache is a database table, so only tests that use
    the database can (and need to) clear it; transactional tests run on a flushed database anyway."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    transactional = names & {"transactional_db", "live_server"} or (
        marker and marker.kwargs.get("transaction")
    )
    if transactional or not ("db" in names or marker):
        return
    request.getfixturevalue("db")
    from django.core.cache import cache

    cache.clear()


class ApiClient:
    """Calls /api/v1 with a bearer token, as an integrator would."""

    def __init__(self, actor: Actor, language: str = "en") -> None:
        self.actor = actor
        _token, self.token = create_api_token(actor=actor, name="tests", for_self=True)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {self.token}", HTTP_ACCEPT_LANGUAGE=language)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=headers
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api/v1{path}")


def _actor(kind: str, role: str = Role.ADMIN, **organisation: Any) -> Actor:
    user = member(kind=kind, role=role, **organisation)
    return actor_for(user)


@pytest.fixture
def make_actor(db: None) -> Any:
    return _actor


@pytest.fixture
def partner(db: None) -> Actor:
    return _actor(OrganisationKind.PARTNER, Role.LEGAL_REPRESENTATIVE)


@pytest.fixture
def customer(db: None) -> Actor:
    return _actor(OrganisationKind.CUSTOMER)


@pytest.fixture
def operator(db: None) -> Actor:
    return _actor(OrganisationKind.OPERATOR)


@pytest.fixture
def api_as() -> Any:
    return ApiClient


@pytest.fixture
def portal_login(client: Client) -> Any:
    def login(user: User) -> Client:
        client.force_login(user)
        return client

    return login


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        if IN_CI and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail("PostgreSQL expected")
        pytest.skip("needs PostgreSQL row locks and parallel connections; runs in the PostgreSQL pass")


@pytest.fixture(autouse=True)
def _ledger_balances_to_zero(request: pytest.FixtureRequest) -> Any:
    """After every test that used the database, every journal entry and the whole ledger sum to zero
    per currency: money moved by a test was neither created nor lost (billing, issue 4)."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if "transactional_db" in names or "live_server" in names or transactional:
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker is not None:
        request.getfixturevalue("db")
    else:
        yield
        return
    yield
    from collections import defaultdict
    from decimal import Decimal

    from canal.billing.models import Posting

    # Summed in Python: SQLite's SUM goes through floats, and this check must be exact.
    per_currency: dict[str, Decimal] = defaultdict(Decimal)
    per_entry: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for entry_id, currency, amount in Posting.objects.values_list("entry_id", "currency", "amount"):
        per_currency[currency] += amount
        per_entry[(entry_id, currency)] += amount
    unbalanced_currencies = {currency: total for currency, total in per_currency.items() if total}
    unbalanced_entries = {key: total for key, total in per_entry.items() if total}
    assert not unbalanced_currencies, f"The ledger does not balance: {unbalanced_currencies}"
    assert not unbalanced_entries, f"Unbalanced journal entries: {unbalanced_entries}"
