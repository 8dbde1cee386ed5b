"""R3.3 under load: a hundred requests race for the last seats; exactly the free ones succeed."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from canal.core.errors import RuleViolation
from canal.subscriptions import seats
from canal.subscriptions.models import SeatAssignment
from canal.subscriptions.tests.factories import crm_with_seats


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r3_3_a_hundred_parallel_assignments_never_oversell(postgres_only):
    crm = crm_with_seats({"base": 7})
    users = [crm.new_user(f"user{number}@norte.test") for number in range(100)]

    def assign(user) -> str:
        try:
            seats.assign_seat(actor=crm.admin, pool=crm.pool("base"), user=user)
            return "assigned"
        except RuleViolation as refusal:
            return refusal.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(assign, users))

    assert outcomes.count("assigned") == 7
    assert outcomes.count("no_free_license") == 93
    assert SeatAssignment.objects.filter(pool__license_type__code="base").count() == 7
    assert crm.pool("base").assigned == 7


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r3_4_parallel_retries_of_one_purchase_buy_once(postgres_only):
    from datetime import date
    from decimal import Decimal

    from canal.billing.models import Invoice
    from canal.billing.tests.helpers import fund_wallet, wallet_of
    from canal.subscriptions.seat_billing import bill_next_cycle_for, buy_seats

    crm = crm_with_seats({"base": 1})
    bill_next_cycle_for(crm.subscription)
    fund_wallet(crm.customer, "1000.00")

    def retry(_: int) -> None:
        try:
            buy_seats(
                actor=crm.admin,
                subscription_id=crm.subscription.pk,
                quantities={"base": 3},
                today=date(2026, 11, 16),
                idempotency_key="one-purchase",
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(retry, range(8)))

    assert crm.pool("base").total == 4
    assert Invoice.objects.filter(organisation=crm.customer).count() == 1
    assert (
        wallet_of(crm.customer) == Decimal("1000.00") - Invoice.objects.get(organisation=crm.customer).total
    )
