"""What the support pages show, computed once for the portal (and, for the SLA, the API): the ticket
page's facts and the moves the reader may make, the SLA phases with their time left, the cost table and
the region tiers typed on the priority page. Views only parse the request and render."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind
from canal.billing.selectors import support_credit_balance
from canal.core.errors import RuleViolation
from canal.portal import lists
from canal.support import selectors, sla, sla_config, tickets
from canal.support.models import Severity, Ticket, TicketStatus
from canal.support.states import DONE, HOLDABLE, OPEN_FOR_REPLIES, REFUSABLE, REOPENABLE, TICKET_MACHINE


def sla_states(ticket: Ticket, *, now: datetime | None = None) -> list[sla.PhaseState]:
    """R5.6: the ticket's phases with due times, time left and flags (its breaches are prefetched by
    the selectors); empty for a ticket without SLA."""
    if not ticket.severity or not any(getattr(ticket, field) for field in sla.DUE_FIELDS):
        return []
    flagged = {(event.phase, event.kind) for event in ticket.breaches.all()}
    states = sla.phase_states(ticket, now=now or timezone.now(), flagged=flagged)
    return [state for state in states if state.due_at is not None]


def remaining_text(remaining: timedelta) -> str:
    """ "2 h 05 min left" or "overdue by 1 h 10 min"."""
    minutes = int(abs(remaining).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    span = (
        _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
        if days
        else _("%(hours)s h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    )
    if remaining < timedelta(0):
        return _("overdue by %(span)s") % {"span": span}
    return _("%(span)s left") % {"span": span}


def ticket_page(actor: Actor, ticket: Ticket) -> dict[str, Any]:
    """The ticket page: its facts, the conversation the reader may see and the moves it may make."""
    support = selectors.is_support(actor, ticket.vendor_id)
    is_customer = actor.organisation.pk == ticket.customer_id
    balance = support_credit_balance(ticket.customer)
    quoted = ticket.quoted_credits
    return {
        "ticket": ticket,
        "support": support,
        "is_customer": is_customer,
        "conversation": selectors.messages_of(actor, ticket),
        "ticket_files": selectors.attachments_of(actor, ticket).filter(message__isnull=True),
        "balance": balance,
        "standard_cost": tickets.standard_cost(ticket),
        "covers": quoted is not None and balance >= quoted,
        "balance_after": balance - quoted if quoted is not None else None,
        "can_decide": is_customer and ticket.status == TicketStatus.PENDING and quoted is not None,
        "can_quote": support and ticket.status == TicketStatus.PENDING,
        "can_finish": support and TICKET_MACHINE.can(ticket.status, TicketStatus.FINISHED),
        "can_refuse": support and ticket.status in REFUSABLE,
        "can_close": is_customer and ticket.status == TicketStatus.FINISHED,
        "can_reopen": is_customer and ticket.status in REOPENABLE,
        # A partner who opened the ticket for its client (R5.7) talks in it like the customer.
        "can_reply": (support or is_customer or actor.user.pk == ticket.requester_id)
        and ticket.status in OPEN_FOR_REPLIES,
        "agents": selectors.agents_for(ticket.vendor_id) if support else [],
        "can_assign": support and ticket.status not in DONE,
        "can_hold": support and ticket.status in HOLDABLE,
        "can_resume": support and ticket.status == TicketStatus.WAITING,
        "severities": Severity.choices,
        "sla_phases": [
            (state, remaining_text(state.remaining) if state.remaining is not None else "")
            for state in sla_states(ticket)
        ],
    }


def cost_rows(actor: Actor) -> list[Any]:
    """R2.14: the categories the actor may see, each marked when the actor's own (licensed) price applies."""
    categories = list(selectors.categories_visible_to(actor))
    for category in categories:
        category.licensed_here = actor.kind == OrganisationKind.CUSTOMER and selectors.holds_license(
            actor.organisation.pk, category.product.vendor_id
        )
    return categories


def parse_tiers(text: str) -> list[tuple[str, int]]:
    """Lines of "REGION THRESHOLD"; "*" or nothing before the number is every other region."""
    tiers = []
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        number = words[-1]
        region = " ".join(words[:-1])
        if not number.isdigit():
            raise RuleViolation(
                _("Write each tier as a region and a number of user licenses, e.g. EMEA 100."),
                code="invalid",
                field="tiers",
            )
        tiers.append(("" if region == "*" else region, int(number)))
    return tiers


def _minutes(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise RuleViolation(_("A time is a whole number of minutes."), code="invalid_sla", field="targets")
    return int(value)


def parse_sla_form(data: Any) -> tuple[list[sla_config.TargetSpec], sla_config.CalendarSpec, list[int]]:
    """The SLA settings form: a row per severity (empty target fields: no SLA for it), the weekdays'
    opening hours (empty: closed; every day empty: 24x7), closed dates one a line, escalation contacts."""
    targets = []
    for severity in Severity.values:
        values = {
            name: _minutes(data.get(f"{severity}_{name}", ""))
            for name in sla_config.TARGET_FIELDS
            if name.endswith("_minutes")
        }
        if not any(values.values()):
            continue
        required = ("first_response_minutes", "determination_minutes", "resolution_minutes")
        if any(values[name] is None for name in required):
            raise RuleViolation(
                _("Give the three targets of %(severity)s, or none.") % {"severity": severity.upper()},
                code="invalid_sla",
                field="targets",
            )
        targets.append(
            sla_config.TargetSpec(
                severity=severity, business_hours=data.get(f"{severity}_business_hours") == "on", **values
            )
        )
    hours: list[tuple[str, str | None] | None] = []
    for day in range(7):
        opens, closes = data.get(f"opens_{day}", "").strip(), data.get(f"closes_{day}", "").strip()
        hours.append((opens, closes or None) if opens else None)
    calendar = sla_config.CalendarSpec(
        time_zone=data.get("time_zone", "UTC").strip() or "UTC",
        opening_hours=hours if any(hours) else [],
        closed_dates=[line.strip() for line in data.get("closed_dates", "").splitlines() if line.strip()],
        country=data.get("country", "").strip().upper(),
    )
    contacts = [int(value) for value in data.getlist("contacts") if value.isdigit()]
    return targets, calendar, contacts


def sla_form(config: Any) -> dict[str, Any]:
    """The SLA settings form filled from the configuration."""
    targets = {spec.severity: spec for spec in sla_config.target_specs(config)}
    days = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
    hours = list(config.opening_hours or []) or [None] * 7
    return {
        "target_rows": [(value, label, targets.get(value)) for value, label in Severity.choices],
        "days": [(index, name, hours[index]) for index, name in enumerate(days)],
        "config": config,
        "closed_dates": "\n".join(config.closed_dates or []),
        "contact_ids": set(config.escalation_contacts.values_list("pk", flat=True)),
    }


def _due(ticket: Ticket) -> str:
    due = ticket.next_due_at
    return "" if due is None or due >= selectors.NO_DUE else due.isoformat()


def ticket_list_spec(actor: Actor, *, support: bool) -> lists.ListSpec:
    """R2.10, R5.6: the ticket list's columns, sorts and filters; support also gets the customer column
    and the queue's filters. The selector reads every filter (the API shares it)."""
    columns = (
        lists.Column("number", _l("Ticket"), sort="number", csv=lambda t: t.number),
        lists.Column("title", _l("Title"), sort="title", csv=lambda t: t.title),
        *(
            (lists.Column("customer", _l("Customer"), sort="customer__name", csv=lambda t: t.customer.name),)
            if support
            else ()
        ),
        lists.Column("category", _l("Category"), csv=lambda t: t.category.name),
        lists.Column("status", _l("Status"), sort="status", csv=lambda t: t.get_status_display()),
        lists.Column(
            "quote", _l("Quote"), sort="quoted_credits", csv=lambda t: t.quoted_credits, css="number"
        ),
        lists.Column("balance", _l("Balance"), csv=lambda t: t.credit_balance, css="number"),
        lists.Column("agent", _l("Agent"), csv=lambda t: str(t.agent or "")),
        lists.Column("due", _l("Next due"), sort="next_due_at", csv=_due),
        lists.Column("breached", _l("SLA breached"), csv=lambda t: t.sla_breached, show=False),
        lists.Column("opened", _l("Opened"), sort="created_at", csv=lambda t: t.created_at.isoformat()),
    )
    filters = [
        lists.Filter("status", _l("Status"), TicketStatus.choices),
        lists.Filter(
            "sla",
            _l("SLA"),
            [
                ("breached", _l("SLA breached")),
                ("flagged", _l("SLA warned or breached")),
                ("paused", _l("Waiting for the customer")),
            ],
        ),
    ]
    if support:
        filters[1:1] = [
            lists.Filter(
                "category", _l("Category"), [(c.pk, c.name) for c in selectors.categories_visible_to(actor)]
            ),
            lists.Filter(
                "customer", _l("Customer"), [(c.pk, c.name) for c in selectors.queue_customers(actor)]
            ),
            lists.Filter("agent", _l("Agent"), [(a.pk, str(a)) for a in selectors.queue_agents(actor)]),
        ]
    return lists.ListSpec(
        name="tickets",
        columns=columns,
        default_sort="-opened",
        row_template="support/partials/ticket_row.html",
        empty_text=_l("No tickets here."),
        search_in_selector=True,
        search_hint=_l("Number or title"),
        filters=tuple(filters),
        table_class="ticket-table",
    )
