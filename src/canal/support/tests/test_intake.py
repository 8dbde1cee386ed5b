"""Partner intake (R5.7) and who may use priority support (R5.8), from the partner's side: API and portal."""

from typing import Any

import pytest

from canal.support.models import Ticket
from canal.support.tests.intake_setup import EUROPE, intake  # noqa: F401

pytestmark = pytest.mark.django_db


def put(api: Any, path: str, body: Any) -> Any:
    return api.client.put(f"/api/v1{path}", body, content_type="application/json")


def form(intake: Any, **fields: Any) -> dict:  # noqa: F811
    return {
        "product_id": intake.product.pk,
        "account_ref": "ORG-4711",
        "subject": "All users locked out",
        "description": "Since 9:00 nobody can log in.",
        "customer_email": "",
    } | fields


def test_r5_7_a_partner_opens_a_priority_ticket_for_a_large_account_and_it_is_s1(
    intake: Any,  # noqa: F811
    api_as: Any,
) -> None:
    api = api_as(intake.partner)

    answer = api.post("/support/intake/priority", form(intake))

    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["severity"], body["large_account"], body["account_ref"]) == ("s1", True, "ORG-4711")
    assert body["customer_id"] == intake.desk.customer.organisation.pk
    assert body["first_response_due_at"] is not None
    # The partner finds it among the tickets it sees.
    assert [row["number"] for row in api.get("/support/tickets").json()["results"]] == [body["number"]]


def test_r5_7_the_customer_primary_email_identifies_the_account_without_an_id(
    intake: Any,  # noqa: F811
    api_as: Any,
) -> None:
    owner = intake.desk.customer.user.email

    answer = api_as(intake.partner).post(
        "/support/intake/priority", form(intake, account_ref="", customer_email=owner.upper())
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["severity"] == "s1"


def test_r5_7_an_account_that_is_not_the_partners_client_is_refused_and_nothing_is_created(
    intake: Any,  # noqa: F811
    api_as: Any,
) -> None:
    for fields in ({"account_ref": "ORG-9999"}, {"account_ref": "", "customer_email": ""}):
        answer = api_as(intake.partner).post("/support/intake/priority", form(intake, **fields))

        assert answer.status_code == 422
        assert answer.json()["field"] == "account_ref"
    assert not Ticket.objects.exists()


def test_r5_7_the_partner_sees_its_regions_support_address(intake: Any, api_as: Any) -> None:  # noqa: F811
    body = api_as(intake.partner).get("/support/intake").json()

    assert [address["email"] for address in body["addresses"]] == [EUROPE]
    assert intake.product.pk in [service["id"] for service in body["services"]]


def test_r5_8_a_user_not_allowed_is_refused_priority_and_told_to_use_the_general_form(
    intake: Any,  # noqa: F811
    api_as: Any,
) -> None:
    api = api_as(intake.colleague)
    assert api.get("/support/intake").json()["priority_allowed"] is False

    refused = api.post("/support/intake/priority", form(intake))

    assert refused.status_code == 403
    assert refused.json()["code"] == "priority_access_required"
    assert "general partner form" in refused.json()["message"]
    assert not Ticket.objects.exists()
    general = api.post("/support/intake/general", form(intake))
    assert general.status_code == 201, general.content
    assert general.json()["severity"] == "s1"  # the document: "the same result"


def test_r5_8_the_legal_representative_decides_who_may_use_priority_support(
    intake: Any,  # noqa: F811
    api_as: Any,
) -> None:
    boss = api_as(intake.partner)

    answer = put(boss, "/support/priority-access", {"user_ids": [intake.colleague.user.pk]})

    assert answer.status_code == 200, answer.content
    rows = {row["user_id"]: row["allowed"] for row in answer.json()}
    assert rows == {intake.partner.user.pk: True, intake.colleague.user.pk: True}
    assert api_as(intake.colleague).post("/support/intake/priority", form(intake)).status_code == 201
    put(boss, "/support/priority-access", {"user_ids": []})
    assert api_as(intake.colleague).post("/support/intake/priority", form(intake)).status_code == 403


def test_r5_8_only_the_legal_representative_changes_the_access_list(
    intake: Any,  # noqa: F811
    api_as: Any,
) -> None:
    colleague = api_as(intake.colleague)

    answer = put(colleague, "/support/priority-access", {"user_ids": [intake.colleague.user.pk]})

    assert answer.status_code == 403
    assert colleague.post("/support/intake/priority", form(intake)).status_code == 403
    outsider = {"user_ids": [intake.desk.agent.user.pk]}
    stranger = put(api_as(intake.partner), "/support/priority-access", outsider)
    assert stranger.status_code == 404


def test_r5_7_the_priority_form_in_the_portal_opens_an_s1_ticket(
    intake: Any,  # noqa: F811
    portal_login: Any,
) -> None:
    client = portal_login(intake.partner.user)
    page = client.get("/support/intake/")
    assert page.status_code == 200
    assert EUROPE in page.content.decode()

    answer = client.post("/support/intake/", form(intake) | {"centre": "priority"}, follow=True)

    ticket = Ticket.objects.get()
    assert (ticket.severity, ticket.large_account, ticket.requester) == ("s1", True, intake.partner.user)
    assert "S1-Critical" in answer.content.decode()


def test_r5_8_the_portal_refuses_priority_to_a_user_not_allowed_and_offers_the_general_form(
    intake: Any,  # noqa: F811
    portal_login: Any,
) -> None:
    client = portal_login(intake.colleague.user)

    answer = client.post("/support/intake/", form(intake) | {"centre": "priority"})

    assert "general partner form" in answer.content.decode()
    assert not Ticket.objects.exists()
    client.post("/support/intake/", form(intake) | {"centre": "general"})
    assert Ticket.objects.count() == 1


def test_r5_8_the_legal_representative_allows_a_user_in_the_portal(
    intake: Any,  # noqa: F811
    portal_login: Any,
) -> None:
    client = portal_login(intake.partner.user)
    assert intake.colleague.user.email in client.get("/support/intake/access/").content.decode()

    client.post("/support/intake/access/", {"allowed": [str(intake.colleague.user.pk)]})

    colleague = portal_login(intake.colleague.user)
    colleague.post("/support/intake/", form(intake) | {"centre": "priority"})
    assert Ticket.objects.get().severity == "s1"
