"""Demo seat licenses (R3): Agencia Norte's Clientia CRM subscription with pools and assigned users."""

from django.utils import timezone

from canal.accounts.actor import actor_for
from canal.accounts.models import Organisation, Role, User
from canal.accounts.services import add_member
from canal.billing.periods import add_months
from canal.catalog.models import Product
from canal.subscriptions import seats
from canal.subscriptions.models import SeatPool, Subscription
from canal.subscriptions.seat_billing import bill_next_cycle_for

# license type: (total, contract minimum, users holding it)
POOLS = {
    "base": (5, 3, ["crm@canal.test", "user@canal.test", "lucia@norte.test", "mateo@norte.test"]),
    "voip": (2, 1, ["crm@canal.test", "lucia@norte.test"]),
    "messaging": (2, 0, ["user@canal.test"]),
    "gsm": (1, 0, ["mateo@norte.test"]),
}
NEW_USERS = [
    ("lucia@norte.test", "Lucía Ramos"),
    ("mateo@norte.test", "Mateo Gil"),
    ("sara@norte.test", "Sara Vidal"),
]


def load() -> None:
    customer = Organisation.objects.get(name="Agencia Norte Marketing S.L.")
    for email, name in NEW_USERS:
        add_member(
            actor=None, organisation=customer, email=email, role=Role.MEMBER, full_name=name, language="es"
        )
    today = timezone.localdate()
    product = Product.objects.get(code="clientia-crm")
    subscription = Subscription.objects.create(
        customer=customer,
        payer=customer,
        product=product,
        plan=product.plans.get(code="crm"),
        currency="EUR",
        term_start=today.replace(day=1),
        term_end=add_months(today.replace(day=1), 1),
        contract_id="NORTE-CRM-2026",
    )
    admin = actor_for(User.objects.get(email="crm@canal.test"), customer.pk)
    for license_type in subscription.product.license_types.all():
        total, minimum, holders = POOLS[license_type.code]
        pool = SeatPool.objects.create(
            subscription=subscription, license_type=license_type, total=total, contract_minimum=minimum
        )
        seats.record_counts(pool, "opened")
        for email in holders:
            seats.assign_seat(actor=admin, pool=pool, user=User.objects.get(email=email))
    bill_next_cycle_for(subscription)
