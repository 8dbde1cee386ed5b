"""R5.6: the SLA clock of priority support, through the services support and the sweep use: the pause
while the ticket waits for the customer, warnings at the lower bounds, timely updates, each flag once,
escalation to the vendor's contacts and nobody else, and a sweep whose queries do not grow with tickets."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from canal.accounts.actor import actor_for
from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.core import stored_text
from canal.core.errors import IllegalTransition, RuleViolation
from canal.notifications.models import Notification
from canal.support import breaches, escalation, holds, priority, sla_config, tickets
from canal.support.models import SlaBreach, Ticket, TicketStatus
from canal.support.sla_config import CalendarSpec, TargetSpec

pytestmark = pytest.mark.django_db
S1 = TargetSpec("s1", 180, 480, 2880, 60, 120, 1440, 240)


@pytest.fixture
def vendor_admin(desk: Any):
    return actor_for(MembershipFactory(organisation=desk.vendor, role=Role.ADMIN).user, desk.vendor.pk)


@pytest.fixture
def s1(desk: Any, vendor_admin):
    """Every ticket of the desk's customer is a large account's: S1 with the document's targets."""
    priority.configure(actor=vendor_admin, default_severity="s3", tiers=[("", 100)], excluded_product_ids=[])
    desk.license()

    def open_at(created: datetime, customer=None) -> Ticket:
        ticket = desk.open(customer=customer)
        Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
        ticket.refresh_from_db()
        priority.change_severity(actor=desk.agent, ticket_id=ticket.pk, severity="s1", reason="recount")
        ticket.refresh_from_db()
        return ticket

    return open_at


def _events(ticket: Ticket) -> list[tuple[str, str]]:
    return sorted(SlaBreach.objects.filter(ticket=ticket).values_list("phase", "kind"))


MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def test_r5_6_warnings_come_at_the_documents_lower_bounds_before_any_breach(desk: Any, s1) -> None:
    ticket = s1(MONDAY)

    assert breaches.flag_sla_breaches(now=MONDAY + timedelta(minutes=59)) == 0
    breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=1, minutes=1))
    assert _events(ticket) == [("first_response", "warning")]
    breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=2, minutes=1))
    assert _events(ticket) == [("determination", "warning"), ("first_response", "warning")]


def test_r5_6_a_missed_first_response_is_flagged_once_and_escalated(
    desk: Any, s1, django_capture_on_commit_callbacks
) -> None:
    ticket = s1(MONDAY)
    late = MONDAY + timedelta(hours=3, minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        breaches.flag_sla_breaches(now=late)
    breaches.flag_sla_breaches(now=late + timedelta(minutes=5))

    assert SlaBreach.objects.filter(ticket=ticket, phase="first_response", kind="breach").count() == 1
    told = Notification.objects.filter(
        recipient=desk.vendor_agent.user, message=escalation.BREACHED["first_response"]
    )
    assert told.count() == 1
    assert told.get().params["number"] == ticket.number
    with translation.override("es"):
        assert ticket.number in stored_text.render(told.get().message, told.get().params)


def test_r5_6_a_phase_met_in_time_is_never_breached(desk: Any, s1) -> None:
    ticket = s1(MONDAY)
    tickets.reply(actor=desk.agent, ticket_id=ticket.pk, body="Looking at it now.")
    Ticket.objects.filter(pk=ticket.pk).update(first_response_at=MONDAY + timedelta(minutes=30))

    breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=4))

    assert ("first_response", "breach") not in _events(ticket)
    assert ("first_response", "warning") not in _events(ticket)


def test_r5_6_the_clock_pauses_while_the_ticket_waits_for_the_customer(desk: Any, s1) -> None:
    ticket = s1(MONDAY)
    holds.put_on_hold(actor=desk.agent, ticket_id=ticket.pk, now=MONDAY + timedelta(minutes=30))

    # Waiting: nothing is flagged however late it gets.
    assert breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=5)) == 0
    holds.resume_ticket(actor=desk.agent, ticket_id=ticket.pk, now=MONDAY + timedelta(hours=5))
    ticket.refresh_from_db()

    # 2 h 30 of the first response's 3 h were left: due 07:30 after opening, not 03:00.
    assert ticket.status == TicketStatus.PENDING
    assert ticket.first_response_due_at == MONDAY + timedelta(hours=7, minutes=30)
    assert ticket.resolution_due_at == MONDAY + timedelta(hours=48 + 4, minutes=30)
    breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=7, minutes=29))
    assert ("first_response", "breach") not in _events(ticket)
    breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=7, minutes=31))
    assert ("first_response", "breach") in _events(ticket)


def test_r5_6_the_customers_reply_starts_the_clock_again(desk: Any, s1) -> None:
    ticket = s1(datetime.now(UTC) - timedelta(minutes=10))
    holds.put_on_hold(actor=desk.agent, ticket_id=ticket.pk)

    tickets.reply(actor=desk.customer, ticket_id=ticket.pk, body="Here is the log you asked for.")
    ticket.refresh_from_db()

    assert (ticket.status, ticket.sla_paused_at) == (TicketStatus.PENDING, None)


def test_r5_6_a_pause_on_business_hours_shifts_by_business_time_only(desk: Any, s1, vendor_admin) -> None:
    weekdays = [("09:00", "18:00")] * 5 + [None, None]
    sla_config.configure_sla(
        actor=vendor_admin,
        targets=[TargetSpec("s1", 180, 480, 2880, business_hours=True)],
        calendar=CalendarSpec(time_zone="UTC", opening_hours=weekdays),
        escalation_contact_ids=[],
    )
    friday = datetime(2026, 11, 6, 16, 0, tzinfo=UTC)
    ticket = s1(friday)
    assert ticket.first_response_due_at == datetime(2026, 11, 9, 10, 0, tzinfo=UTC)  # 2 h Friday, 1 h Monday

    holds.put_on_hold(actor=desk.agent, ticket_id=ticket.pk, now=friday + timedelta(hours=1))
    holds.resume_ticket(actor=desk.agent, ticket_id=ticket.pk, now=datetime(2026, 11, 9, 10, 0, tzinfo=UTC))
    ticket.refresh_from_db()

    # Paused with 2 business hours left; resumed Monday 10:00: due Monday 12:00.
    assert ticket.first_response_due_at == datetime(2026, 11, 9, 12, 0, tzinfo=UTC)


def test_r5_6_an_open_s1_ticket_needs_timely_updates(desk: Any, s1) -> None:
    ticket = s1(MONDAY)

    breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=4, minutes=1))
    assert SlaBreach.objects.filter(ticket=ticket, phase="update").count() == 1

    # Support's public update at 05:00: the next is due at 09:00, and missing it is a new breach.
    tickets.reply(actor=desk.agent, ticket_id=ticket.pk, body="Still investigating the database.")
    ticket.refresh_from_db()
    Ticket.objects.filter(pk=ticket.pk).update(update_due_at=MONDAY + timedelta(hours=9))
    breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=8, minutes=59))
    assert SlaBreach.objects.filter(ticket=ticket, phase="update").count() == 1
    breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=9, minutes=1))
    breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=9, minutes=2))
    assert SlaBreach.objects.filter(ticket=ticket, phase="update").count() == 2


def test_r5_6_a_support_reply_sets_the_next_update_one_interval_later(desk: Any, s1) -> None:
    ticket = s1(datetime.now(UTC) - timedelta(minutes=5))

    message = tickets.reply(actor=desk.agent, ticket_id=ticket.pk, body="On it.")
    ticket.refresh_from_db()

    assert ticket.update_due_at == message.created_at + timedelta(hours=4)
    assert ticket.first_response_at == message.created_at


def test_r5_6_escalation_reaches_the_contacts_and_not_others(
    desk: Any, s1, vendor_admin, django_capture_on_commit_callbacks
) -> None:
    contact = MembershipFactory(
        organisation=desk.vendor, role=Role.SUPPORT_AGENT, user__email="esc@redwall.test"
    ).user
    sla_config.configure_sla(
        actor=vendor_admin, targets=[S1], calendar=CalendarSpec(), escalation_contact_ids=[contact.pk]
    )
    ticket = s1(MONDAY)

    with django_capture_on_commit_callbacks(execute=True):
        breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=3, minutes=1))

    to_contact = Notification.objects.filter(recipient=contact, params__number=ticket.number)
    assert set(to_contact.values_list("message", flat=True)) >= {escalation.BREACHED["first_response"]}
    assert not Notification.objects.filter(
        recipient=desk.vendor_agent.user, params__number=ticket.number
    ).exists()
    assert not Notification.objects.filter(recipient=vendor_admin.user, params__number=ticket.number).exists()
    assert not Notification.objects.filter(recipient=desk.customer.user, message__startswith="SLA").exists()
    sla_mails = [message for message in mail.outbox if message.subject.startswith("SLA")]
    assert [message.to for message in sla_mails] == [["esc@redwall.test"]]
    assert ticket.number in sla_mails[0].body


def test_r5_6_contacts_must_be_users_of_the_vendor(desk: Any, s1, vendor_admin) -> None:
    with pytest.raises(RuleViolation):
        sla_config.configure_sla(
            actor=vendor_admin,
            targets=[S1],
            calendar=CalendarSpec(),
            escalation_contact_ids=[desk.customer.user.pk],
        )


def test_r5_6_a_warning_after_its_target_is_refused(desk: Any, s1, vendor_admin) -> None:
    with pytest.raises(RuleViolation) as error:
        sla_config.configure_sla(
            actor=vendor_admin,
            targets=[TargetSpec("s1", 60, 120, 240, first_response_warn_minutes=90)],
            calendar=CalendarSpec(),
            escalation_contact_ids=[],
        )
    assert error.value.code == "invalid_sla"


def test_r5_6_only_an_open_ticket_waits_for_the_customer(desk: Any, s1) -> None:
    ticket = s1(MONDAY)
    holds.put_on_hold(actor=desk.agent, ticket_id=ticket.pk)

    with pytest.raises(IllegalTransition):
        holds.put_on_hold(actor=desk.agent, ticket_id=ticket.pk)


def test_r5_6_the_sweep_runs_the_same_queries_for_three_tickets_or_thirty(desk: Any, s1) -> None:
    def sweep_queries(count: int, start: datetime) -> tuple[int, int]:
        for _ in range(count):
            s1(start, customer=desk.customer)
        with CaptureQueriesContext(connection) as queries:
            flagged = breaches.flag_sla_breaches(now=start + timedelta(hours=50))
        return flagged, len(queries)

    few = sweep_queries(3, MONDAY)
    many = sweep_queries(30, MONDAY + timedelta(days=10))

    assert few[0] > 0
    assert many[0] == 10 * few[0]
    assert few[1] == many[1]


def test_r5_6_a_warning_also_reaches_the_assigned_agent(desk: Any, s1, vendor_admin) -> None:
    contact = MembershipFactory(organisation=desk.vendor, role=Role.SUPPORT_AGENT).user
    sla_config.configure_sla(
        actor=vendor_admin, targets=[S1], calendar=CalendarSpec(), escalation_contact_ids=[contact.pk]
    )
    ticket = s1(MONDAY)
    tickets.assign_ticket(actor=desk.agent, ticket_id=ticket.pk, agent_id=desk.agent.user.pk)

    breaches.flag_sla_breaches(now=MONDAY + timedelta(hours=1, minutes=5))

    warning = escalation.WARNING["first_response"]
    assert Notification.objects.filter(recipient=desk.agent.user, message=warning).count() == 1
    assert Notification.objects.filter(recipient=contact, message=warning).count() == 1
    assert not Notification.objects.filter(recipient=desk.vendor_agent.user, message=warning).exists()
