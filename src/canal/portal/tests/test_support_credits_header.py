from canal.accounts.models import OrganisationKind
from canal.accounts.tests.factories import member
from canal.billing.services import add_support_credits


def test_r2_2_the_header_shows_the_customers_support_credit_balance(portal_login, db):
    user = member(kind=OrganisationKind.CUSTOMER)
    add_support_credits(actor=None, organisation=user.memberships.get().organisation, credits=150)

    page = portal_login(user).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "150 support credits" in page


def test_r2_2_partners_do_not_get_a_credit_balance_in_the_header(portal_login, db):
    page = (
        portal_login(member(kind=OrganisationKind.PARTNER))
        .get("/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )

    assert "support credit" not in page
