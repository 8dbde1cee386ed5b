"""Downloads, the period ZIP, the settings and the refusals, through the API and the portal, as the
buyer, operator staff and a stranger see them."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from canal.accounts.actor import actor_for
from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import MembershipFactory, OrganisationFactory
from canal.billing.einvoices.tests import cases
from canal.billing.einvoices.validation import EInvoiceInvalid
from canal.billing.models import BillingAccount, EInvoiceFormat, Invoice

FORMATS = {"ubl": "application/xml", "facturx": "application/pdf", "facturae": "application/xml"}


def member(organisation, role=Role.BILLING):
    return actor_for(MembershipFactory(organisation=organisation, role=role).user, organisation.pk)


@pytest.fixture
def world(db):
    seller = cases.operator()
    spanish = cases.buyer(cases.CASES[0])
    german = cases.buyer(cases.CASES[2])
    return {
        "staff": member(seller, Role.ADMIN),
        "spanish": member(spanish),
        "german": member(german),
        "stranger": member(OrganisationFactory(kind=OrganisationKind.CUSTOMER)),
        "spanish_invoice": cases.issue(spanish, "EUR"),
        "german_invoice": cases.issue(german, "EUR"),
    }


def test_buyer_downloads_each_format_from_the_api_and_strangers_get_404(world, api_as):
    invoice = world["spanish_invoice"]
    buyer, stranger = api_as(world["spanish"]), api_as(world["stranger"])
    for fmt, content_type in FORMATS.items():
        response = buyer.get(f"/billing/invoices/{invoice.pk}/{fmt}")
        assert response.status_code == 200, (fmt, response.content[:300])
        assert response["Content-Type"] == content_type
        assert invoice.code in response["Content-Disposition"]
        assert stranger.get(f"/billing/invoices/{invoice.pk}/{fmt}").status_code == 404


def test_facturae_for_a_buyer_abroad_is_refused_with_what_to_download_instead(world, api_as):
    response = api_as(world["german"]).get(f"/billing/invoices/{world['german_invoice'].pk}/facturae")
    assert response.status_code == 422
    assert response.json()["code"] == "facturae_not_for_buyer"
    assert "UBL or Factur-X" in response.json()["message"]
    assert (
        api_as(world["german"]).get(f"/billing/invoices/{world['german_invoice'].pk}/ubl").status_code == 200
    )


def test_buyer_downloads_each_format_from_the_invoice_page_and_strangers_get_404(world, client):
    invoice = world["spanish_invoice"]
    client.force_login(world["spanish"].user)
    page = client.get(reverse("billing:invoice", args=[invoice.pk]))
    for fmt, content_type in FORMATS.items():
        url = reverse("billing:einvoice", args=[invoice.pk, fmt])
        assert url in page.content.decode()
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
    client.force_login(world["stranger"].user)
    assert client.get(reverse("billing:einvoice", args=[invoice.pk, "ubl"])).status_code == 404


def test_invoice_page_of_a_buyer_abroad_offers_no_facturae(world, client):
    client.force_login(world["german"].user)
    page = client.get(reverse("billing:invoice", args=[world["german_invoice"].pk])).content.decode()
    assert reverse("billing:einvoice", args=[world["german_invoice"].pk, "ubl"]) in page
    assert reverse("billing:einvoice", args=[world["german_invoice"].pk, "facturae"]) not in page


def _zip(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
    return sorted(archive.namelist()), index


def test_period_zip_holds_the_buyers_own_documents_and_everyone_for_staff(world, api_as, client):
    period = {"start": "2026-03-01", "end": "2026-03-31"}
    response = api_as(world["spanish"]).get("/billing/exports/einvoices.zip", **period, format="ubl")
    assert response.status_code == 200
    names, index = _zip(response.content)
    assert names == ["F2026-000001.ubl.xml", "index.csv"]
    assert [row["code"] for row in index] == [world["spanish_invoice"].code]

    response = api_as(world["staff"]).get("/billing/exports/einvoices.zip", **period, format="facturae")
    names, index = _zip(response.content)
    assert names == ["F2026-000001.facturae.xml", "F2026-000002.ubl.xml", "index.csv"]
    assert "not available for this buyer" in index[1]["note"]

    assert _zip(api_as(world["stranger"]).get("/billing/exports/einvoices.zip", **period).content)[0] == [
        "index.csv"
    ]
    client.force_login(world["spanish"].user)
    response = client.get(reverse("billing:einvoice_export"), {**period, "format": "preferred"})
    assert _zip(response.content)[0] == ["F2026-000001.pdf", "index.csv"]


def test_period_longer_than_a_year_is_refused(world, api_as):
    response = api_as(world["staff"]).get(
        "/billing/exports/einvoices.zip", start="2025-01-01", end="2026-03-31"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "end"


def test_buyer_sets_its_preferred_format_by_api_and_portal(world, api_as, client):
    api = api_as(world["spanish"])
    body = {
        "einvoice_format": "facturae",
        "address": "Calle Mayor 1",
        "postcode": "28013",
        "city": "Madrid",
        "province": "Madrid",
    }
    response = api.client.put("/api/v1/billing/settings", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert api.get("/billing/settings").json()["einvoice_format"] == "facturae"

    client.force_login(world["spanish"].user)
    response = client.post(reverse("billing:einvoice_settings"), {**body, "einvoice_format": "ubl"})
    assert response.status_code == 302
    account = BillingAccount.objects.get(organisation=world["spanish"].organisation)
    assert (account.einvoice_format, account.address) == (EInvoiceFormat.UBL, "Calle Mayor 1")


def test_facturae_preference_is_refused_for_a_buyer_abroad_and_for_members_without_billing_role(
    world, api_as
):
    body = {
        "einvoice_format": "facturae",
        "address": "Hauptstr. 1",
        "postcode": "10115",
        "city": "Berlin",
        "province": "BE",
    }
    response = api_as(world["german"]).client.put(
        "/api/v1/billing/settings", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "facturae_not_for_buyer"
    technical = member(world["spanish"].organisation, Role.TECHNICAL)
    response = api_as(technical).client.put(
        "/api/v1/billing/settings", {**body, "einvoice_format": "ubl"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert BillingAccount.objects.get(organisation=world["german"].organisation).einvoice_format == "pdf"


def test_an_invoice_whose_facturae_would_be_invalid_is_not_issued_and_the_error_names_the_field(world):
    payer = world["spanish"].organisation
    BillingAccount.objects.filter(organisation=payer).update(
        einvoice_format=EInvoiceFormat.FACTURAE, postcode=""
    )
    before = Invoice.objects.count()
    with pytest.raises(EInvoiceInvalid) as refused:
        cases.issue(payer, "EUR")
    assert refused.value.field == "postcode"
    assert "full postal address" in str(refused.value.message)
    assert Invoice.objects.count() == before


def test_e_invoice_page_is_in_the_buyers_menu_and_not_a_vendors(world, client):
    client.force_login(world["spanish"].user)
    page = client.get(reverse("billing:einvoice_settings"))
    assert page.status_code == 200
    assert f'href="{reverse("billing:einvoice_settings")}"' in page.content.decode()
    assert 'name="einvoice_format"' in page.content.decode()
    vendor = member(OrganisationFactory(kind=OrganisationKind.VENDOR), Role.ADMIN)
    client.force_login(vendor.user)
    assert client.get(reverse("billing:einvoice_settings")).status_code == 404
