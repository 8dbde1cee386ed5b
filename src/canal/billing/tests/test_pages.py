from django.core.files.uploadedfile import SimpleUploadedFile

from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import member
from canal.billing.models import PaymentStatus
from canal.billing.tests.helpers import fund_wallet, issued_invoice, wallet_of


def test_r2_16_the_invoices_list_shows_date_total_and_details(portal_login, customer):
    invoice = issued_invoice(customer.organisation, "1234.50")

    page = portal_login(customer.user).get("/billing/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert invoice.code in page
    assert "1,234.50" in page or "1.234,50" in page
    assert f"/billing/invoices/{invoice.pk}/" in page


def test_the_invoice_page_shows_the_breakdown_and_pay_options(portal_login, customer):
    invoice = issued_invoice(customer.organisation, "80.00")

    page = (
        portal_login(customer.user)
        .get(f"/billing/invoices/{invoice.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )

    assert "Pay this invoice" in page
    assert "Notify transfer" in page


def test_a_foreign_invoice_page_answers_404(portal_login, customer, make_actor):
    foreign = issued_invoice(make_actor(OrganisationKind.CUSTOMER).organisation)

    client = portal_login(customer.user)

    assert client.get(f"/billing/invoices/{foreign.pk}/").status_code == 404
    assert client.get(f"/billing/invoices/{foreign.pk}/pdf/").status_code == 404


def test_paying_from_the_wallet_in_the_portal(portal_login, customer):
    fund_wallet(customer.organisation, "100.00")
    invoice = issued_invoice(customer.organisation, "80.00")

    portal_login(customer.user).post(
        f"/billing/invoices/{invoice.pk}/pay/", {"method": "wallet", "confirmed": "1"}
    )

    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_paying_from_the_wallet_first_shows_the_exact_amount_and_means_and_moves_nothing(
    portal_login, customer
):
    fund_wallet(customer.organisation, "100.00")
    invoice = issued_invoice(customer.organisation, "80.00")
    customer.user.language = "en"
    customer.user.save(update_fields=["language"])

    page = (
        portal_login(customer.user)
        .post(f"/billing/invoices/{invoice.pk}/pay/", {"method": "wallet", "idempotency_key": "p-1"})
        .content.decode()
    )

    invoice.refresh_from_db()
    assert invoice.status == "issued"
    assert wallet_of(customer.organisation) == 100
    assert "Pay €80.00" in page
    assert "Prepaid wallet" in page
    assert "€20.00" in page  # what the wallet holds after paying
    assert 'name="idempotency_key" value="p-1"' in page
    assert 'name="confirmed" value="1"' in page


def test_r2_15_notifying_a_transfer_in_the_portal_puts_it_in_the_operators_queue(portal_login, customer, db):
    invoice = issued_invoice(customer.organisation, "80.00")
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4", content_type="application/pdf")
    portal_login(customer.user).post(
        f"/billing/invoices/{invoice.pk}/transfer/",
        {"reference": "abc", "receipt": receipt, "idempotency_key": "k1"},
    )
    operator_user = member(kind=OrganisationKind.OPERATOR, role=Role.BILLING)

    queue = portal_login(operator_user).get("/billing/payments/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert customer.organisation.name in queue
    assert invoice.code in queue


def test_the_operator_confirms_a_top_up_in_the_portal(portal_login, customer, operator):
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4", content_type="application/pdf")
    portal_login(customer.user).post(
        "/billing/wallet/transfer/", {"amount": "60.00", "receipt": receipt, "idempotency_key": "k2"}
    )
    payment = customer.organisation.payments.get()

    operator_portal = portal_login(operator.user)
    preview = operator_portal.post(f"/billing/payments/{payment.pk}/confirm/", {}, HTTP_ACCEPT_LANGUAGE="en")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert "60.00" in preview.content.decode()

    operator_portal.post(f"/billing/payments/{payment.pk}/confirm/", {"confirmed": "1"})

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert wallet_of(customer.organisation) == 60


def test_r2_15_rejecting_a_transfer_asks_first_and_moves_nothing(portal_login, customer, operator):
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4", content_type="application/pdf")
    portal_login(customer.user).post(
        "/billing/wallet/transfer/", {"amount": "60.00", "receipt": receipt, "idempotency_key": "k3"}
    )
    payment = customer.organisation.payments.get()
    operator_portal = portal_login(operator.user)

    preview = operator_portal.post(
        f"/billing/payments/{payment.pk}/reject/", {"reason": "Not on the statement"}
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert "Not on the statement" in preview.content.decode()

    operator_portal.post(
        f"/billing/payments/{payment.pk}/reject/", {"reason": "Not on the statement", "confirmed": "1"}
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REJECTED
    assert wallet_of(customer.organisation) == 0


def test_the_confirmation_queue_is_not_for_customers(portal_login, customer):
    assert portal_login(customer.user).get("/billing/payments/").status_code == 404


def test_the_wallet_page_shows_balances_and_movements(portal_login, customer):
    fund_wallet(customer.organisation, "42.00")

    page = portal_login(customer.user).get("/billing/wallet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "42.00" in page
    assert "test top-up" in page


def test_the_pdf_renders_in_the_payers_language(portal_login, customer):
    invoice = issued_invoice(customer.organisation)

    response = portal_login(customer.user).get(f"/billing/invoices/{invoice.pk}/pdf/")

    assert response.content.startswith(b"%PDF")


def test_a_double_submitted_wallet_payment_pays_once(portal_login, customer):
    fund_wallet(customer.organisation, "100.00")
    invoice = issued_invoice(customer.organisation, "80.00", "20.00")
    browser = portal_login(customer.user)
    form = {"method": "wallet", "amount": "30.00", "idempotency_key": "pay-1", "confirmed": "1"}

    browser.post(f"/billing/invoices/{invoice.pk}/pay/", form)
    browser.post(f"/billing/invoices/{invoice.pk}/pay/", form)

    assert customer.organisation.payments.count() == 1
    assert wallet_of(customer.organisation) == 70


def test_the_invoice_page_gives_the_wallet_form_its_key(portal_login, customer):
    fund_wallet(customer.organisation, "100.00")
    invoice = issued_invoice(customer.organisation, "80.00")

    page = portal_login(customer.user).get(f"/billing/invoices/{invoice.pk}/").content.decode()

    pay_form = page.split("/pay/", 1)[1].split("</form>", 1)[0]
    assert 'name="idempotency_key"' in pay_form
