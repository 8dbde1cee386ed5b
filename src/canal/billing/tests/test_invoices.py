from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from canal.accounts.models import OrganisationKind, PaymentMode
from canal.accounts.services import link_client
from canal.accounts.tests.factories import OrganisationFactory
from canal.billing import invoicing
from canal.billing.ledger import InsufficientBalance
from canal.billing.models import Invoice, InvoiceLine, InvoiceStatus, TaxRate
from canal.billing.services import issue_credit_note
from canal.billing.taxes import TaxRule, tax_treatment, totals
from canal.billing.tests.helpers import DAY, charge, fund_wallet, issued_invoice, spanish_vat, wallet_of
from canal.core.errors import Conflict, NotFound
from canal.core.money import Money


def test_invoices_are_numbered_one_after_another_per_series_and_year(customer):
    first = issued_invoice(customer.organisation)
    second = issued_invoice(customer.organisation)
    next_year = invoicing.create_and_issue(
        actor=None, payer=customer.organisation, charges=[charge()], issue_date=date(2027, 1, 2)
    )

    assert (first.code, second.code, next_year.code) == ("F2026-000001", "F2026-000002", "F2027-000001")


def test_credit_notes_have_their_own_series(customer, operator):
    invoice = issued_invoice(customer.organisation)

    note = issue_credit_note(actor=operator, invoice_id=invoice.pk, reason="Wrong quantity", issue_date=DAY)

    assert note.code == "R2026-000001"
    assert note.credited_invoice_id == invoice.pk


def test_a_failed_purchase_leaves_no_gap_in_the_numbers(customer):
    first = issued_invoice(customer.organisation)
    with pytest.raises(InsufficientBalance):  # the wallet is empty: the whole purchase rolls back
        issued_invoice(customer.organisation, pay_with="wallet")
    second = issued_invoice(customer.organisation)

    assert (first.number, second.number) == (1, 2)
    assert Invoice.objects.count() == 2


def test_invoice_totals_equal_the_sum_of_the_rounded_lines(customer):
    spanish_vat()
    invoice = issued_invoice(customer.organisation, "10.05", "0.33", "19.99")

    lines = list(invoice.lines.all())
    assert invoice.net == sum(line.net_amount for line in lines)
    assert (
        invoice.tax
        == sum(line.tax_amount for line in lines)
        == Decimal("2.11") + Decimal("0.07") + Decimal("4.20")
    )
    assert invoice.total == sum(line.total_amount for line in lines)


@given(st.lists(st.decimals(min_value=0, max_value=100000, places=2), min_size=1, max_size=20))
def test_totals_are_sums_of_rounded_lines_for_any_lines(amounts):
    rate = Decimal("0.21")
    lines = [(Money(amount, "EUR"), (Money(amount, "EUR") * rate).quantize()) for amount in amounts]

    result = totals(lines, "EUR")

    assert result.total.amount == sum(net.amount + tax.amount for net, tax in lines)
    assert result.total == result.total.quantize()


def test_reverse_charge_applies_to_businesses_abroad_where_configured():
    rule = TaxRule(country="DE", name="MwSt.", rate=Decimal("0.19"), reverse_charge_for_business=True)

    business = tax_treatment(seller_country="ES", buyer_country="DE", buyer_is_business=True, rule=rule)
    consumer = tax_treatment(seller_country="ES", buyer_country="DE", buyer_is_business=False, rule=rule)
    domestic = tax_treatment(seller_country="DE", buyer_country="DE", buyer_is_business=True, rule=rule)

    assert (business.rate, business.reverse_charge) == (Decimal(0), True)
    assert (consumer.rate, consumer.reverse_charge) == (Decimal("0.19"), False)
    assert (domestic.rate, domestic.reverse_charge) == (Decimal("0.19"), False)


def test_an_invoice_to_a_business_abroad_shows_the_reverse_charge(db):
    TaxRate.objects.create(country="DE", name="MwSt.", rate=Decimal("0.19"), reverse_charge_for_business=True)
    buyer = OrganisationFactory(country="DE", legal_id="DE123456789")

    invoice = issued_invoice(buyer, "100.00")

    assert (invoice.tax, invoice.total, invoice.reverse_charge) == (0, Decimal("100.00"), True)


def test_issuing_freezes_buyer_and_seller(customer, operator):
    invoice = issued_invoice(customer.organisation)

    assert invoice.buyer_name == customer.organisation.name
    assert invoice.seller_name == operator.organisation.name
    assert invoice.status == InvoiceStatus.ISSUED


@pytest.mark.parametrize("payment_mode", [PaymentMode.CUSTOMER, PaymentMode.PARTNER])
def test_r4_10_an_invoice_is_read_only_in_the_organisation_that_paid_it(
    api_as, partner, customer, payment_mode
):
    link_client(
        actor=None, partner=partner.organisation, client=customer.organisation, payment_mode=payment_mode
    )
    paid_by_client = issued_invoice(customer.organisation, "100.00")
    paid_by_partner = invoicing.create_and_issue(
        actor=None,
        payer=partner.organisation,
        charges=[charge("Hosting", "30.00", beneficiary=customer.organisation)],
        issue_date=DAY,
        customer=customer.organisation,
    )
    as_partner, as_client = api_as(partner), api_as(customer)

    # The partner holds full access, and still has no access to what its client paid, and vice versa.
    assert as_partner.get(f"/billing/invoices/{paid_by_client.pk}").status_code == 404
    assert as_partner.get(f"/billing/invoices/{paid_by_client.pk}/pdf").status_code == 404
    assert as_client.get(f"/billing/invoices/{paid_by_partner.pk}").status_code == 404
    assert as_partner.get(f"/billing/invoices/{paid_by_partner.pk}").status_code == 200
    assert as_client.get(f"/billing/invoices/{paid_by_client.pk}").status_code == 200
    assert [row["code"] for row in as_partner.get("/billing/invoices").json()["results"]] == [
        paid_by_partner.code
    ]
    assert [row["code"] for row in as_client.get("/billing/invoices").json()["results"]] == [
        paid_by_client.code
    ]


def test_r4_10_a_partner_with_full_access_does_not_see_its_clients_payments(api_as, partner, customer):
    link_client(actor=None, partner=partner.organisation, client=customer.organisation)
    fund_wallet(customer.organisation, "100.00")
    invoice = issued_invoice(customer.organisation, "40.00", pay_with="wallet")

    listed = api_as(partner).get("/billing/payments").json()["results"]

    assert invoice.payments.exists()
    assert listed == []


def test_the_service_refuses_to_issue_an_issued_invoice_again(customer):
    invoice = issued_invoice(customer.organisation)

    with pytest.raises(Conflict) as refused:
        invoicing.issue(actor=None, invoice=invoice, issue_date=DAY)

    assert "credit note" in str(refused.value.message)


def test_the_database_refuses_changes_to_an_issued_invoice(customer):
    invoice = issued_invoice(customer.organisation)

    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(total=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(invoice=invoice).update(net_amount=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.create(
            invoice=invoice,
            position=9,
            description="sneaked in",
            quantity=1,
            unit_price=1,
            net_amount=1,
            total_amount=1,
        )

    invoice.refresh_from_db()
    assert invoice.total == Decimal("100.00")


def test_a_draft_can_still_change(customer):
    draft = invoicing.create_draft(actor=None, payer=customer.organisation, charges=[charge()])

    Invoice.objects.filter(pk=draft.pk).update(reference="PO-1")

    draft.refresh_from_db()
    assert draft.reference == "PO-1"


def test_a_credit_note_cancels_what_is_unpaid_and_voids_the_invoice(customer, operator):
    invoice = issued_invoice(customer.organisation, "80.00")

    note = issue_credit_note(
        actor=operator, invoice_id=invoice.pk, reason="Ordered by mistake", issue_date=DAY
    )

    invoice.refresh_from_db()
    assert note.total == Decimal("-80.00")
    assert invoice.status == InvoiceStatus.VOID
    assert invoice.amount_due == 0


def test_a_credit_note_on_a_paid_invoice_returns_the_money_to_the_wallet(customer, operator):
    fund_wallet(customer.organisation, "100.00")
    invoice = issued_invoice(customer.organisation, "40.00", "60.00", pay_with="wallet")

    issue_credit_note(
        actor=operator, invoice_id=invoice.pk, reason="Line 2 was wrong", line_positions=[2], issue_date=DAY
    )

    invoice.refresh_from_db()
    assert wallet_of(customer.organisation) == Decimal("60.00")
    assert invoice.status == InvoiceStatus.PAID


def test_a_line_is_credited_only_once(customer, operator):
    invoice = issued_invoice(customer.organisation, "40.00", "60.00")
    issue_credit_note(
        actor=operator, invoice_id=invoice.pk, reason="Line 1", line_positions=[1], issue_date=DAY
    )

    with pytest.raises(Conflict):
        issue_credit_note(
            actor=operator, invoice_id=invoice.pk, reason="Again", line_positions=[1], issue_date=DAY
        )


def test_only_operator_staff_issue_credit_notes(customer):
    invoice = issued_invoice(customer.organisation)

    with pytest.raises(NotFound):
        issue_credit_note(actor=customer, invoice_id=invoice.pk, reason="I want my money back")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_invoicing_on_postgres_gives_no_duplicate_and_no_missing_number(make_actor, postgres_only):
    payers = [make_actor(OrganisationKind.CUSTOMER).organisation for _ in range(4)]

    def invoice(index: int) -> int:
        try:
            return issued_invoice(payers[index % 4]).number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(invoice, range(40)))

    assert sorted(numbers) == list(range(1, 41))
    assert Invoice.objects.filter(series="F", year=2026).count() == 40
