import csv
from io import StringIO

from canal.accounts.models import OrganisationKind, PaymentMode, Role
from canal.accounts.services import link_client
from canal.billing import invoicing
from canal.billing.tests.helpers import DAY, charge, issued_invoice
from canal.partners.tests.conftest import colleague


def test_r4_11_the_partner_lists_its_clients_and_opens_one_with_a_banner(
    portal_login, programme_partner, legal
):
    client = legal(OrganisationKind.CUSTOMER, name="Bäckerei Sutter AG")
    link_client(actor=None, partner=programme_partner.organisation, client=client.organisation)
    browser = portal_login(programme_partner.user)

    listed = browser.get("/partners/clients/")
    opened = browser.get(f"/partners/clients/{client.organisation.pk}/")

    assert "Bäckerei Sutter AG" in listed.content.decode()
    assert opened.status_code == 200
    assert "You are working in the space of your client Bäckerei Sutter AG" in opened.content.decode()


def test_r4_10_r4_11_the_partners_billing_export_holds_only_what_it_paid_for_the_client(
    portal_login, programme_partner, legal
):
    client = legal(OrganisationKind.CUSTOMER)
    link_client(
        actor=None,
        partner=programme_partner.organisation,
        client=client.organisation,
        payment_mode=PaymentMode.PARTNER,
    )
    paid_by_client = issued_invoice(client.organisation, "50.00")
    paid_by_partner = invoicing.create_and_issue(
        actor=None,
        payer=programme_partner.organisation,
        charges=[charge("Hosting", "30.00", beneficiary=client.organisation)],
        issue_date=DAY,
    )
    browser = portal_login(programme_partner.user)

    exported = browser.get(f"/billing/export/invoices.csv?client={client.organisation.pk}")
    rows = list(csv.DictReader(StringIO(b"".join(exported.streaming_content).decode())))
    page = browser.get(f"/billing/invoices/{paid_by_client.pk}/")

    assert [row["number"] for row in rows] == [paid_by_partner.code]
    assert page.status_code == 404


def test_r4_11_the_partner_exports_its_clients_as_csv(api_as, programme_partner, legal):
    client = legal(OrganisationKind.CUSTOMER, name="Client A")
    link_client(actor=None, partner=programme_partner.organisation, client=client.organisation)

    response = api_as(programme_partner).client.get("/api/v1/partners/clients.csv")
    rows = list(csv.DictReader(StringIO(response.content.decode())))

    assert [(row["client"], row["access"]) for row in rows] == [("Client A", "full")]


def test_r4_12_an_unassigned_partner_user_gets_404_for_that_client_everywhere(
    api_as, portal_login, programme_partner, legal
):
    client = legal(OrganisationKind.CUSTOMER)
    relationship = link_client(actor=None, partner=programme_partner.organisation, client=client.organisation)
    technician = colleague(programme_partner, Role.TECHNICAL)
    api = api_as(technician)

    assert api.get(f"/organisations/{client.organisation.pk}").status_code == 404
    assert api.get(f"/partners/relationships/{relationship.pk}").status_code == 404
    assert api.get("/partners/relationships").json()["results"] == []
    assert (
        portal_login(technician.user).get(f"/partners/clients/{client.organisation.pk}/").status_code == 404
    )


def test_r4_12_the_legal_representative_assigns_a_user_who_then_reaches_the_client(
    api_as, programme_partner, legal
):
    client = legal(OrganisationKind.CUSTOMER)
    relationship = link_client(actor=None, partner=programme_partner.organisation, client=client.organisation)
    technician = colleague(programme_partner, Role.TECHNICAL)

    assigned = api_as(programme_partner).post(
        f"/partners/relationships/{relationship.pk}/managers", {"user_id": technician.user.pk}
    )
    reached = api_as(technician).get(f"/organisations/{client.organisation.pk}")
    removed = api_as(programme_partner).client.delete(
        f"/api/v1/partners/relationships/{relationship.pk}/managers/{technician.user.pk}"
    )
    after = api_as(technician).get(f"/organisations/{client.organisation.pk}")

    assert assigned.json()["managers"] == [technician.user.pk]
    assert (reached.status_code, removed.status_code, after.status_code) == (200, 200, 404)


def test_r4_12_only_the_legal_representative_assigns_and_only_its_own_users(api_as, programme_partner, legal):
    client = legal(OrganisationKind.CUSTOMER)
    relationship = link_client(actor=None, partner=programme_partner.organisation, client=client.organisation)
    admin = colleague(programme_partner, Role.ADMIN)
    outsider = legal(OrganisationKind.CUSTOMER)

    by_admin = api_as(admin).post(
        f"/partners/relationships/{relationship.pk}/managers", {"user_id": admin.user.pk}
    )
    outside_user = api_as(programme_partner).post(
        f"/partners/relationships/{relationship.pk}/managers", {"user_id": outsider.user.pk}
    )

    assert by_admin.status_code == 403
    assert outside_user.status_code == 404


def test_r4_12_the_unassigned_user_does_not_see_the_relationship_in_the_accounts_api_either(
    api_as, portal_login, programme_partner, legal
):
    client = legal(OrganisationKind.CUSTOMER, name="Hidden Client AG")
    relationship = link_client(actor=None, partner=programme_partner.organisation, client=client.organisation)
    technician = colleague(programme_partner, Role.TECHNICAL)
    api = api_as(technician)

    assert api.get(f"/clients/{relationship.pk}").status_code == 404
    assert api.get("/clients").json()["results"] == []
    assert "Hidden Client AG" not in portal_login(technician.user).get("/clients/").content.decode()
    assert api_as(programme_partner).get(f"/clients/{relationship.pk}").status_code == 200
