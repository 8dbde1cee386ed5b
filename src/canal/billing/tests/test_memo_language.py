"""Ledger lines are stored as a message id and parameters and read in the reader's language."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from canal.billing.models import JournalEntry
from canal.billing.services import confirm_payment, notify_bank_transfer, pay_from_balance
from canal.billing.tests.helpers import issued_invoice


def _receipt() -> SimpleUploadedFile:
    return SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 transfer", content_type="application/pdf")


def _top_up_confirmed_in_spanish(customer, operator) -> None:
    with translation.override("es"):
        payment = notify_bank_transfer(actor=customer, invoice_id=None, amount="250.00", receipt=_receipt())
        confirm_payment(actor=operator, payment_id=payment.pk)


def test_a_top_up_booked_by_a_spanish_operator_reads_in_each_readers_language(api_as, customer, operator):
    _top_up_confirmed_in_spanish(customer, operator)

    english = api_as(customer, "en").get("/billing/wallet/movements").json()["results"]
    spanish = api_as(customer, "es").get("/billing/wallet/movements").json()["results"]

    assert [row["memo"] for row in english] == ["Top-up of the prepaid wallet"]
    assert [row["memo"] for row in spanish] == ["Recarga del monedero prepago"]


def test_the_wallet_page_shows_ledger_lines_in_the_readers_language(portal_login, customer, operator):
    _top_up_confirmed_in_spanish(customer, operator)
    customer.user.language = "en"
    customer.user.save(update_fields=["language"])

    page = portal_login(customer.user).get("/billing/wallet/").content.decode()

    assert "Top-up of the prepaid wallet" in page
    assert "Recarga del monedero" not in page


def test_an_invoice_payment_keeps_the_invoice_code_as_a_parameter(customer, operator):
    _top_up_confirmed_in_spanish(customer, operator)
    invoice = issued_invoice(customer.organisation, "100.00")
    with translation.override("es"):
        pay_from_balance(actor=customer, invoice_id=invoice.pk)

    entry = JournalEntry.objects.filter(payment__invoice=invoice).get()

    assert (entry.memo, entry.memo_params) == ("Payment of %(code)s", {"code": invoice.code})
    with translation.override("en"):
        assert entry.memo_text == f"Payment of {invoice.code}"
