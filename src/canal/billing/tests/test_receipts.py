"""R2.15 receipts: only real PDF, PNG or JPEG files are kept, and they are always handed out as downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from canal.billing.payments import notify_bank_transfer
from canal.billing.tests.helpers import PNG, issued_invoice
from canal.core.errors import RuleViolation

PAGE = b"<html><script>alert(document.cookie)</script></html>"


def test_a_web_page_named_png_is_refused_with_a_clear_message(customer):
    invoice = issued_invoice(customer.organisation, "50.00")
    disguised = SimpleUploadedFile("receipt.png", PAGE, content_type="image/png")

    with pytest.raises(RuleViolation) as refused:
        notify_bank_transfer(actor=customer, invoice_id=invoice.pk, amount=None, receipt=disguised)

    assert refused.value.code == "receipt_type"
    assert refused.value.field == "receipt"
    assert "PDF, PNG or JPEG" in str(refused.value.message)


def test_a_web_page_named_html_is_refused_whatever_type_the_browser_claims(customer):
    invoice = issued_invoice(customer.organisation, "50.00")
    page = SimpleUploadedFile("receipt.html", PAGE, content_type="image/png")

    with pytest.raises(RuleViolation):
        notify_bank_transfer(actor=customer, invoice_id=invoice.pk, amount=None, receipt=page)


def test_the_api_refuses_a_disguised_receipt(api_as, customer):
    invoice = issued_invoice(customer.organisation, "50.00")
    disguised = SimpleUploadedFile("receipt.png", PAGE, content_type="image/png")

    response = api_as(customer).client.post(
        f"/api/v1/billing/invoices/{invoice.pk}/bank-transfers", {"receipt": disguised}
    )

    assert response.status_code == 422 or response.status_code == 400
    assert response.json()["code"] == "receipt_type"


def test_a_receipt_is_stored_under_a_random_name_with_its_own_extension(customer):
    invoice = issued_invoice(customer.organisation, "50.00")
    receipt = SimpleUploadedFile("../../evil name.PNG", PNG, content_type="text/html")

    payment = notify_bank_transfer(actor=customer, invoice_id=invoice.pk, amount=None, receipt=receipt)

    stored = payment.receipt.name.rsplit("/", 1)[-1]
    assert stored.endswith(".png")
    assert "evil" not in stored


def test_a_png_receipt_is_served_by_the_api_as_a_png_download(api_as, customer):
    invoice = issued_invoice(customer.organisation, "50.00")
    payment = notify_bank_transfer(
        actor=customer,
        invoice_id=invoice.pk,
        amount=None,
        receipt=SimpleUploadedFile("receipt.png", PNG, content_type="image/png"),
    )

    response = api_as(customer).get(f"/billing/payments/{payment.pk}/receipt")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PNG


def test_a_png_receipt_is_served_by_the_portal_as_a_png_download(portal_login, customer):
    invoice = issued_invoice(customer.organisation, "50.00")
    payment = notify_bank_transfer(
        actor=customer,
        invoice_id=invoice.pk,
        amount=None,
        receipt=SimpleUploadedFile("receipt.png", PNG, content_type="image/png"),
    )

    response = portal_login(customer.user).get(f"/billing/payments/{payment.pk}/receipt/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
