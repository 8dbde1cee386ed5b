"""Classification of a ticket (R5.4, R5.5): a large account's ticket is S1-Critical and flagged
"priority customer: large account"; any other ticket of a vendor with priority support takes the vendor's
default severity. Called inside the transaction that creates or identifies the ticket."""

from __future__ import annotations

from canal.accounts.actor import Actor
from canal.core import audit
from canal.support import large_accounts, sla
from canal.support.models import Severity, Ticket

FIELDS = ["severity", "large_account", *sla.DUE_FIELDS]


def _state(ticket: Ticket) -> dict:
    due = {field: getattr(ticket, field) for field in sla.DUE_FIELDS}
    return {"severity": ticket.severity, "large_account": ticket.large_account} | {
        field: value.isoformat() if value else None for field, value in due.items()
    }


def classify(ticket: Ticket, *, actor: Actor | None) -> Ticket:
    """Sets severity, the large-account flag and the SLA due times (R5.6) from the vendor's configuration;
    audited when they change.

    A vendor without priority support leaves its tickets unclassified, as the plain desk does.
    """
    config = large_accounts.config_of(ticket.vendor_id)
    if config is None:
        return ticket
    before = _state(ticket)
    found = large_accounts.check(config, ticket.customer)
    if found.is_large:
        ticket.severity, ticket.large_account = Severity.S1, True
    else:
        # Keep a severity support already chose; only an unclassified ticket takes the default.
        ticket.severity, ticket.large_account = ticket.severity or config.default_severity, False
    sla.set_due_times(ticket, config)
    after = _state(ticket)
    if before != after:
        ticket.save(update_fields=FIELDS)
        after |= {"licenses": found.licenses, "threshold": found.threshold}
        audit.record(actor=actor, action="ticket.classified", obj=ticket, before=before, after=after)
    return ticket
