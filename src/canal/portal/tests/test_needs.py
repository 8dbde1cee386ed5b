"""Dashboards answer "what needs me now" with counts that link to the filtered lists (issue 14)."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from canal.accounts.models import OrganisationKind
from canal.billing.services import notify_bank_transfer
from canal.billing.tests.helpers import issued_invoice
from canal.portal.needs import needs_of


def _count(page: str, label: str) -> int:
    found = re.search(r'<strong class="need-count">(\d+)</strong>\s*<span>' + re.escape(label), page)
    assert found, label
    return int(found.group(1))


def test_a_customer_sees_its_invoices_to_pay_and_not_anyone_elses(portal_login, customer, make_actor):
    issued_invoice(customer.organisation, "80.00")
    issued_invoice(make_actor(OrganisationKind.CUSTOMER).organisation, "50.00")
    customer.user.language = "en"
    customer.user.save(update_fields=["language"])

    page = portal_login(customer.user).get("/").content.decode()

    assert _count(page, "Invoices to pay") == 1
    assert 'href="/billing/?status=issued"' in page


def test_the_operator_sees_the_transfers_waiting_for_it(customer, operator):
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4", content_type="application/pdf")
    notify_bank_transfer(actor=customer, invoice_id=None, amount="60.00", receipt=receipt)

    with translation.override("en"):
        needs = {need.label: need.count for need in needs_of(operator, timezone.localdate())}

    assert needs["Transfers to confirm"] == 1
    assert needs["Provisioning overdue"] == 0


def test_the_operators_activity_names_objects_in_its_language_and_links_them(
    portal_login, customer, operator
):
    invoice = issued_invoice(customer.organisation, "80.00")
    operator.user.language = "es"
    operator.user.save(update_fields=["language"])

    page = portal_login(operator.user).get("/").content.decode()

    assert f'<a href="/billing/invoices/{invoice.pk}/">Factura #{invoice.pk}</a>' in page
    assert "<td>Emitido</td>" in page  # "invoice.issued", said in the reader's words
    assert "billing.invoice #" not in page
    assert "invoice.issued" not in page
