"""Quotes per second through `POST /api/v1/quotes`: token auth, scope, ordering rules and pricing.

Runs Django's test client (no network, no web server) against a throwaway test database that Django's
test runner machinery creates from DATABASE_URL: an in-memory SQLite database by default, or
`test_<name>` on PostgreSQL when DATABASE_URL points there. The demo data (`canal demo`) is loaded into
it, so the quotes are the demo's: the R4.9 hosting quote of a partner paying for its client, and an R1
Business order with an add-on and an onboarding package. Also measures the ordering rules and pricing
alone (no HTTP, no database) on the same configuration.
"""

import os
import time
from decimal import Decimal
from typing import Any

WORKLOADS = {
    "hosting_r4_9": {"product": "alpenhost-web-hosting", "plan": "web-hosting", "quantity": 35},
    "work_management_r1": {
        "product": "tareo-work",
        "plan": "business",
        "quantity": 40,
        "add_ons": ["marketing-pack"],
        "package": "onboarding-ii",
    },
}


def _measure(call: Any, seconds: float) -> tuple[int, float]:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(20):
            call()
        count += 20
    return count, time.perf_counter() - started


def run(seconds: float = 3.0) -> dict[str, float | int | str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canal.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from canal.accounts.actor import actor_for
    from canal.accounts.models import Organisation, User
    from canal.accounts.services import create_api_token
    from canal.catalog import quoting, rules, selectors
    from canal.catalog.offer import Configuration

    setup_test_environment()
    settings.API_RATE_AUTHENTICATED = "100000000/m"  # measure the work, not the rate limit
    settings.DEBUG = False
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    figures: dict[str, float | int | str] = {"database": f"{connection.vendor} ({database})"}
    try:
        for path in settings.DEMO_LOADERS:
            from django.utils.module_loading import import_string

            import_string(path)()
        partner = actor_for(User.objects.get(email="partner.ch@canal.test"))
        client_id = Organisation.objects.get(name="Bäckerei Seeblick AG").pk
        _token, secret = create_api_token(actor=partner, name="bench", for_self=True)
        http = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="en")
        for name, body in WORKLOADS.items():
            payload = {**body, "customer_id": client_id}

            def post(payload: dict = payload) -> None:
                response = http.post("/api/v1/quotes", payload, content_type="application/json")
                assert response.status_code == 200, response.content

            post()  # warm up: first-request imports and caches
            count, elapsed = _measure(post, seconds)
            figures[f"api_{name}_quotes_per_second"] = round(count / elapsed)
            figures[f"api_{name}_mean_ms"] = round(elapsed / count * 1000, 2)

        offer = selectors.offer_for(partner, "alpenhost-web-hosting")
        configuration = Configuration(product=offer.code, plan="web-hosting", quantity=35)

        def rules_and_price() -> None:
            assert not rules.violations(offer, configuration)
            items = quoting.items_for(offer, configuration, "CHF")
            quoting.price_items(items, currency="CHF", partner_discount_rate=Decimal("0.20"))

        count, elapsed = _measure(rules_and_price, seconds)
        figures["rules_and_engine_quotes_per_second"] = round(count / elapsed)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)
        teardown_test_environment()
    figures["workload"] = (
        "POST /api/v1/quotes with a partner token, Django test client, one process; "
        "hosting: 35 hostings, partner pays (20 % discount, 25 % volume tier); "
        "work management: Business, 40 seats, one add-on, onboarding II"
    )
    return figures
