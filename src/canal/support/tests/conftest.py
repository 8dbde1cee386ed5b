"""Support desk fixtures: Redwall's catalog (packs and ticket categories), a customer, agents, helpers."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import Organisation, OrganisationKind, Role
from canal.accounts.tests.factories import MembershipFactory, member
from canal.billing import services as billing
from canal.catalog.models import Plan, Product, SupportPack, TicketCategory
from canal.catalog.tests.conftest import load_catalog  # noqa: F401
from canal.portal.tests.conftest import (  # noqa: F401
    browser_type_launch_args,
    log_in,
    open_portal,
    pytest_configure,
    screenshot,
)
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.support import tickets
from canal.support.models import Ticket


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Services raise messages in the active language; these tests read the English ones."""
    with translation.override("en"):
        yield


@dataclass
class Desk:
    vendor: Organisation
    customer: Actor
    agent: Actor  # an operator support agent
    vendor_agent: Actor  # the vendor's own support agent

    def category(self, code: str = "configuration") -> TicketCategory:
        return TicketCategory.objects.get(product__code="redwall-support", code=code)

    def pack(self, code: str = "mini") -> SupportPack:
        return SupportPack.objects.get(product__code="redwall-support", code=code)

    def license(self, customer: Actor | None = None, name: str = "server1") -> Subscription:
        """An active PRO license of Redwall's appliance: the customer counts as licensed (R2.14)."""
        organisation = (customer or self.customer).organisation
        product = Product.objects.get(code="redwall-server")
        return Subscription.objects.create(
            customer=organisation,
            payer=organisation,
            product=product,
            plan=Plan.objects.get(product=product, code="pro"),
            quantity=100,
            currency="USD",
            status=SubscriptionStatus.ACTIVE,
            term_start=date(2026, 1, 1),
            term_end=date(2027, 1, 1),
            name=name,
        )

    def credits(self, amount: int, customer: Actor | None = None) -> None:
        """Credits as a paid pack would bring them."""
        billing.add_support_credits(
            actor=None, organisation=(customer or self.customer).organisation, credits=amount
        )

    def open(self, customer: Actor | None = None, code: str = "configuration", **fields: Any) -> Ticket:
        return tickets.open_ticket(
            actor=customer or self.customer,
            category_id=self.category(code).pk,
            title=fields.pop("title", "Queues do not shape traffic"),
            description=fields.pop("description", "Since Monday the QoS queues ignore the limits."),
            **fields,
        )

    def quoted(self, credits: int | None = None, **fields: Any) -> Ticket:
        ticket = self.open(**fields)
        reason = "" if credits is None else "Needs a remote session"
        return tickets.quote_ticket(actor=self.agent, ticket_id=ticket.pk, credits=credits, reason=reason)


def customer_actor(**organisation: Any) -> Actor:
    return actor_for(member(OrganisationKind.CUSTOMER, Role.ADMIN, currency="USD", **organisation))


@pytest.fixture
def desk(load_catalog) -> Desk:  # noqa: F811
    vendor = load_catalog("redwall")
    agent = actor_for(member(OrganisationKind.OPERATOR, Role.SUPPORT_AGENT))
    vendor_agent_user = MembershipFactory(organisation=vendor, role=Role.SUPPORT_AGENT).user
    return Desk(
        vendor=vendor,
        customer=customer_actor(),
        agent=agent,
        vendor_agent=actor_for(vendor_agent_user, vendor.pk),
    )


@pytest.fixture
def portal_login(client: Client) -> Any:
    """Logs the user in to the portal, which then answers in English (the browser's language)."""

    def login(user: Any) -> Client:
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return login
