"""R5.6 through the API and the portal: due times, time left and pause state on the ticket, the list by
due time and breach, the vendor's SLA settings and the monthly compliance report."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from canal.accounts.actor import actor_for
from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.support import breaches, holds, priority
from canal.support.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor_admin(desk: Any):
    return actor_for(MembershipFactory(organisation=desk.vendor, role=Role.ADMIN).user, desk.vendor.pk)


@pytest.fixture
def s1_ticket(desk: Any, vendor_admin) -> Ticket:
    priority.configure(actor=vendor_admin, default_severity="s3", tiers=[("", 100)], excluded_product_ids=[])
    desk.license()
    return desk.open()


SLA_BODY = {
    "targets": [
        {
            "severity": "s1",
            "first_response_minutes": 180,
            "determination_minutes": 480,
            "resolution_minutes": 2880,
            "first_response_warn_minutes": 60,
            "determination_warn_minutes": 120,
            "resolution_warn_minutes": 1440,
            "update_minutes": 240,
            "business_hours": True,
        }
    ],
    "calendar": {
        "time_zone": "Europe/Madrid",
        "opening_hours": [["09:00", "18:00"]] * 4 + [["09:00", "15:00"], None, None],
        "closed_dates": ["2026-12-24"],
        "country": "ES",
    },
    "escalation_contact_ids": [],
}


def test_r5_6_the_ticket_api_shows_due_times_time_left_and_the_pause(
    desk: Any, api_as: Any, s1_ticket
) -> None:
    customer = api_as(desk.customer)

    body = customer.get(f"/support/tickets/{s1_ticket.pk}").json()
    phases = {phase["phase"]: phase for phase in body["sla"]}
    assert set(phases) == {"first_response", "determination", "resolution", "update"}
    assert 0 < phases["first_response"]["remaining_seconds"] <= 3 * 3600
    assert body["sla_paused_at"] is None

    api_as(desk.agent).post(f"/support/tickets/{s1_ticket.pk}/hold")
    body = customer.get(f"/support/tickets/{s1_ticket.pk}").json()

    assert (body["status"], body["sla_paused_at"] is not None) == ("waiting", True)


def test_r5_6_the_ticket_list_filters_and_sorts_by_breach_and_due_time(
    desk: Any, api_as: Any, s1_ticket
) -> None:
    later = desk.open(title="Later one")
    Ticket.objects.filter(pk=later.pk).update(
        first_response_due_at=s1_ticket.first_response_due_at + timedelta(hours=1)
    )
    breaches.flag_sla_breaches(now=s1_ticket.created_at + timedelta(hours=3, minutes=1))
    agent = api_as(desk.agent)

    breached = agent.get("/support/tickets", sla="breached").json()["results"]
    by_due = agent.get("/support/tickets/by-due").json()["items"]

    assert {row["number"] for row in breached} == {s1_ticket.number}
    assert [row["number"] for row in by_due][:2] == [s1_ticket.number, later.number]
    assert breached[0]["sla_breached"] is True


def test_tickets_by_due_refuse_an_offset_past_the_bound_instead_of_failing(desk: Any, api_as: Any) -> None:
    agent = api_as(desk.agent)

    refused = agent.get("/support/tickets/by-due", offset=2**70)
    deep = agent.get("/support/tickets/by-due", offset=10_001)
    last = agent.get("/support/tickets/by-due", offset=10_000)

    assert (refused.status_code, deep.status_code, last.status_code) == (422, 422, 200)
    assert last.json()["items"] == []


def test_r5_6_the_portal_shows_the_sla_panel_and_the_list_by_due_time(
    desk: Any, portal_login: Any, s1_ticket
) -> None:
    holds.put_on_hold(actor=desk.agent, ticket_id=s1_ticket.pk)
    client = portal_login(desk.customer.user)

    page = client.get(reverse("support:ticket", args=[s1_ticket.pk])).content.decode()
    listing = client.get(reverse("support:tickets") + "?sla=paused&sort=due").content.decode()

    assert "Clock paused" in page
    assert "First response" in page
    assert "Resolution" in page
    assert s1_ticket.number in listing
    assert "clock paused" in listing
    csv_answer = client.get(reverse("support:tickets") + "?sla=paused&sort=due&format=csv")
    download = b"".join(csv_answer.streaming_content).decode()
    assert s1_ticket.number in download
    assert s1_ticket.first_response_due_at.isoformat()[:16] in download


def test_r5_6_the_vendor_edits_targets_and_calendar_in_the_api(api_as: Any, vendor_admin, s1_ticket) -> None:
    vendor = api_as(vendor_admin)

    saved = vendor.client.put("/api/v1/support/priority/sla", SLA_BODY, content_type="application/json")
    refused = vendor.client.put(
        "/api/v1/support/priority/sla",
        SLA_BODY | {"calendar": SLA_BODY["calendar"] | {"time_zone": "Mars/Olympus"}},
        content_type="application/json",
    )

    assert saved.status_code == 200, saved.content
    assert vendor.get("/support/priority/sla").json()["calendar"]["closed_dates"] == ["2026-12-24"]
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_sla")
    assert vendor.get("/support/priority/sla").json()["calendar"]["time_zone"] == "Europe/Madrid"


def test_r5_6_the_vendor_edits_service_levels_in_the_portal(
    portal_login: Any, vendor_admin, s1_ticket
) -> None:
    client = portal_login(vendor_admin.user)
    form = {
        "s1_first_response_warn_minutes": "30",
        "s1_first_response_minutes": "90",
        "s1_determination_minutes": "240",
        "s1_resolution_minutes": "1440",
        "time_zone": "Europe/Madrid",
        "opens_0": "08:00",
        "closes_0": "",
        "closed_dates": "2026-12-24\n2026-12-31",
        "contacts": [str(vendor_admin.user.pk)],
    }

    answer = client.post(reverse("support:sla"), form)
    page = client.get(reverse("support:sla")).content.decode()

    assert answer.status_code == 302
    assert 'value="90"' in page
    assert "2026-12-31" in page


def test_r5_6_a_stranger_has_no_sla_settings_or_report(desk: Any, api_as: Any, portal_login: Any) -> None:
    assert api_as(desk.customer).get("/support/priority/sla").status_code == 404
    assert api_as(desk.customer).get("/support/priority/report").status_code == 404
    assert portal_login(desk.customer.user).get(reverse("support:sla")).status_code == 404


def test_r5_6_the_monthly_compliance_report_in_api_page_and_csv(
    desk: Any, api_as: Any, portal_login: Any, vendor_admin, s1_ticket
) -> None:
    answered = desk.open(title="Answered in time")
    Ticket.objects.filter(pk__in=[s1_ticket.pk, answered.pk]).update(
        created_at=datetime(2026, 11, 3, 9, tzinfo=UTC)
    )
    Ticket.objects.filter(pk=answered.pk).update(first_response_at=datetime(2026, 11, 3, 10, tzinfo=UTC))
    Ticket.objects.filter(pk=s1_ticket.pk).update(first_response_due_at=datetime(2026, 11, 3, 12, tzinfo=UTC))
    breaches.flag_sla_breaches(now=datetime(2026, 11, 3, 12, 30, tzinfo=UTC))

    rows = api_as(vendor_admin).get("/support/priority/report?month=2026-11").json()
    first = next(row for row in rows if row["phase"] == "first_response")
    client = portal_login(vendor_admin.user)
    page = client.get(reverse("support:sla_report") + "?month=2026-11").content.decode()
    download = client.get(reverse("support:sla_report") + "?month=2026-11&format=csv")

    assert (first["severity"], first["met"], first["breached"], first["compliance"]) == ("s1", 1, 1, "50.0")
    assert "<svg" in page
    assert "50.0 %" in page
    lines = list(csv.reader(io.StringIO(download.content.decode())))
    assert ["2026-11", "S1-Critical", "First response", "1", "1", "0", "50.0"] in lines
