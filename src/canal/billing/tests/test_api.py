from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from canal.accounts.models import OrganisationKind
from canal.billing.models import Payment
from canal.billing.tests.helpers import PNG, fund_wallet, issued_invoice


def test_a_payer_lists_and_reads_its_invoices_with_the_breakdown(api_as, customer):
    invoice = issued_invoice(customer.organisation, "12.00")
    api = api_as(customer)

    listed = api.get("/billing/invoices").json()["results"]
    detail = api.get(f"/billing/invoices/{invoice.pk}").json()

    assert [row["code"] for row in listed] == [invoice.code]
    assert detail["lines"][0]["net_amount"] == "12.00" or Decimal(
        detail["lines"][0]["net_amount"]
    ) == Decimal("12")
    assert detail["organisation_id"] == customer.organisation.pk


def test_another_organisations_invoice_answers_404(api_as, customer, make_actor):
    foreign = issued_invoice(make_actor(OrganisationKind.CUSTOMER).organisation)
    api = api_as(customer)

    assert api.get(f"/billing/invoices/{foreign.pk}").status_code == 404
    assert api.get(f"/billing/invoices/{foreign.pk}/pdf").status_code == 404
    assert api.post(f"/billing/invoices/{foreign.pk}/payments", {"method": "wallet"}).status_code == 404


def test_the_pdf_is_a_pdf(api_as, customer):
    invoice = issued_invoice(customer.organisation)

    response = api_as(customer).get(f"/billing/invoices/{invoice.pk}/pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_paying_with_an_idempotency_key_twice_pays_once(api_as, customer):
    fund_wallet(customer.organisation, "500.00")
    invoice = issued_invoice(customer.organisation, "50.00")
    api = api_as(customer)

    first = api.post(
        f"/billing/invoices/{invoice.pk}/payments",
        {"method": "wallet", "amount": "20.00"},
        **{"Idempotency-Key": "pay-1"},
    )
    replay = api.post(
        f"/billing/invoices/{invoice.pk}/payments",
        {"method": "wallet", "amount": "20.00"},
        **{"Idempotency-Key": "pay-1"},
    )

    assert first.status_code == replay.status_code == 201
    assert first.json() == replay.json()
    assert Payment.objects.count() == 1


def test_an_empty_wallet_answers_422_with_what_to_do(api_as, customer):
    invoice = issued_invoice(customer.organisation, "50.00")

    response = api_as(customer).post(f"/billing/invoices/{invoice.pk}/payments", {"method": "wallet"})

    assert response.status_code == 422
    assert response.json()["code"] == "insufficient_balance"
    assert "Top up" in response.json()["message"]


def test_r2_15_a_transfer_is_notified_with_its_receipt_and_confirmed_by_the_operator(
    api_as, customer, operator
):
    invoice = issued_invoice(customer.organisation, "50.00")
    receipt = SimpleUploadedFile("receipt.png", PNG, content_type="image/png")

    notified = api_as(customer).client.post(
        f"/api/v1/billing/invoices/{invoice.pk}/bank-transfers",
        {"reference": invoice.code, "receipt": receipt},
        headers={"Idempotency-Key": "t-1"},
    )
    queue = api_as(operator).get("/billing/payments/to-confirm").json()["results"]
    confirmed = api_as(operator).post(f"/billing/payments/{notified.json()['id']}/confirm", {})

    assert notified.status_code == 201
    assert notified.json()["has_receipt"]
    assert [row["id"] for row in queue] == [notified.json()["id"]]
    assert confirmed.json()["status"] == "confirmed"


def test_only_operators_see_the_confirmation_queue(api_as, customer):
    assert api_as(customer).get("/billing/payments/to-confirm").json()["results"] == []


def test_wallet_balances_and_movements(api_as, customer):
    fund_wallet(customer.organisation, "75.00")
    api = api_as(customer)

    balances = api.get("/billing/wallet").json()
    movements = api.get("/billing/wallet/movements").json()["results"]

    assert balances[0]["kind"] == "wallet"
    assert Decimal(balances[0]["amount"]) == Decimal("75.00")
    assert [Decimal(row["amount"]) for row in movements] == [Decimal("75.00")]


def test_a_card_top_up_with_a_key_is_charged_once(api_as, customer):
    api = api_as(customer)

    for _ in range(2):
        response = api.post(
            "/billing/wallet/top-ups",
            {"amount": "40.00", "card_token": "tok_visa"},
            **{"Idempotency-Key": "tu-1"},
        )

    assert response.status_code == 201
    assert Payment.objects.count() == 1


def test_csv_exports_download(api_as, customer):
    issued_invoice(customer.organisation)

    response = api_as(customer).get("/billing/exports/invoices.csv")

    assert response["Content-Type"].startswith("text/csv")
    assert b"number,kind,status" in b"".join(response.streaming_content)


def _invoice_with_cashback(client_org, partner_org):
    from canal.billing.services import invoice_and_charge
    from canal.billing.tests.helpers import DAY, charge
    from canal.core.money import Money

    line = charge(
        "Hosting",
        "80.00",
        currency=client_org.currency,
        cashback_partner=partner_org,
        cashback_amount=Money("20.00", client_org.currency),
    )
    return invoice_and_charge(
        actor=None, payer=client_org, charges=[line], issue_date=DAY, pay_with="bank_transfer"
    ).invoice


def test_r4_7_the_paying_client_does_not_see_its_partners_cashback(api_as, customer, partner):
    invoice = _invoice_with_cashback(customer.organisation, partner.organisation)

    line = api_as(customer).get(f"/billing/invoices/{invoice.pk}").json()["lines"][0]

    assert line.get("cashback_amount") is None


def test_r4_7_operator_staff_see_the_cashback_of_a_line(api_as, customer, partner, operator):
    invoice = _invoice_with_cashback(customer.organisation, partner.organisation)

    line = api_as(operator).get(f"/billing/invoices/{invoice.pk}").json()["lines"][0]

    assert Decimal(line["cashback_amount"]) == Decimal("20.00")
