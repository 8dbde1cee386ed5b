"""Priority support in the portal: the vendor's configuration page, severity and flag on the ticket page."""

from typing import Any

import pytest

from canal.accounts.actor import actor_for
from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.support import priority

pytestmark = pytest.mark.django_db


def test_r5_1_the_vendor_saves_its_tiers_on_the_priority_page(desk: Any, portal_login: Any) -> None:
    admin = MembershipFactory(organisation=desk.vendor, role=Role.ADMIN).user
    client = portal_login(admin)

    page = client.get("/support/priority/")
    answer = client.post("/support/priority/", {"default_severity": "s3", "tiers": "EMEA 100\n* 250"})

    assert page.status_code == 200
    assert answer.status_code == 302
    config = priority.config_for(actor_for(admin, desk.vendor.pk))
    assert {(t.region, t.threshold) for t in config.tiers.all()} == {("EMEA", 100), ("", 250)}


def test_r5_1_a_bad_tier_line_shows_the_message_and_saves_nothing(desk: Any, portal_login: Any) -> None:
    client = portal_login(MembershipFactory(organisation=desk.vendor, role=Role.ADMIN).user)

    answer = client.post("/support/priority/", {"default_severity": "s3", "tiers": "EMEA lots"})

    assert "region and a number of user licenses" in answer.content.decode()
    assert client.get("/api/v1/support/priority").status_code in (401, 404)  # session auth is not the API's


def test_r5_4_the_ticket_page_shows_s1_and_the_large_account_flag(desk: Any, portal_login: Any) -> None:
    admin = actor_for(MembershipFactory(organisation=desk.vendor, role=Role.ADMIN).user, desk.vendor.pk)
    priority.configure(actor=admin, default_severity="s3", tiers=[("", 100)], excluded_product_ids=[])
    desk.license()
    ticket = desk.open()

    page = portal_login(desk.customer.user).get(f"/support/tickets/{ticket.pk}/").content.decode()

    assert "S1-Critical" in page
    assert "Priority customer: large account" in page


def test_r5_5_an_agent_identifies_the_customer_on_the_ticket_page(desk: Any, portal_login: Any) -> None:
    admin = actor_for(MembershipFactory(organisation=desk.vendor, role=Role.ADMIN).user, desk.vendor.pk)
    priority.configure(actor=admin, default_severity="s3", tiers=[("", 100)], excluded_product_ids=[])
    ticket = desk.open()
    desk.license()
    client = portal_login(desk.agent.user)

    client.post(f"/support/tickets/{ticket.pk}/identify/", {"email": desk.customer.user.email})

    ticket.refresh_from_db()
    assert (ticket.severity, ticket.large_account) == ("s1", True)


def test_the_priority_page_is_not_found_for_a_customer(desk: Any, portal_login: Any) -> None:
    assert portal_login(desk.customer.user).get("/support/priority/").status_code == 404
