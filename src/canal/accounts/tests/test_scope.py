"""Everyone sees only what is theirs: other organisations' ids answer 404."""

import pytest

from canal.accounts.models import AccessLevel, Membership, OrganisationKind, ProductGrant
from canal.accounts.scope import scoped, visible_organisations
from canal.accounts.services import link_client
from canal.accounts.tests.factories import MembershipFactory, OrganisationFactory
from canal.core.errors import RuleViolation


def test_partner_sees_itself_and_its_clients_only(api_as, partner):
    client_org = OrganisationFactory(kind=OrganisationKind.CUSTOMER)
    stranger = OrganisationFactory(kind=OrganisationKind.CUSTOMER)
    link_client(actor=None, partner=partner.organisation, client=client_org)
    api = api_as(partner)

    ids = {row["id"] for row in api.get("/organisations").json()["results"]}

    assert ids == {partner.organisation.pk, client_org.pk}
    assert api.get(f"/organisations/{client_org.pk}").status_code == 200
    assert api.get(f"/organisations/{stranger.pk}").status_code == 404


def test_customer_cannot_see_another_customer(api_as, customer):
    stranger = OrganisationFactory(kind=OrganisationKind.CUSTOMER)

    response = api_as(customer).get(f"/organisations/{stranger.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_partners_relationship_answers_404(api_as, partner, make_actor):
    rival = make_actor(OrganisationKind.PARTNER)
    relationship = link_client(
        actor=None, partner=rival.organisation, client=OrganisationFactory(kind=OrganisationKind.CUSTOMER)
    )

    assert api_as(partner).get(f"/clients/{relationship.pk}").status_code == 404
    assert api_as(rival).get(f"/clients/{relationship.pk}").status_code == 200


def test_client_sees_the_partners_that_manage_it(api_as, partner, customer):
    relationship = link_client(actor=None, partner=partner.organisation, client=customer.organisation)

    rows = api_as(customer).get("/clients").json()["results"]

    assert [row["id"] for row in rows] == [relationship.pk]
    assert rows[0]["partner"]["name"] == partner.organisation.name


def test_operator_sees_every_organisation(api_as, operator, partner, customer):
    ids = {row["id"] for row in api_as(operator).get("/organisations").json()["results"]}

    assert {operator.organisation.pk, partner.organisation.pk, customer.organisation.pk} <= ids


def test_ended_relationship_hides_the_client_again(api_as, partner, customer):
    relationship = link_client(actor=None, partner=partner.organisation, client=customer.organisation)
    relationship.status = "ended"
    relationship.save()

    assert api_as(partner).get(f"/organisations/{customer.organisation.pk}").status_code == 404


def test_full_access_shows_the_clients_rows(partner, customer):
    link_client(actor=None, partner=partner.organisation, client=customer.organisation)

    visible = scoped(Membership.objects.all(), partner)

    assert visible.filter(organisation=customer.organisation).exists()


def test_limited_access_hides_rows_that_belong_to_no_product(partner, customer):
    link_client(
        actor=None,
        partner=partner.organisation,
        client=customer.organisation,
        access=AccessLevel.LIMITED,
        product_codes=["crm"],
    )

    visible = scoped(Membership.objects.all(), partner)

    assert not visible.filter(organisation=customer.organisation).exists()


def test_limited_access_shows_rows_of_granted_products_only(partner, customer):
    """R4.5: under limited access the partner sees the chosen products' rows and nothing else."""
    link_client(
        actor=None,
        partner=partner.organisation,
        client=customer.organisation,
        access=AccessLevel.LIMITED,
        product_codes=["crm"],
    )
    other_partner_grant = link_client(
        actor=None,
        partner=OrganisationFactory(kind=OrganisationKind.PARTNER),
        client=customer.organisation,
        access=AccessLevel.LIMITED,
        product_codes=["hosting"],
    )

    visible = scoped(
        ProductGrant.objects.all(),
        partner,
        organisation_field="relationship__client",
        product_field="product_code",
    )

    assert list(visible.values_list("product_code", flat=True)) == ["crm"]
    assert not visible.filter(relationship=other_partner_grant).exists()


def test_limited_access_needs_at_least_one_product(partner, customer):
    with pytest.raises(RuleViolation) as refused:
        link_client(
            actor=None, partner=partner.organisation, client=customer.organisation, access=AccessLevel.LIMITED
        )

    assert refused.value.field == "product_codes"


@pytest.mark.parametrize("limit", [500, 0], ids=["id-lists", "subqueries"])
def test_a_partner_with_many_clients_sees_exactly_what_one_with_few_does(
    partner, customer, monkeypatch, limit
):
    """R4.5, R4.12 hold the same way when the partner has too many clients for a list of ids (issue 15)."""
    monkeypatch.setattr("canal.accounts.scope.LITERAL_CLIENTS_LIMIT", limit)
    full_client = OrganisationFactory(kind=OrganisationKind.CUSTOMER)
    MembershipFactory(organisation=full_client)
    link_client(actor=None, partner=partner.organisation, client=full_client)
    link_client(
        actor=None,
        partner=partner.organisation,
        client=customer.organisation,
        access=AccessLevel.LIMITED,
        product_codes=["crm"],
    )
    stranger = OrganisationFactory(kind=OrganisationKind.CUSTOMER)
    link_client(
        actor=None,
        partner=OrganisationFactory(kind=OrganisationKind.PARTNER),
        client=stranger,
        access=AccessLevel.LIMITED,
        product_codes=["crm", "hosting"],
    )
    link_client(
        actor=None,
        partner=OrganisationFactory(kind=OrganisationKind.PARTNER),
        client=customer.organisation,
        access=AccessLevel.LIMITED,
        product_codes=["hosting"],
    )

    grants = scoped(
        ProductGrant.objects.all(),
        partner,
        organisation_field="relationship__client",
        product_field="product_code",
    )
    members = scoped(Membership.objects.all(), partner)
    organisations = set(visible_organisations(partner).values_list("pk", flat=True))

    assert sorted(grants.values_list("relationship__client", "product_code")) == [
        (customer.organisation.pk, "crm")
    ]
    assert set(members.values_list("organisation", flat=True)) == {partner.organisation.pk, full_client.pk}
    assert organisations == {partner.organisation.pk, full_client.pk, customer.organisation.pk}
