import csv
from decimal import Decimal
from io import StringIO

import pytest

from canal.accounts.models import OrganisationKind, PaymentMode
from canal.accounts.services import link_client
from canal.accounts.tests.factories import OrganisationFactory
from canal.billing import exports, invoicing
from canal.billing.tests.helpers import DAY, charge, issued_invoice
from canal.core.errors import NotFound


def rows(chunks) -> list[dict[str, str]]:
    return list(csv.DictReader(StringIO("".join(chunks))))


def test_r4_10_r4_11_a_partner_exports_one_clients_billing_without_the_invoices_the_client_paid(partner):
    client = OrganisationFactory(kind=OrganisationKind.CUSTOMER, name="Client A")
    other = OrganisationFactory(kind=OrganisationKind.CUSTOMER, name="Client B")
    link_client(actor=None, partner=partner.organisation, client=client)
    link_client(actor=None, partner=partner.organisation, client=other, payment_mode=PaymentMode.PARTNER)
    paid_by_client = issued_invoice(client, "100.00")
    issued_invoice(other, "70.00")
    paid_by_partner = invoicing.create_and_issue(
        actor=None,
        payer=partner.organisation,
        charges=[charge("For A", "30.00", beneficiary=client), charge("For B", "40.00", beneficiary=other)],
        issue_date=DAY,
    )

    invoices = rows(exports.invoices_csv(partner, client_id=client.pk))
    lines = rows(exports.invoice_lines_csv(partner, client_id=client.pk))
    payments = rows(exports.payments_csv(partner, client_id=client.pk))

    # R4.10: the invoice the client paid is the client's alone, even under full access.
    assert [row["number"] for row in invoices] == [paid_by_partner.code]
    assert paid_by_client.code not in {row["invoice"] for row in payments}
    assert {row["description"] for row in lines} == {"For A"}


def test_a_partner_cannot_export_an_organisation_it_does_not_manage(partner):
    stranger = OrganisationFactory()
    issued_invoice(stranger)

    with pytest.raises(NotFound):
        exports.invoices_csv(partner, client_id=stranger.pk)


def test_an_organisation_exports_its_invoices_lines_and_payments(customer, make_actor):
    mine = issued_invoice(customer.organisation, "10.00", "20.00")
    issued_invoice(make_actor(OrganisationKind.CUSTOMER).organisation)

    invoices = rows(exports.invoices_csv(customer, organisation_id=customer.organisation.pk))
    lines = rows(exports.invoice_lines_csv(customer))
    payments = rows(exports.payments_csv(customer))

    assert [row["number"] for row in invoices] == [mine.code]
    assert [Decimal(row["net"]) for row in lines] == [Decimal("10.00"), Decimal("20.00")]
    assert payments == []


def test_the_accounting_journal_balances_per_entry_and_is_for_the_operator(customer, operator):
    issued_invoice(customer.organisation, "10.00")

    journal = rows(exports.journal_csv(operator))

    assert {row["reason"] for row in journal} == {"invoice"}
    assert sum(Decimal(row["amount"]) for row in journal) == 0
    with pytest.raises(NotFound):
        exports.journal_csv(customer)


def test_r4_7_the_paying_client_exports_its_lines_without_the_partners_cashback(customer, partner):
    from canal.billing.services import invoice_and_charge
    from canal.core.money import Money

    currency = customer.organisation.currency
    line = charge(
        "Hosting",
        "80.00",
        currency=currency,
        cashback_partner=partner.organisation,
        cashback_amount=Money("20.00", currency),
    )
    invoice_and_charge(
        actor=None, payer=customer.organisation, charges=[line], issue_date=DAY, pay_with="bank_transfer"
    )

    exported = rows(exports.invoice_lines_csv(customer))

    assert [row["cashback"] for row in exported] == [""]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_quoted(customer, text):
    issued_invoice(customer.organisation, "10.00", reference=text)

    exported = rows(exports.invoices_csv(customer))

    assert exported[0]["reference"] == f"'{text}"


def test_amounts_stay_plain_numbers_in_the_export(customer):
    issued_invoice(customer.organisation, "10.00", reference="PO 12")

    exported = rows(exports.invoices_csv(customer))

    assert exported[0]["reference"] == "PO 12"
    assert Decimal(exported[0]["total"]) > 0
