from decimal import Decimal

import pytest
from django.db import transaction

from canal.accounts.tests.factories import OrganisationFactory
from canal.billing.ledger import InsufficientBalance
from canal.billing.models import Invoice, InvoiceStatus, JournalEntry, PaymentStatus
from canal.billing.services import charge_card_intent, invoice_and_charge
from canal.billing.tests.helpers import DAY, charge, fund_wallet, wallet_of


def test_r3_4_buying_charges_the_wallet_and_issues_the_invoice_at_once(db):
    payer = OrganisationFactory()
    fund_wallet(payer, "100.00")

    result = invoice_and_charge(
        actor=None, payer=payer, charges=[charge("2 CRM licenses", "60.00", 2)], issue_date=DAY
    )

    assert result.invoice.status == InvoiceStatus.PAID
    assert result.invoice.code == "F2026-000001"
    assert result.payment.amount == Decimal("60.00")
    assert wallet_of(payer) == Decimal("40.00")


def test_r3_4_without_enough_money_the_callers_writes_roll_back_with_the_invoice(db):
    payer = OrganisationFactory()
    fund_wallet(payer, "10.00")

    def buy() -> None:
        with transaction.atomic():
            OrganisationFactory(name="written by the caller")
            invoice_and_charge(actor=None, payer=payer, charges=[charge(amount="60.00")], issue_date=DAY)

    with pytest.raises(InsufficientBalance):
        buy()

    assert not Invoice.objects.exists()
    assert not OrganisationFactory._meta.model.objects.filter(name="written by the caller").exists()
    assert wallet_of(payer) == Decimal("10.00")


def test_r3_4_by_card_only_an_intent_is_recorded_and_a_decline_moves_no_money(db):
    # The card is charged after the purchase committed (charge_card_intent), never inside it.
    payer = OrganisationFactory()

    result = invoice_and_charge(
        actor=None,
        payer=payer,
        charges=[charge()],
        issue_date=DAY,
        pay_with="card",
        card_token="tok_declined",
    )
    assert result.invoice.status == InvoiceStatus.ISSUED
    assert result.payment.status == PaymentStatus.PENDING

    declined = charge_card_intent(payment_id=result.payment.pk, actor=None)

    result.invoice.refresh_from_db()
    assert declined.status == PaymentStatus.FAILED
    assert result.invoice.status == InvoiceStatus.ISSUED
    assert result.invoice.amount_paid == 0
    assert not JournalEntry.objects.filter(payment=declined).exists()


def test_a_purchase_retried_with_its_origin_key_is_invoiced_once(db):
    payer = OrganisationFactory()
    fund_wallet(payer, "500.00")

    first = invoice_and_charge(
        actor=None, payer=payer, charges=[charge()], issue_date=DAY, origin_key="seats:abc"
    )
    again = invoice_and_charge(
        actor=None, payer=payer, charges=[charge()], issue_date=DAY, origin_key="seats:abc"
    )

    assert again.invoice.pk == first.invoice.pk
    assert Invoice.objects.count() == 1
    assert wallet_of(payer) == Decimal("400.00")


def test_the_same_origin_key_at_another_payer_is_another_purchase(db):
    first_payer, second_payer = OrganisationFactory(), OrganisationFactory()
    fund_wallet(first_payer, "500.00")
    fund_wallet(second_payer, "500.00")

    first = invoice_and_charge(
        actor=None, payer=first_payer, charges=[charge()], issue_date=DAY, origin_key="order:1"
    )
    second = invoice_and_charge(
        actor=None, payer=second_payer, charges=[charge()], issue_date=DAY, origin_key="order:1"
    )

    assert first.invoice.pk != second.invoice.pk
    assert second.invoice.organisation == second_payer
    assert wallet_of(second_payer) == Decimal("400.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_retries_with_one_origin_key_invoice_once(postgres_only):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    payer = OrganisationFactory()
    fund_wallet(payer, "1000.00")

    def buy(_: int) -> int:
        try:
            with transaction.atomic():
                return invoice_and_charge(
                    actor=None, payer=payer, charges=[charge()], issue_date=DAY, origin_key="seats:parallel"
                ).invoice.pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        invoices = list(pool.map(buy, range(12)))

    assert len(set(invoices)) == 1
    assert Invoice.objects.filter(organisation=payer).count() == 1
    assert wallet_of(payer) == Decimal("900.00")
