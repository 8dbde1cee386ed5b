"""Seeds (`seed`) or checks (`check`) the seat benchmark database named by DATABASE_URL; prints JSON.

Run by bench_seats.py in a subprocess so that its Django settings never mix with another benchmark's.
"""

import json
import os
import sys
from datetime import date

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canal.config.settings")
django.setup()

from canal.accounts.actor import actor_for  # noqa: E402
from canal.accounts.models import Membership, Organisation, OrganisationKind, Role, User  # noqa: E402
from canal.accounts.services import create_api_token  # noqa: E402
from canal.catalog.models import BillingUnit, LicenseType, Product, ProductKind  # noqa: E402
from canal.subscriptions.models import SeatAssignment, SeatPool, Subscription  # noqa: E402


def seed(seats: int, users: int) -> dict:
    vendor = Organisation.objects.create(kind=OrganisationKind.VENDOR, name="Bench CRM", country="ES")
    customer = Organisation.objects.create(
        kind=OrganisationKind.CUSTOMER, name="Bench customer", country="ES"
    )
    admin = User.objects.create_user("admin@bench.test", "not-used", full_name="Bench admin")
    Membership.objects.create(user=admin, organisation=customer, role=Role.ADMIN)
    product = Product.objects.create(
        vendor=vendor,
        code="bench-crm",
        name="Bench CRM",
        kind=ProductKind.SEAT_LICENSES,
        unit=BillingUnit.SEAT,
    )
    license_type = LicenseType.objects.create(product=product, code="base", name="Base")
    subscription = Subscription.objects.create(
        customer=customer,
        payer=customer,
        product=product,
        currency="EUR",
        term_start=date(2026, 11, 1),
        term_end=date(2026, 12, 1),
    )
    SeatPool.objects.create(subscription=subscription, license_type=license_type, total=seats)
    people = User.objects.bulk_create(
        User(email=f"user{number}@bench.test", full_name=f"User {number}", password="!")
        for number in range(users)
    )
    Membership.objects.bulk_create(
        Membership(user=person, organisation=customer, role=Role.MEMBER) for person in people
    )
    _token, plaintext = create_api_token(actor=actor_for(admin), name="bench", for_self=True)
    return {"token": plaintext, "subscription": subscription.pk, "user_ids": [person.pk for person in people]}


def check() -> dict:
    pool = SeatPool.objects.get()
    held = SeatAssignment.objects.filter(pool=pool).count()
    return {
        "total": pool.total,
        "assigned": pool.assigned,
        "assignments": held,
        "oversold": max(0, held - pool.total),
    }


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        print(json.dumps(seed(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        print(json.dumps(check()))
