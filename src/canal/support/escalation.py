"""Escalation of SLA flags (R5.6): who hears about them and what they read.

Breaches and warnings go to the vendor's escalation contacts (its support agents and administrators
while it has named none); a warning also goes to the agent the ticket is assigned to, who can still act
in time. Each reader gets the flags in the app (stored as message id and parameters, so they are read in
the reader's language) and one e-mail per sweep listing them. A reader with many flags in one sweep gets
one in-app digest pointing at the ticket list instead of one notification per ticket.

Everything is read in a fixed number of queries whatever the number of flags (the sweep's promise).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from canal.accounts.models import Membership, Organisation, User
from canal.core import stored_text
from canal.notifications.email import send_email
from canal.notifications.models import Notification
from canal.support.models import PrioritySupport, SlaEventKind, Ticket
from canal.support.selectors import AGENT_ROLES

BREACHED = {
    "first_response": gettext_noop(
        "SLA breached on ticket %(number)s (%(severity)s): first response was due by %(due)s."
    ),
    "determination": gettext_noop(
        "SLA breached on ticket %(number)s (%(severity)s): problem determination was due by %(due)s."
    ),
    "resolution": gettext_noop(
        "SLA breached on ticket %(number)s (%(severity)s): resolution was due by %(due)s."
    ),
    "update": gettext_noop(
        "SLA breached on ticket %(number)s (%(severity)s): a public update was due by %(due)s."
    ),
}
WARNING = {
    "first_response": gettext_noop(
        "SLA warning on ticket %(number)s (%(severity)s): first response is due by %(due)s."
    ),
    "determination": gettext_noop(
        "SLA warning on ticket %(number)s (%(severity)s): problem determination is due by %(due)s."
    ),
    "resolution": gettext_noop(
        "SLA warning on ticket %(number)s (%(severity)s): resolution is due by %(due)s."
    ),
}
DIGEST = gettext_noop("%(count)s SLA warnings and breaches on your tickets: see the list by due time.")
# Past this many flags for one reader in one sweep, one in-app digest instead of one notification each.
DIGEST_FROM = 10
EMAIL_LINES = 50


@dataclass(frozen=True)
class Flagged:
    """A warning or breach the sweep has just flagged (breaches.py), to be told to the contacts."""

    ticket_id: int
    phase: str
    kind: str
    due_at: datetime


@dataclass(frozen=True)
class Reader:
    user: User
    organisation: Organisation

    @property
    def language(self) -> str:
        return self.user.language or self.organisation.language or settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Line:
    message: str
    params: dict[str, Any]
    url: str


def _contacts(vendor_ids: set[int]) -> dict[int, list[Reader]]:
    """Each vendor's escalation contacts, or its agents and administrators when it named none."""
    through = PrioritySupport.escalation_contacts.through
    readers: dict[int, list[Reader]] = defaultdict(list)
    named = through.objects.filter(prioritysupport__vendor_id__in=vendor_ids, user__is_active=True)
    for row in named.select_related("user", "prioritysupport__vendor"):
        readers[row.prioritysupport.vendor_id].append(Reader(row.user, row.prioritysupport.vendor))
    unnamed = vendor_ids - set(readers)
    if unnamed:
        agents = Membership.objects.filter(
            organisation_id__in=unnamed, role__in=AGENT_ROLES, user__is_active=True
        ).select_related("user", "organisation")
        for membership in agents.order_by("pk"):
            readers[membership.organisation_id].append(Reader(membership.user, membership.organisation))
    return readers


def _agents(agent_ids: set[int]) -> dict[int, Reader]:
    """The assigned agents, each with the organisation it works for (operator or vendor)."""
    found: dict[int, Reader] = {}
    memberships = Membership.objects.filter(user_id__in=agent_ids, user__is_active=True, role__in=AGENT_ROLES)
    for membership in memberships.select_related("user", "organisation").order_by("pk"):
        found.setdefault(membership.user_id, Reader(membership.user, membership.organisation))
    return found


def _ticket_url() -> Callable[[int], str]:
    """The ticket page's address for any id, resolved once: a sweep may flag 100,000 tickets and
    resolving each address takes longer than the rest of the sweep's work on it."""
    pattern = reverse("support:ticket", args=[0])  # ".../tickets/0/"
    head = pattern.removesuffix("0/")
    return lambda ticket_id: f"{head}{ticket_id}/"


def _line(event: Flagged, ticket: Ticket, url: Callable[[int], str]) -> Line:
    messages = WARNING if event.kind == SlaEventKind.WARNING else BREACHED
    due = getattr(ticket, f"{event.phase}_due_at") or event.due_at
    params = {"number": ticket.number, "severity": ticket.severity.upper(), "due": due}
    return Line(messages[event.phase], params, url(ticket.pk))


def escalate(flagged: Sequence[Flagged]) -> None:
    """Tells the readers of each flag, in the app and by e-mail (sent when the sweep commits)."""
    tickets = {
        ticket.pk: ticket
        for ticket in Ticket.objects.filter(pk__in={event.ticket_id for event in flagged}).only(
            "pk", "number", "severity", "vendor_id", "agent_id", *(f"{p}_due_at" for p in BREACHED)
        )
    }
    contacts = _contacts({ticket.vendor_id for ticket in tickets.values()})
    warned_agents = {
        tickets[event.ticket_id].agent_id
        for event in flagged
        if event.kind == SlaEventKind.WARNING and tickets[event.ticket_id].agent_id
    }
    agents = _agents(warned_agents) if warned_agents else {}
    lines: dict[int, list[Line]] = defaultdict(list)
    readers: dict[int, Reader] = {}
    url = _ticket_url()
    for event in flagged:
        ticket = tickets[event.ticket_id]
        audience = list(contacts.get(ticket.vendor_id, []))
        if event.kind == SlaEventKind.WARNING and ticket.agent_id in agents:
            audience.append(agents[ticket.agent_id])
        line = _line(event, ticket, url)
        for reader in {reader.user.pk: reader for reader in audience}.values():
            readers.setdefault(reader.user.pk, reader)
            lines[reader.user.pk].append(line)
    Notification.objects.bulk_create(_notifications(readers, lines))
    for user_id, reader in readers.items():
        _email(reader, lines[user_id])


def _notifications(readers: dict[int, Reader], lines: dict[int, list[Line]]) -> Iterable[Notification]:
    digest_url = reverse("support:tickets") + "?sla=flagged&sort=due"
    for user_id, reader in readers.items():
        mine = lines[user_id]
        if len(mine) > DIGEST_FROM:
            mine = [Line(DIGEST, {"count": len(mine)}, digest_url)]
        for line in mine:
            yield Notification(
                recipient=reader.user,
                organisation=reader.organisation,
                message=line.message,
                params=stored_text.stored_params(line.params),
                url=line.url,
            )


def _email(reader: Reader, lines: list[Line]) -> None:
    with translation.override(reader.language):
        texts = [
            (
                stored_text.render(line.message, stored_text.stored_params(line.params)),
                settings.SITE_URL + line.url,
            )
            for line in lines[:EMAIL_LINES]
        ]
    send_email(
        to=[reader.user.email],
        template="support/email/sla_escalation",
        context={
            "user": reader.user,
            "lines": texts,
            "more": max(0, len(lines) - EMAIL_LINES),
            "count": len(lines),
        },
        language=reader.language,
    )
