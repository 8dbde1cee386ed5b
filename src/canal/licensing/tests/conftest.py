"""License-server fixtures: the Redwall catalog, a customer's paid PRO license, an appliance client."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import Organisation, Role
from canal.accounts.tests.factories import MembershipFactory
from canal.billing.payments import pay_by_card
from canal.catalog.offer import Configuration

# Shared fixtures: the demo catalogs and the portal's browser fixtures.
from canal.catalog.tests.conftest import client_of, load_catalog  # noqa: F401
from canal.licensing import services
from canal.orders.models import Order
from canal.orders.placement import OrderDetails
from canal.orders.services import place_order, process_paid_orders
from canal.portal.tests.conftest import (  # noqa: F401
    browser_type_launch_args,
    log_in,
    open_portal,
    pytest_configure,
    screenshot,
)
from canal.subscriptions.models import Subscription

HARDWARE = "BOARD-7731/MAC-00:1b:21:3a:4f:10"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


class Appliance:
    """Calls the appliance API with an activation key, as a Redwall box would."""

    def __init__(self, key: str, address: str = "203.0.113.7") -> None:
        self.client = Client(
            HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address
        )

    def activate(self, hardware_code: str = HARDWARE) -> Any:
        return self.client.post(
            "/api/v1/licensing/appliance/activate", {"hardware_code": hardware_code}, "application/json"
        )

    def heartbeat(self, uptime_seconds: int = 3600, clients_in_use: int = 120, version: str = "7.4.0") -> Any:
        body = {"uptime_seconds": uptime_seconds, "clients_in_use": clients_in_use, "version": version}
        return self.client.post("/api/v1/licensing/appliance/heartbeat", body, "application/json")

    def updates(self, current_version: str) -> Any:
        return self.client.get("/api/v1/licensing/appliance/updates", {"current_version": current_version})


@dataclass
class Redwall:
    vendor: Organisation
    vendor_actor: Actor


@pytest.fixture
def redwall(load_catalog) -> Redwall:  # noqa: F811
    vendor = load_catalog("redwall")
    user = MembershipFactory(organisation=vendor, role=Role.ADMIN, user__language="en").user
    return Redwall(vendor=vendor, vendor_actor=actor_for(user, vendor.pk))


def order_license(
    customer: Actor,
    *,
    plan: str = "pro",
    quantity: int = 250,
    modules: tuple[str, ...] = ("firewall", "qos"),
    name: str = "server1",
    pay: bool = True,
) -> Subscription:
    order = place_order(
        actor=customer,
        configuration=Configuration(product="redwall-server", plan=plan, quantity=quantity, modules=modules),
        details=OrderDetails(name=name),
    )
    if pay and order.invoice_id:
        pay_by_card(actor=customer, invoice_id=order.invoice_id, amount=None, card_token="tok_visa")
        process_paid_orders()
    return Subscription.objects.get(pk=Order.objects.get(pk=order.pk).subscription_id)


@pytest.fixture
def license_(redwall, customer) -> Subscription:
    return order_license(customer)


@pytest.fixture
def appliance(customer, license_) -> Appliance:
    _key, plaintext = services.issue_activation_key(actor=customer, server_id=license_.pk)
    return Appliance(plaintext)


def notified(user, message: tuple[str, str], **params: Any) -> bool:
    """Whether `user` got the notification with these parameters, reading in the user's own language."""
    from django.utils.translation import gettext

    from canal.notifications.models import Notification
    from canal.orders.notices import language_of

    found = Notification.objects.filter(recipient=user, message=message[0]).first()
    if found is None or any(found.params.get(name) != value for name, value in params.items()):
        return False
    with translation.override(language_of(user)):
        return found.heading == gettext(message[0]) % found.params
