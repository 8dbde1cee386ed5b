"""Order fixtures: the demo work-management catalog (R1), a partner with a client, helpers to place."""

from dataclasses import dataclass
from typing import Any

import pytest

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import Organisation, OrganisationKind, Role
from canal.accounts.tests.factories import MembershipFactory

# Shared fixtures: the demo catalogs and partner clients, and the portal's browser fixtures.
from canal.catalog.tests.conftest import client_of, load_catalog  # noqa: F401
from canal.portal.tests.conftest import (  # noqa: F401
    browser_type_launch_args,
    log_in,
    open_portal,
    pytest_configure,
    screenshot,
)

END_CUSTOMER = {"name": "Marta Ruiz", "email": "marta@cliente.example"}


@dataclass
class Marketplace:
    vendor: Organisation
    vendor_actor: Actor
    partner: Actor
    client: Organisation
    client_admin: Actor


@pytest.fixture
def marketplace(load_catalog, client_of, partner) -> Marketplace:  # noqa: F811
    vendor = load_catalog("tareo")
    vendor.country = "US"
    vendor.save(update_fields=["country"])
    vendor_user = MembershipFactory(organisation=vendor, role=Role.ADMIN, user__language="en").user
    client = client_of(partner)
    client_user = MembershipFactory(organisation=client, role=Role.ADMIN).user
    return Marketplace(
        vendor=vendor,
        vendor_actor=actor_for(vendor_user, vendor.pk),
        partner=partner,
        client=client,
        client_admin=actor_for(client_user, client.pk),
    )


def order_body(client: Organisation, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "product": "tareo-work",
        "plan": "business",
        "quantity": 20,
        "add_ons": ["marketing-pack"],
        "package": "onboarding-i",
        "customer_id": client.pk,
        "accept_terms": True,
        "end_customer": dict(END_CUSTOMER),
        "notify_me": True,
        "contract_id": "NUBE-2026-001",
    }
    body.update(overrides)
    return body


@pytest.fixture
def operator_org(db: None) -> Organisation:
    from canal.accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(kind=OrganisationKind.OPERATOR, name="Canal Operator")


def place(api: Any, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    response = api.post("/orders", body, **headers)
    assert response.status_code == 201, response.json()
    return response.json()


def provision(api: Any, order_id: int, account: str = "") -> dict[str, Any]:
    from canal.subscriptions.models import ProvisioningRequest

    request = ProvisioningRequest.objects.get(order_id=order_id)
    response = api.post(f"/provisioning-requests/{request.pk}/complete", {"vendor_account_id": account})
    assert response.status_code == 200, response.json()
    return response.json()
