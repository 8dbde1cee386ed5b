from datetime import date
from decimal import Decimal

from canal.accounts.models import ClientRelationship, OrganisationKind, PaymentMode, RelationshipStatus
from canal.accounts.services import link_client
from canal.accounts.tests.factories import PASSWORD
from canal.billing.cycles import create_recurring_charge
from canal.core.money import Money
from canal.notifications.models import Notification


def paid_by_partner(partner, client):
    relationship = link_client(
        actor=None, partner=partner.organisation, client=client.organisation, payment_mode=PaymentMode.PARTNER
    )
    charge = create_recurring_charge(
        actor=None,
        payer=partner.organisation,
        beneficiary=client.organisation,
        description="Web Hosting",
        quantity=1,
        unit_price=Money(Decimal("9.92"), "EUR"),
        amount=Money(Decimal("9.92"), "EUR"),
        next_billing_date=date(2026, 4, 1),
    )
    return relationship, charge


def test_r4_13_the_partner_ends_the_relationship_with_its_password_and_access_stops_at_once(
    api_as, programme_partner, legal
):
    client = legal(OrganisationKind.CUSTOMER)
    relationship, charge = paid_by_partner(programme_partner, client)
    api = api_as(programme_partner)

    wrong = api.post(f"/partners/relationships/{relationship.pk}/end", {"confirm": True, "password": "guess"})
    unconfirmed = api.post(
        f"/partners/relationships/{relationship.pk}/end", {"confirm": False, "password": PASSWORD}
    )
    ended = api.post(
        f"/partners/relationships/{relationship.pk}/end", {"confirm": True, "password": PASSWORD}
    )

    assert (wrong.status_code, unconfirmed.status_code, ended.status_code) == (403, 422, 200)
    assert ended.json()["status"] == RelationshipStatus.ENDED
    assert api.get(f"/organisations/{client.organisation.pk}").status_code == 404
    charge.refresh_from_db()
    assert charge.payer == client.organisation
    notified = set(Notification.objects.values_list("organisation_id", flat=True))
    assert notified == {programme_partner.organisation.pk, client.organisation.pk}


def test_r4_13_the_client_ends_it_too_in_two_steps_in_the_portal(portal_login, programme_partner, legal):
    client = legal(OrganisationKind.CUSTOMER)
    relationship = link_client(actor=None, partner=programme_partner.organisation, client=client.organisation)
    browser = portal_login(client.user)
    url = f"/partners/relationships/{relationship.pk}/end/"

    first = browser.post(url, {"step": "1"})
    still = ClientRelationship.objects.get().status
    second = browser.post(url, {"step": "2", "password": PASSWORD})

    assert 'name="password"' in first.content.decode()
    assert still == RelationshipStatus.ACTIVE
    assert second.status_code == 302
    assert ClientRelationship.objects.get().status == RelationshipStatus.ENDED


def test_r4_13_a_stranger_cannot_end_someone_elses_relationship(api_as, programme_partner, legal, gold):
    client = legal(OrganisationKind.CUSTOMER)
    relationship = link_client(actor=None, partner=programme_partner.organisation, client=client.organisation)
    stranger = legal(OrganisationKind.PARTNER, gold)

    response = api_as(stranger).post(
        f"/partners/relationships/{relationship.pk}/end", {"confirm": True, "password": PASSWORD}
    )

    assert response.status_code == 404
    assert ClientRelationship.objects.get().status == RelationshipStatus.ACTIVE
