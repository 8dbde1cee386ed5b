"""Partner intake fixtures: Redwall with priority support (every region from 100 user licenses), two
regional support addresses, a large-account client known to Redwall as ORG-4711, and its partner with a
legal representative and a technical colleague who manages that client."""

from dataclasses import dataclass

import pytest

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import ClientManager, OrganisationKind, Role
from canal.accounts.tests.factories import ClientRelationshipFactory, MembershipFactory, member
from canal.catalog.models import Product
from canal.subscriptions.models import Subscription
from canal.support import mailboxes, priority

AMERICAS = "support@redwall.test"
EUROPE = "support@eu.redwall.test"


@dataclass
class Intake:
    desk: object
    vendor_admin: Actor
    partner: Actor  # the partner's legal representative
    colleague: Actor  # a technical user of the partner who manages the client
    server: Subscription

    @property
    def product(self) -> Product:
        return self.server.product


@pytest.fixture
def intake(desk) -> Intake:
    admin = MembershipFactory(organisation=desk.vendor, role=Role.ADMIN).user
    vendor_admin = actor_for(admin, desk.vendor.pk)
    priority.configure(actor=vendor_admin, default_severity="s3", tiers=[("", 100)], excluded_product_ids=[])
    mailboxes.set_addresses(
        actor=vendor_admin,
        addresses=[
            mailboxes.AddressIn(name="Americas and Asia", email=AMERICAS, regions="AMER, APAC"),
            mailboxes.AddressIn(name="EU", email=EUROPE, regions="EMEA"),
        ],
    )
    server = desk.license()  # 100 user licenses: a large account
    server.vendor_account_id = "ORG-4711"
    server.save(update_fields=["vendor_account_id"])
    partner = actor_for(member(OrganisationKind.PARTNER, Role.LEGAL_REPRESENTATIVE, region="EMEA"))
    relationship = ClientRelationshipFactory(partner=partner.organisation, client=desk.customer.organisation)
    colleague_user = MembershipFactory(organisation=partner.organisation, role=Role.TECHNICAL).user
    ClientManager.objects.create(relationship=relationship, user=colleague_user)
    colleague = actor_for(colleague_user, partner.organisation.pk)
    return Intake(desk=desk, vendor_admin=vendor_admin, partner=partner, colleague=colleague, server=server)
