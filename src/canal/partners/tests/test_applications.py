from decimal import Decimal

import pytest
from django.core import mail

from canal.accounts.models import Organisation, OrganisationKind, Role
from canal.partners.models import ApplicationStatus, PartnerApplication, PartnerProfile
from canal.partners.tests.conftest import colleague


def application(**overrides) -> dict:
    body = {
        "registered_id": "CHE-123.456.789",
        "website": "https://webagentur.example",
        "yearly_volume": "2000.00",
        "currency": "CHF",
        "accepts_reseller_terms": True,
    }
    return {**body, **overrides}


def test_r4_1_a_company_applies_and_the_operator_approves_it_at_a_level(
    api_as, legal, operator, gold, django_capture_on_commit_callbacks
):
    company = legal(OrganisationKind.CUSTOMER)

    sent = api_as(company).post("/partners/applications", application())
    queue = api_as(operator).get("/partners/applications", status="pending").json()["results"]
    with django_capture_on_commit_callbacks(execute=True):
        approved = api_as(operator).post(
            f"/partners/applications/{sent.json()['id']}/approve", {"level_id": gold.pk}
        )

    assert sent.status_code == 201, sent.json()
    assert [row["organisation_id"] for row in queue] == [company.organisation.pk]
    assert approved.status_code == 200
    assert approved.json()["status"] == ApplicationStatus.APPROVED
    company.organisation.refresh_from_db()
    assert company.organisation.kind == OrganisationKind.PARTNER
    assert PartnerProfile.objects.get(organisation=company.organisation).level == gold
    assert [message.subject for message in mail.outbox] == ["Welcome to the partner programme"]


@pytest.mark.parametrize(
    ("volume", "currency", "accepted"),
    [
        ("1999.99", "CHF", False),
        ("2000.00", "CHF", True),
        ("1799.99", "EUR", False),
        ("1800.00", "EUR", True),
    ],
)
def test_r4_1_the_expected_yearly_volume_is_at_least_chf_2000_or_eur_1800(
    api_as, legal, volume, currency, accepted
):
    company = legal(OrganisationKind.CUSTOMER)

    response = api_as(company).post(
        "/partners/applications", application(yearly_volume=volume, currency=currency)
    )

    assert response.status_code == (201 if accepted else 422)
    if not accepted:
        assert response.json()["field"] == "yearly_volume"
        assert not PartnerApplication.objects.exists()


def test_r4_1_r4_18_an_application_without_the_reseller_terms_is_refused(api_as, legal):
    company = legal(OrganisationKind.CUSTOMER)

    response = api_as(company).post("/partners/applications", application(accepts_reseller_terms=False))

    assert response.status_code == 422
    assert response.json()["field"] == "accepts_reseller_terms"
    assert "tenders" in response.json()["message"]


def test_r4_1_an_application_needs_a_website_and_a_company_id(api_as, legal):
    api = api_as(legal(OrganisationKind.CUSTOMER))

    no_website = api.post("/partners/applications", application(website="webagentur"))
    no_id = api.post("/partners/applications", application(registered_id=" "))

    assert (no_website.status_code, no_website.json()["field"]) == (422, "website")
    assert (no_id.status_code, no_id.json()["field"]) == (422, "registered_id")


def test_r4_1_the_operator_rejects_with_a_reason_the_applicant_reads(
    api_as, legal, operator, django_capture_on_commit_callbacks
):
    company = legal(OrganisationKind.CUSTOMER)
    sent = api_as(company).post("/partners/applications", application()).json()

    with django_capture_on_commit_callbacks(execute=True):
        rejected = api_as(operator).post(
            f"/partners/applications/{sent['id']}/reject", {"reason": "The website is not active."}
        )
    own = api_as(company).get(f"/partners/applications/{sent['id']}").json()

    assert rejected.status_code == 200
    assert (own["status"], own["reason"]) == ("rejected", "The website is not active.")
    assert Organisation.objects.get(pk=company.organisation.pk).kind == OrganisationKind.CUSTOMER
    assert "The website is not active." in mail.outbox[0].body


def test_r4_1_only_the_operator_decides_and_only_a_legal_representative_applies(api_as, legal, gold):
    company = legal(OrganisationKind.CUSTOMER)
    sent = api_as(company).post("/partners/applications", application()).json()

    self_approval = api_as(company).post(
        f"/partners/applications/{sent['id']}/approve", {"level_id": gold.pk}
    )
    by_admin = api_as(colleague(legal(OrganisationKind.CUSTOMER), Role.ADMIN)).post(
        "/partners/applications", application()
    )

    assert self_approval.status_code == 404
    assert by_admin.status_code == 403
    assert PartnerApplication.objects.get().status == ApplicationStatus.PENDING


def test_r4_2_an_affiliate_cannot_apply_to_be_a_partner(api_as, legal):
    company = legal(OrganisationKind.CUSTOMER)
    api = api_as(company)

    joined = api.post("/partners/affiliate")
    applied = api.post("/partners/applications", application())

    assert joined.status_code == 201
    assert (applied.status_code, applied.json()["code"]) == (422, "affiliate_cannot_be_partner")


def test_r4_2_a_partner_or_an_applicant_cannot_become_an_affiliate(api_as, legal, gold):
    partner = legal(OrganisationKind.PARTNER, gold)
    applicant = legal(OrganisationKind.CUSTOMER)
    api_as(applicant).post("/partners/applications", application())

    for actor in (partner, applicant):
        response = api_as(actor).post("/partners/affiliate")
        assert (response.status_code, response.json()["code"]) == (422, "partner_cannot_be_affiliate")


def test_a_second_pending_application_is_a_conflict(api_as, legal):
    api = api_as(legal(OrganisationKind.CUSTOMER))

    api.post("/partners/applications", application())
    again = api.post("/partners/applications", application())

    assert again.status_code == 409
    assert PartnerApplication.objects.count() == 1


def test_hostile_input_is_refused_without_a_trace(api_as, legal):
    api = api_as(legal(OrganisationKind.CUSTOMER))

    for body in (
        application(yearly_volume=True),
        application(registered_id="CHE\x00"),
        application(yearly_volume="1e400"),
        {**application(), "extra": 1},
    ):
        assert api.post("/partners/applications", body).status_code == 422
    assert not PartnerApplication.objects.exists()


def test_r4_3_the_operator_and_the_vendor_see_the_programme_levels_with_their_partners(
    portal_login, api_as, operator, programme_partner, make_actor
):
    vendor = make_actor(OrganisationKind.VENDOR)

    page = portal_login(operator.user).get("/partners/programme/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    levels = api_as(vendor).get("/partners/levels").json()
    refused = api_as(programme_partner).get("/partners/levels")

    assert "Gold" in page
    assert "20 %" in page
    assert [(row["code"], row["partners"]) for row in levels] == [("gold", 1)]
    assert refused.status_code == 404


def test_r4_1_the_operators_queue_shows_the_volume_as_money(portal_login, api_as, legal, operator):
    api_as(legal(OrganisationKind.CUSTOMER, name="Bergweb GmbH")).post(
        "/partners/applications", application()
    )

    page = (
        portal_login(operator.user).get("/partners/applications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )

    assert "Bergweb GmbH" in page
    assert "2,000.00" in page


def test_r4_7_a_vendor_sees_only_the_cashback_earned_on_its_own_products(
    api_as, operator, programme_partner, legal, make_actor
):
    from canal.billing.services import invoice_and_charge
    from canal.billing.tests.helpers import DAY, charge
    from canal.catalog.models import Product
    from canal.core.money import Money

    ours, theirs = make_actor(OrganisationKind.VENDOR), make_actor(OrganisationKind.VENDOR)
    for vendor, code in ((ours, "ours-hosting"), (theirs, "their-crm")):
        Product.objects.create(vendor=vendor.organisation, code=code, name=code, kind="saas", unit="user")
    client = legal(OrganisationKind.CUSTOMER).organisation
    lines = [
        charge(
            code,
            "100.00",
            product_code=code,
            cashback_partner=programme_partner.organisation,
            cashback_amount=Money(cashback, "EUR"),
        )
        for code, cashback in (("ours-hosting", "10.00"), ("their-crm", "7.00"))
    ]
    invoice_and_charge(actor=None, payer=client, charges=lines, issue_date=DAY, pay_with="bank_transfer")

    seen_by_vendor = api_as(ours).get("/partners/levels").json()[0]["cashback_paid"]
    seen_by_operator = api_as(operator).get("/partners/levels").json()[0]["cashback_paid"]

    assert {currency: Decimal(total) for currency, total in seen_by_vendor.items()} == {"EUR": Decimal(10)}
    assert {currency: Decimal(total) for currency, total in seen_by_operator.items()} == {"EUR": Decimal(17)}


def test_r4_1_an_approval_with_a_level_that_is_not_a_number_changes_nothing(
    api_as, legal, operator, portal_login
):
    company = legal(OrganisationKind.CUSTOMER)
    sent = api_as(company).post("/partners/applications", application()).json()
    operator.user.language = "en"
    operator.user.save(update_fields=["language"])

    page = portal_login(operator.user).post(
        f"/partners/applications/{sent['id']}/approve/", {"level": "gold"}, follow=True
    )

    assert "Choose a programme level from the list" in page.content.decode()
    assert PartnerApplication.objects.get(pk=sent["id"]).status == ApplicationStatus.PENDING
    company.organisation.refresh_from_db()
    assert company.organisation.kind == OrganisationKind.CUSTOMER
