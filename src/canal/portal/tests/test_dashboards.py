import pytest

from canal.accounts.models import OrganisationKind, Role
from canal.accounts.services import link_client
from canal.accounts.tests.factories import MembershipFactory, OrganisationFactory, member


@pytest.mark.parametrize(
    ("kind", "heading"),
    [
        (OrganisationKind.PARTNER, "Partner console"),
        (OrganisationKind.CUSTOMER, "Customer portal"),
        (OrganisationKind.VENDOR, "Vendor console"),
        (OrganisationKind.OPERATOR, "Back office"),
    ],
)
def test_each_role_lands_on_its_own_dashboard(portal_login, db, kind, heading):
    user = member(kind=kind)

    page = portal_login(user).get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in page.content.decode()


def test_partner_dashboard_lists_its_clients_and_no_one_elses(portal_login, db):
    user = member(kind=OrganisationKind.PARTNER, role=Role.LEGAL_REPRESENTATIVE)
    partner = user.memberships.get().organisation
    mine = OrganisationFactory(kind=OrganisationKind.CUSTOMER, name="Mine S.A.")
    OrganisationFactory(kind=OrganisationKind.CUSTOMER, name="Theirs S.A.")
    link_client(actor=None, partner=partner, client=mine)

    page = portal_login(user).get("/").content.decode()

    assert "Mine S.A." in page
    assert "Theirs S.A." not in page


def test_navigation_follows_the_organisation_kind(portal_login, db):
    partner_page = portal_login(member(kind=OrganisationKind.PARTNER)).get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert 'href="/partners/clients/"' in partner_page.content.decode()
    assert 'href="/partners/"' not in partner_page.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_of_two_organisations_switches_between_them(portal_login, db):
    user = member(kind=OrganisationKind.PARTNER)
    other = MembershipFactory(
        user=user, organisation=OrganisationFactory(kind=OrganisationKind.VENDOR)
    ).organisation
    client = portal_login(user)

    client.post("/accounts/switch/", {"organisation": other.pk})
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert "<h1>Vendor console</h1>" in page.content.decode()


def test_switching_to_a_foreign_organisation_answers_404(portal_login, db):
    user = member(kind=OrganisationKind.PARTNER)
    foreign = OrganisationFactory(kind=OrganisationKind.CUSTOMER)

    response = portal_login(user).post("/accounts/switch/", {"organisation": foreign.pk})

    assert response.status_code == 404


def test_language_switch_sets_english(portal_login, db):
    client = portal_login(member())

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/")

    assert '<html lang="en"' in page.content.decode()


def test_tokens_page_shows_a_new_token_once(portal_login, db):
    client = portal_login(member(role=Role.ADMIN))

    created = client.post("/accounts/tokens/", {"name": "ERP"}).content.decode()
    listed = client.get("/accounts/tokens/").content.decode()

    assert "canal_" in created
    token = created.split('class="token-value">')[1].split("<")[0]
    assert token not in listed
