"""Priority support through the API: configuration for the vendor, severity and flag on tickets."""

from typing import Any

import pytest

from canal.accounts.actor import actor_for
from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.support.tests.conftest import customer_actor

pytestmark = pytest.mark.django_db


def put(api: Any, path: str, body: Any) -> Any:
    return api.client.put(f"/api/v1{path}", body, content_type="application/json")


@pytest.fixture
def vendor_api(desk: Any, api_as: Any) -> Any:
    return api_as(
        actor_for(MembershipFactory(organisation=desk.vendor, role=Role.ADMIN).user, desk.vendor.pk)
    )


def test_r5_1_the_vendor_configures_tiers_and_the_customer_sees_s1_on_its_ticket(
    desk: Any, api_as: Any, vendor_api: Any
) -> None:
    answer = put(
        vendor_api,
        "/support/priority",
        {"tiers": [{"region": "", "threshold": 100}], "excluded_product_ids": []},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["tiers"] == [{"region": "", "threshold": 100}]
    desk.license()

    opened = api_as(desk.customer).post(
        "/support/tickets",
        {"category_id": desk.category().pk, "title": "Down", "description": "All users out."},
    )

    body = opened.json()
    assert (body["severity"], body["severity_label"], body["large_account"]) == ("s1", "S1-Critical", True)


def test_r5_3_the_default_exclusions_are_listed_in_the_configuration(vendor_api: Any) -> None:
    put(vendor_api, "/support/priority", {"tiers": [{"region": "EMEA", "threshold": 100}]})

    answer = vendor_api.get("/support/priority")

    assert {"redwall-server", "redwall-support"} == {p["code"] for p in answer.json()["excluded_products"]}


def test_r5_1_bad_configuration_is_refused_with_a_field_and_nothing_changes(vendor_api: Any) -> None:
    put(vendor_api, "/support/priority", {"tiers": [{"region": "EMEA", "threshold": 100}]})

    for body in (
        {"tiers": [{"region": "EMEA", "threshold": True}]},
        {"tiers": [{"region": "EMEA", "threshold": 0}]},
        {"tiers": [{"region": "EMEA", "threshold": 5}, {"region": "EMEA", "threshold": 6}]},
        {"tiers": [], "default_severity": "s9"},
        {"tiers": [], "excluded_product_ids": [2**62]},
    ):
        answer = put(vendor_api, "/support/priority", body)
        assert answer.status_code in (404, 422), body
        assert "code" in answer.json()

    assert vendor_api.get("/support/priority").json()["tiers"] == [{"region": "EMEA", "threshold": 100}]


def test_r5_1_other_organisations_get_404_for_the_configuration(
    desk: Any, api_as: Any, vendor_api: Any
) -> None:
    put(vendor_api, "/support/priority", {"tiers": [{"region": "", "threshold": 100}]})

    assert api_as(desk.customer).get("/support/priority").status_code == 404
    assert put(api_as(desk.customer), "/support/priority", {"tiers": []}).status_code == 403


def test_r5_5_an_agent_identifies_the_customer_through_the_api(
    desk: Any, api_as: Any, vendor_api: Any
) -> None:
    put(
        vendor_api,
        "/support/priority",
        {"tiers": [{"region": "", "threshold": 100}], "excluded_product_ids": []},
    )
    ticket = desk.open()
    desk.license()

    answer = api_as(desk.agent).post(
        f"/support/tickets/{ticket.pk}/identify", {"email": desk.customer.user.email}
    )

    assert answer.status_code == 200, answer.content
    assert (answer.json()["large_account"], answer.json()["severity"]) == (True, "s1")


def test_r5_5_a_stranger_identifying_a_ticket_gets_404(desk: Any, api_as: Any) -> None:
    ticket = desk.open()

    answer = api_as(customer_actor()).post(f"/support/tickets/{ticket.pk}/identify", {"email": "a@b.test"})

    assert answer.status_code == 404


def test_a_severity_change_needs_a_reason(desk: Any, api_as: Any) -> None:
    ticket = desk.open()
    agent = api_as(desk.agent)

    assert (
        agent.post(f"/support/tickets/{ticket.pk}/severity", {"severity": "s2", "reason": ""}).status_code
        == 422
    )
    answer = agent.post(f"/support/tickets/{ticket.pk}/severity", {"severity": "s2", "reason": "Outage"})

    assert (answer.status_code, answer.json()["severity_label"]) == (200, "S2-High")
