"""Seeds the license-server benchmark database named by DATABASE_URL and prints JSON: SERVERS activated
appliances with their keys, and a vendor with seat licenses held by USERS users, with the vendor's token.

Run by bench_licensing.py in a subprocess so that its Django settings never mix with another benchmark's.
"""

import json
import os
import sys
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canal.config.settings")
django.setup()

from canal.accounts.actor import actor_for  # noqa: E402
from canal.accounts.models import Membership, Organisation, OrganisationKind, Role, User  # noqa: E402
from canal.accounts.services import create_api_token  # noqa: E402
from canal.catalog.models import BillingUnit, LicenseType, Product, ProductKind  # noqa: E402
from canal.licensing import appliance, services  # noqa: E402
from canal.licensing.models import Server  # noqa: E402
from canal.subscriptions.models import SeatAssignment, SeatPool, Subscription  # noqa: E402


def seed(servers: int, users: int, domain: str = "bench.test") -> dict:
    """`domain` names the users' e-mail domain (and its first label the product codes), so another
    scenario can share the database."""
    prefix = domain.split(".")[0]
    vendor = Organisation.objects.create(kind=OrganisationKind.VENDOR, name="Bench Networks", country="ES")
    customer = Organisation.objects.create(kind=OrganisationKind.CUSTOMER, name="Bench hotel", country="ES")
    admin = User.objects.create_user(f"admin@{domain}", "not-used", full_name="Bench admin")
    Membership.objects.create(user=admin, organisation=customer, role=Role.ADMIN)
    vendor_admin = User.objects.create_user(f"vendor@{domain}", "not-used", full_name="Bench vendor")
    Membership.objects.create(user=vendor_admin, organisation=vendor, role=Role.ADMIN)
    box = Product.objects.create(
        vendor=vendor,
        code=f"{prefix}-box",
        name="Bench box",
        kind=ProductKind.ON_PREMISE_LICENSE,
        unit=BillingUnit.SEAT,
    )
    today = date.today()
    keys = []
    for number in range(servers):
        subscription = Subscription.objects.create(
            customer=customer,
            payer=customer,
            product=box,
            quantity=250,
            currency="USD",
            term_start=today,
            term_end=today + timedelta(days=365),
            name=f"server{number}",
        )
        _key, plaintext = services.issue_activation_key(actor=actor_for(admin), server_id=subscription.pk)
        appliance.activate(
            server=Server.objects.get(pk=subscription.pk), hardware_code=f"BENCH-BOARD-{number:04d}"
        )
        keys.append(plaintext)
    crm = Product.objects.create(
        vendor=vendor,
        code=f"{prefix}-crm",
        name="Bench CRM",
        kind=ProductKind.SEAT_LICENSES,
        unit=BillingUnit.SEAT,
    )
    base = LicenseType.objects.create(product=crm, code="base", name="Base")
    voip = LicenseType.objects.create(product=crm, code="voip", name="VoIP", position=1)
    seats = Subscription.objects.create(
        customer=customer,
        payer=customer,
        product=crm,
        currency="EUR",
        term_start=today,
        term_end=today + timedelta(days=30),
    )
    pools = [
        SeatPool.objects.create(subscription=seats, license_type=kind, total=users, assigned=users)
        for kind in (base, voip)
    ]
    people = User.objects.bulk_create(
        User(email=f"user{number}@{domain}", full_name=f"User {number}", password="!")
        for number in range(users)
    )
    # Every other user also holds VoIP; the rest hold Base only.
    SeatAssignment.objects.bulk_create(SeatAssignment(pool=pools[0], user=person) for person in people)
    SeatAssignment.objects.bulk_create(SeatAssignment(pool=pools[1], user=person) for person in people[::2])
    _token, token = create_api_token(actor=actor_for(vendor_admin), name="bench", for_self=True)
    return {"keys": keys, "vendor_token": token, "emails": [person.email for person in people]}


if __name__ == "__main__":
    print(json.dumps(seed(int(sys.argv[1]), int(sys.argv[2]))))
