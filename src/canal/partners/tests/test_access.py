from datetime import date
from decimal import Decimal

from canal.accounts.models import AccessLevel, ClientRelationship, OrganisationKind, PaymentMode, Role
from canal.accounts.services import link_client
from canal.billing.cycles import create_recurring_charge
from canal.core.models import AuditEntry
from canal.core.money import Money
from canal.notifications.models import Notification
from canal.partners.tests.conftest import colleague


def test_r4_5_the_client_narrows_and_widens_the_access_and_the_partner_sees_accordingly(
    api_as, programme_partner, legal, load_catalog
):
    load_catalog("alpenhost")
    client = legal(OrganisationKind.CUSTOMER)
    relationship = link_client(actor=None, partner=programme_partner.organisation, client=client.organisation)
    api = api_as(client)

    limited = api.post(
        f"/partners/relationships/{relationship.pk}/access",
        {"access": "limited", "product_codes": ["alpenhost-mail"]},
    )
    quote_hosting = api_as(programme_partner).post(
        "/quotes",
        {
            "product": "alpenhost-web-hosting",
            "customer_id": client.organisation.pk,
            "plan": "web-hosting",
            "quantity": 1,
        },
    )
    widened = api.post(f"/partners/relationships/{relationship.pk}/access", {"access": "full"})

    assert limited.json()["products"] == ["alpenhost-mail"]
    assert quote_hosting.status_code == 422
    assert quote_hosting.json()["code"] == "product_not_granted"
    assert (widened.json()["access"], widened.json()["products"]) == ("full", [])
    assert AuditEntry.objects.filter(action="client_relationship.access_changed").count() == 2


def test_r4_5_only_the_client_changes_the_access(api_as, programme_partner, legal):
    client = legal(OrganisationKind.CUSTOMER)
    relationship = link_client(
        actor=None,
        partner=programme_partner.organisation,
        client=client.organisation,
        access=AccessLevel.FULL,
    )

    by_partner = api_as(programme_partner).post(
        f"/partners/relationships/{relationship.pk}/access", {"access": "limited", "product_codes": ["x"]}
    )
    by_admin = api_as(colleague(client, Role.ADMIN)).post(
        f"/partners/relationships/{relationship.pk}/access", {"access": "full", "payment_mode": "partner"}
    )

    assert by_partner.status_code == 404
    assert by_admin.status_code == 403
    assert ClientRelationship.objects.get().payment_mode == PaymentMode.CUSTOMER


def test_r4_6_the_client_switches_the_payer_the_partner_is_told_and_charges_follow_from_the_next_renewal(
    api_as, programme_partner, legal
):
    client = legal(OrganisationKind.CUSTOMER)
    relationship = link_client(actor=None, partner=programme_partner.organisation, client=client.organisation)
    charge = create_recurring_charge(
        actor=None,
        payer=client.organisation,
        beneficiary=client.organisation,
        description="Web Hosting",
        quantity=1,
        unit_price=Money(Decimal("9.92"), "EUR"),
        amount=Money(Decimal("9.92"), "EUR"),
        next_billing_date=date(2026, 4, 1),
    )

    switched = api_as(client).post(
        f"/partners/relationships/{relationship.pk}/access", {"access": "full", "payment_mode": "partner"}
    )

    assert switched.json()["payment_mode"] == "partner"
    charge.refresh_from_db()
    assert charge.payer == programme_partner.organisation
    assert charge.next_billing_date == date(2026, 4, 1)
    assert Notification.objects.filter(
        organisation=programme_partner.organisation, recipient=programme_partner.user
    ).exists()
    assert AuditEntry.objects.filter(action="recurring_charge.updated", object_id=str(charge.pk)).exists()


def test_r4_5_limited_access_leaves_the_billing_with_the_client(
    api_as, programme_partner, legal, load_catalog
):
    load_catalog("alpenhost")
    client = legal(OrganisationKind.CUSTOMER)
    relationship = link_client(
        actor=None,
        partner=programme_partner.organisation,
        client=client.organisation,
        payment_mode=PaymentMode.PARTNER,
    )

    limited = api_as(client).post(
        f"/partners/relationships/{relationship.pk}/access",
        {"access": "limited", "payment_mode": "partner", "product_codes": ["alpenhost-mail"]},
    )

    assert limited.json()["payment_mode"] == "customer"


def test_r4_5_a_partner_with_limited_access_orders_a_granted_product_and_no_other(
    api_as, operator, programme_partner, legal, load_catalog
):
    load_catalog("alpenhost")
    client = legal(OrganisationKind.CUSTOMER, currency="CHF", country="CH")
    link_client(
        actor=None,
        partner=programme_partner.organisation,
        client=client.organisation,
        access=AccessLevel.LIMITED,
        product_codes=["alpenhost-mail"],
    )
    api = api_as(programme_partner)
    base = {"customer_id": client.organisation.pk, "quantity": 1, "accept_terms": True}

    granted = api.post("/orders", {**base, "product": "alpenhost-mail", "plan": "mail"})
    refused = api.post("/orders", {**base, "product": "alpenhost-web-hosting", "plan": "web-hosting"})

    assert granted.status_code == 201, granted.json()
    assert (refused.status_code, refused.json()["code"]) == (422, "product_not_granted")
