"""Seeds the HTTP benchmark database named by DATABASE_URL and prints what the clients need, as JSON.

The demo data (for quotes: a Swiss partner quoting 35 hostings for its client), a customer with
BENCH_HTTP_OWN_INVOICES issued invoices among BENCH_HTTP_OTHER_INVOICES of other organisations (for the
invoice list), a seat pool with as many seats as users (for assign + release), and activated license
servers (for appliance heartbeats, bench/licensing_scenario.py). Run by bench_http.py
in a subprocess so its Django settings never mix with another benchmark's.
"""

import json
import os
import sys
from datetime import date
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canal.config.settings")
django.setup()
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from django.conf import settings  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402
from licensing_scenario import seed as seed_licensing  # noqa: E402
from seats_scenario import seed as seed_seats  # noqa: E402

from canal.accounts.actor import actor_for  # noqa: E402
from canal.accounts.models import Membership, Organisation, OrganisationKind, Role, User  # noqa: E402
from canal.accounts.services import create_api_token  # noqa: E402
from canal.billing.models import Invoice, InvoiceStatus  # noqa: E402


def _invoices(organisations: list[Organisation], count: int, first_number: int) -> None:
    Invoice.objects.bulk_create(
        Invoice(
            status=InvoiceStatus.ISSUED,
            organisation=organisations[number % len(organisations)],
            series="B",
            year=2026,
            number=first_number + number,
            code=f"B2026-{first_number + number:07d}",
            currency="EUR",
            issue_date=date(2026, 11, 1),
            due_date=date(2026, 12, 1),
            net=Decimal("100.00"),
            tax=Decimal("21.00"),
            total=Decimal("121.00"),
            buyer_name="Bench buyer",
        )
        for number in range(count)
    )


def seed(own: int, others: int, users: int, servers: int) -> dict:
    for path in settings.DEMO_LOADERS:
        import_string(path)()
    partner = actor_for(User.objects.get(email="partner.ch@canal.test"))
    _token, partner_token = create_api_token(actor=partner, name="bench", for_self=True)
    client_id = Organisation.objects.get(name="Bäckerei Seeblick AG").pk
    strangers = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.CUSTOMER, name=f"Other {i}", country="ES") for i in range(100)
    )
    _invoices(strangers, others // 2, 1)
    customer = Organisation.objects.create(kind=OrganisationKind.CUSTOMER, name="Bench payer", country="ES")
    _invoices([customer], own, others // 2 + 1)
    # Others' invoices are created before and after the customer's, so its rows are neither first nor last.
    _invoices(strangers, others - others // 2, others // 2 + own + 1)
    payer = User.objects.create_user("payer@bench.test", "not-used", full_name="Bench payer")
    Membership.objects.create(user=payer, organisation=customer, role=Role.ADMIN)
    _token, payer_token = create_api_token(actor=actor_for(payer), name="bench", for_self=True)
    seats = seed_seats(users, users)
    licensing = seed_licensing(servers, 0, domain="licensing.bench.test")
    return {
        "quote": {"token": partner_token, "customer_id": client_id},
        "invoices": {"token": payer_token},
        "seats": {
            "token": seats["token"],
            "subscription": seats["subscription"],
            "user_ids": seats["user_ids"],
        },
        "appliance_keys": licensing["keys"],
    }


if __name__ == "__main__":
    print(json.dumps(seed(*(int(argument) for argument in sys.argv[1:5]))))
