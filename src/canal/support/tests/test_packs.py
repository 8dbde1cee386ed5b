"""R2.13: Savings 200, Basic 100, Mini 50 credits, bought through the normal checkout; the credits arrive
when the invoice is paid (for a transfer: when it is confirmed), exactly once, through the ledger."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from canal.accounts.models import OrganisationKind, Role
from canal.billing import services as billing
from canal.billing.models import InvoiceStatus, JournalEntry
from canal.billing.selectors import support_credit_balance
from canal.billing.tests.helpers import PNG, fund_wallet
from canal.core.errors import RuleViolation
from canal.support import packs
from canal.support.models import PackPurchase, PackPurchaseStatus


def _pack_entries(purchase: PackPurchase) -> int:
    return JournalEntry.objects.filter(document_type="support.pack", document_id=str(purchase.pk)).count()


def test_r2_13_the_three_packs_and_their_prices(desk, api_as):
    answer = api_as(desk.customer).get("/support/packs")
    shown = {pack["code"]: (pack["credits"], pack["total"], pack["currency"]) for pack in answer.json()}
    assert shown == {
        "savings": (200, "800.00", "USD"),
        "basic": (100, "450.00", "USD"),
        "mini": (50, "250.00", "USD"),
    }


def test_r2_13_a_pack_paid_by_card_credits_at_once_and_only_once(desk, api_as):
    api = api_as(desk.customer)
    body = {"pay_with": "card", "card_token": "tok_visa"}

    first = api.post(
        f"/support/packs/{desk.pack('basic').pk}/purchases", body, **{"Idempotency-Key": "buy-1"}
    )
    replay = api.post(
        f"/support/packs/{desk.pack('basic').pk}/purchases", body, **{"Idempotency-Key": "buy-1"}
    )
    packs.credit_paid_packs()

    assert first.status_code == 201, first.content
    assert first.json()["status"] == PackPurchaseStatus.CREDITED
    assert replay.json() == first.json()
    assert PackPurchase.objects.count() == 1
    assert support_credit_balance(desk.customer.organisation) == 100
    assert _pack_entries(PackPurchase.objects.get()) == 1


def test_r2_13_a_pack_paid_from_the_wallet_credits_at_once(desk):
    fund_wallet(desk.customer.organisation, "300.00", "USD")
    purchase = packs.buy_pack(actor=desk.customer, pack_id=desk.pack("mini").pk, pay_with="wallet")
    assert purchase.status == PackPurchaseStatus.CREDITED
    assert support_credit_balance(desk.customer.organisation) == 50


def test_r2_13_a_declined_card_buys_nothing(desk):
    with pytest.raises(RuleViolation):
        packs.buy_pack(
            actor=desk.customer, pack_id=desk.pack().pk, pay_with="card", card_token="tok_declined"
        )
    assert not PackPurchase.objects.exists()
    assert support_credit_balance(desk.customer.organisation) == 0


def test_r2_13_a_pack_paid_by_bank_transfer_credits_only_on_confirmation_and_only_once(desk, make_actor):
    purchase = packs.buy_pack(actor=desk.customer, pack_id=desk.pack("savings").pk, pay_with="bank_transfer")
    assert purchase.status == PackPurchaseStatus.AWAITING_PAYMENT
    receipt = SimpleUploadedFile("receipt.png", PNG, content_type="image/png")
    payment = billing.notify_bank_transfer(
        actor=desk.customer, invoice_id=purchase.invoice_id, amount=None, receipt=receipt
    )

    packs.credit_paid_packs()  # notified, not confirmed: nothing yet
    assert support_credit_balance(desk.customer.organisation) == 0

    operator = make_actor(OrganisationKind.OPERATOR, Role.BILLING)
    billing.confirm_payment(actor=operator, payment_id=payment.pk)
    assert packs.credit_paid_packs() == 1
    assert packs.credit_paid_packs() == 0

    purchase.refresh_from_db()
    assert purchase.invoice.status == InvoiceStatus.PAID
    assert purchase.status == PackPurchaseStatus.CREDITED
    assert support_credit_balance(desk.customer.organisation) == 200
    assert _pack_entries(purchase) == 1


def test_r2_13_a_pack_whose_invoice_is_voided_is_cancelled_without_credits(desk, make_actor):
    purchase = packs.buy_pack(actor=desk.customer, pack_id=desk.pack("mini").pk, pay_with="bank_transfer")
    operator = make_actor(OrganisationKind.OPERATOR, Role.BILLING)
    billing.issue_credit_note(actor=operator, invoice_id=purchase.invoice_id, reason="Ordered by mistake")

    packs.credit_paid_packs()

    purchase.refresh_from_db()
    assert purchase.status == PackPurchaseStatus.CANCELLED
    assert support_credit_balance(desk.customer.organisation) == 0


def test_r2_13_the_pack_invoice_line_keeps_its_breakdown(desk):
    purchase = packs.buy_pack(
        actor=desk.customer, pack_id=desk.pack("mini").pk, pay_with="card", card_token="tok_visa"
    )
    line = purchase.invoice.lines.get()
    assert line.net_amount == Decimal("250.00")
    assert line.steps
    assert "Mini Pack" in line.description


def test_r2_13_only_customers_paying_staff_buy_packs_and_others_get_404(desk, api_as, make_actor):
    member = make_actor(OrganisationKind.CUSTOMER, Role.MEMBER)
    body = {"pay_with": "card", "card_token": "tok_visa"}
    for actor in (desk.agent, desk.vendor_agent, member):
        answer = api_as(actor).post(f"/support/packs/{desk.pack().pk}/purchases", body)
        assert answer.status_code == 404
        assert "legal representative" in answer.json()["message"]
    assert not PackPurchase.objects.exists()


def test_r2_13_support_staff_see_the_packs_and_their_prices_too(desk, api_as):
    answer = api_as(desk.agent).get("/support/packs")
    assert answer.status_code == 200
    assert {pack["credits"] for pack in answer.json()} == {200, 100, 50}
