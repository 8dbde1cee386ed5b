"""Buying seat licenses (R3.4, R3.8) and the end of the cycle (R3.7, R3.9), through billing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from canal.billing.models import Invoice, InvoiceStatus
from canal.billing.tests.helpers import fund_wallet, wallet_of
from canal.core.errors import RuleViolation
from canal.subscriptions import seats
from canal.subscriptions.seat_billing import bill_next_cycle_for, buy_seats
from canal.subscriptions.tests.factories import crm_with_seats

MID_CYCLE = date(2026, 11, 16)  # the cycle runs 2026-11-01 to 2026-12-01: 15 of 30 days are left


@pytest.fixture
def crm(db):
    crm = crm_with_seats({"base": 3, "voip": 1, "messaging": 0, "gsm": 0}, minimums={"base": 2})
    bill_next_cycle_for(crm.subscription)
    return crm


def buy(crm, key: str = "k1", **quantities: int):
    return buy_seats(
        actor=crm.admin,
        subscription_id=crm.subscription.pk,
        quantities=quantities,
        today=MID_CYCLE,
        idempotency_key=key,
    )


def test_r3_4_buying_charges_issues_the_invoice_and_adds_the_licenses_at_once(crm):
    fund_wallet(crm.customer, "100.00")

    buy(crm, base=2)

    invoice = Invoice.objects.get(organisation=crm.customer)
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.net == Decimal("30.00")
    assert wallet_of(crm.customer) == Decimal("100.00") - invoice.total
    assert crm.pool("base").total == 5
    seats.assign_seat(actor=crm.admin, pool=crm.pool("base"), user=crm.new_user("new@norte.test"))


def test_r3_8_the_invoice_line_keeps_the_proration_step(crm):
    fund_wallet(crm.customer, "100.00")

    buy(crm, voip=1)

    line = Invoice.objects.get(organisation=crm.customer).lines.get()
    assert line.net_amount == Decimal("6.00")  # 12.00 a cycle, 15 of 30 days left
    assert [step["kind"] for step in line.steps][-1] == "proration"
    assert line.steps[-1]["label"].startswith("15/30")


def test_r3_4_without_enough_money_nothing_is_bought(crm):
    fund_wallet(crm.customer, "5.00")

    with pytest.raises(RuleViolation):
        buy(crm, base=1)

    assert crm.pool("base").total == 3
    assert not Invoice.objects.filter(organisation=crm.customer).exists()
    assert wallet_of(crm.customer) == Decimal("5.00")


def test_r3_4_a_retried_purchase_with_the_same_key_buys_once(crm):
    fund_wallet(crm.customer, "100.00")

    buy(crm, key="same", base=1)
    buy(crm, key="same", base=1)

    assert crm.pool("base").total == 4
    assert Invoice.objects.filter(organisation=crm.customer).count() == 1


def test_r3_7_the_cycle_end_removes_free_licenses_above_the_minimum_and_bills_the_rest(crm):
    for email in ("ana@norte.test",):
        seats.assign_seat(actor=crm.admin, pool=crm.pool("base"), user=crm.new_user(email))
    fund_wallet(crm.customer, "500.00")

    call_command("billing-run", "--date", "2026-12-01", "--no-progress")

    assert crm.pool("base").total == 2  # 1 assigned, contract minimum 2: the third goes
    assert crm.pool("voip").total == 0  # free, no minimum
    renewal = Invoice.objects.get(organisation=crm.customer)
    assert [(line.code, line.quantity, line.net_amount) for line in renewal.lines.all()] == [
        ("base", 2, Decimal("60.00"))
    ]
    crm.subscription.refresh_from_db()
    assert (crm.subscription.term_start, crm.subscription.term_end) == (date(2026, 12, 1), date(2027, 1, 1))


def test_r3_9_a_license_bought_by_mistake_is_kept_until_the_cycle_ends_and_never_refunded(crm):
    fund_wallet(crm.customer, "500.00")
    buy(crm, voip=1)
    assert crm.pool("voip").total == 2

    call_command("billing-run", "--date", "2026-12-01", "--no-progress")

    assert crm.pool("voip").total == 0
    assert not Invoice.objects.filter(organisation=crm.customer, kind="credit_note").exists()
    purchase = Invoice.objects.filter(organisation=crm.customer).order_by("id").first()
    assert purchase.status == InvoiceStatus.PAID
    assert purchase.amount_credited == 0


def test_r3_7_the_run_twice_renews_once(crm):
    fund_wallet(crm.customer, "500.00")

    call_command("billing-run", "--date", "2026-12-01", "--no-progress")
    call_command("billing-run", "--date", "2026-12-01", "--no-progress")

    assert Invoice.objects.filter(organisation=crm.customer).count() == 1


def test_the_buy_page_buys_and_comes_back_to_the_summary(crm, portal_login):
    import time_machine

    fund_wallet(crm.customer, "100.00")
    client = portal_login(crm.admin.user)

    with time_machine.travel(MID_CYCLE):
        response = client.post(
            f"/licenses/{crm.subscription.pk}/buy/",
            {"base": "1", "buy": "1", "idempotency_key": "page-key"},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == 302
    assert response["Location"] == f"/licenses/{crm.subscription.pk}/"
    assert crm.pool("base").total == 4


def test_r3_4_a_plain_member_may_not_buy_licenses(crm):
    from canal.accounts.actor import actor_for
    from canal.core.errors import PermissionDenied

    fund_wallet(crm.customer, "100.00")
    member = actor_for(crm.new_user("member@norte.test"))

    with pytest.raises(PermissionDenied):
        buy_seats(
            actor=member,
            subscription_id=crm.subscription.pk,
            quantities={"base": 1},
            today=MID_CYCLE,
            idempotency_key="member",
        )

    assert crm.pool("base").total == 3
    assert wallet_of(crm.customer) == Decimal("100.00")


def test_r3_4_the_buy_page_says_the_exact_amount_and_wallet_before_buying(crm, portal_login):
    import time_machine

    fund_wallet(crm.customer, "100.00")
    crm.admin.user.language = "en"
    crm.admin.user.save(update_fields=["language"])
    client = portal_login(crm.admin.user)

    with time_machine.travel(MID_CYCLE):
        page = client.get(f"/licenses/{crm.subscription.pk}/buy/", {"base": "1"}).content.decode()
        buy(crm, key="real", base=1)

    # The preview took nothing; the real purchase takes exactly what it announced.
    taken = Decimal("100.00") - wallet_of(crm.customer)
    assert f"Buy for €{taken:,.2f}" in page
    assert crm.customer.name in page
    assert Invoice.objects.filter(organisation=crm.customer).count() == 1
