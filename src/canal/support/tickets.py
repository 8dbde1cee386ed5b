"""The ticket use cases (R2.10-R2.12, R2.14, R2.17, R2.18): open, quote, accept or reject, assign,
reply, finish, close, reopen, refuse. Each locks the ticket row, checks who may act, moves the state
through `TICKET_MACHINE` (which audits it) and tells the other side after commit.

Credits move only through billing's support-credit ledger: accepting debits them in the same
transaction that assigns the ticket, and support refusing an accepted ticket gives them back with a
new ledger entry, never by touching a balance.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind, Role
from canal.billing import services as billing
from canal.billing.ledger import InsufficientBalance
from canal.billing.selectors import support_credit_balance
from canal.catalog.models import TicketCategory
from canal.core import audit
from canal.core.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, RuleViolation
from canal.support import classification, clock, files, tell
from canal.support.models import (
    Attachment,
    Channel,
    Deflection,
    MessageKind,
    Ticket,
    TicketMessage,
    TicketStatus,
)
from canal.support.selectors import (
    agents_for,
    category_for,
    holds_license,
    is_support,
    servers_for_ticket,
    ticket_for,
)
from canal.support.states import DONE, OPEN_FOR_REPLIES, REFUSABLE, REOPENABLE, TICKET_MACHINE

REOPEN_WINDOW = timedelta(days=30)  # R2.18
QUIET_CLOSE_AFTER = timedelta(days=7)  # R2.18
MAX_CREDITS = 100_000
MAX_TEXT = 20_000
# Accepting a quote spends the organisation's credits: the roles that may pay.
DECIDING_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.BILLING)


class InsufficientCredits(RuleViolation):
    default_code = "insufficient_credits"


def _text(value: str, *, field: str, required: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(required, code="required", field=field)
    if len(value) > max_length:
        raise RuleViolation(
            _("This text may be at most %(max)s characters.") % {"max": max_length},
            code="too_long",
            field=field,
        )
    if "\x00" in value:
        raise RuleViolation(_("The text contains a NUL character."), code="invalid", field=field)
    return value


def _locked(actor: Actor, ticket_id: int) -> Ticket:
    """The ticket, row-locked until the transaction ends, if the actor sees it (404 otherwise)."""
    ticket_for(actor, ticket_id)
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer", "vendor", "category", "requester", "agent")
        .get(pk=ticket_id)
    )


def _require_support(actor: Actor, ticket: Ticket) -> None:
    if not is_support(actor, ticket.vendor_id):
        raise PermissionDenied(
            _("Only support agents of the operator or of the ticket's vendor may do this."), field="ticket"
        )


def _require_customer(actor: Actor, ticket: Ticket, *roles: str) -> None:
    if actor.organisation.pk != ticket.customer_id:
        raise PermissionDenied(_("Only the customer who opened the ticket may do this."), field="ticket")
    if roles:
        actor.require_role(*roles)


def _not_in(ticket: Ticket, message: str) -> IllegalTransition:
    """`message` names the move and takes the ticket's number and its state."""
    return IllegalTransition(
        message % {"number": ticket.number, "status": ticket.get_status_display().lower()}, field="status"
    )


def _support_side(ticket: Ticket) -> list:
    """Who hears from the customer: the assigned agent, or every agent who could take the ticket."""
    return [ticket.agent] if ticket.agent_id else list(agents_for(ticket.vendor_id))


def _after_commit(function, *args, **kwargs) -> None:
    transaction.on_commit(lambda: function(*args, **kwargs))


def _store_attachments(
    ticket: Ticket, uploads: Sequence[UploadedFile], user, message: TicketMessage | None = None
) -> list[Attachment]:

    stored = []
    for upload in uploads:
        extension, name = files.check_attachment(upload)
        attachment = Attachment(
            ticket=ticket,
            message=message,
            name=name,
            content_type=files.content_type_of(name),
            size=upload.size or 0,
            uploaded_by=user,
        )
        attachment.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def open_ticket(
    *,
    actor: Actor,
    category_id: int,
    title: str,
    description: str,
    subscription_id: int | None = None,
    attachments: Sequence[UploadedFile] = (),
    channel: str = Channel.PORTAL,
) -> Ticket:
    """R2.11, R2.12: a customer opens a ticket; it waits as Pending until support quotes it."""
    if actor.kind != OrganisationKind.CUSTOMER:
        raise PermissionDenied(
            _("Tickets are opened by the customer organisation that needs help."), field="organisation"
        )
    category = category_for(actor, category_id)
    vendor_id = category.product.vendor_id
    title = _text(title, field="title", required=_("Enter a title."), max_length=200)
    description = _text(
        description, field="description", required=_("Describe the problem."), max_length=MAX_TEXT
    )
    servers = servers_for_ticket(actor.organisation.pk, vendor_id)
    if subscription_id is not None:
        server = servers.filter(pk=subscription_id).first()
        if server is None:
            raise NotFound(_("No server or subscription with this id."), field="subscription")
    else:
        found = list(servers[:2])
        if len(found) > 1:
            raise RuleViolation(
                _("You have more than one server of this vendor: choose the one the problem is about."),
                code="server_required",
                field="subscription",
            )
        server = found[0] if found else None
    for upload in attachments:
        files.check_attachment(upload)
    return create_ticket(
        actor=actor,
        attachments=attachments,
        customer=actor.organisation,
        vendor_id=vendor_id,
        category=category,
        subscription=server,
        title=title,
        description=description,
        channel=channel,
    )


def create_ticket(*, actor: Actor, attachments: Sequence[UploadedFile] = (), **fields: Any) -> Ticket:
    """Stores a checked new ticket with its number and files, audits it, classifies it on receipt (R5.4)
    and tells the vendor's agents after commit; shared by the desk form and partner intake."""
    with transaction.atomic():
        ticket = Ticket.objects.create(
            requester=actor.user,
            licensed=holds_license(fields["customer"].pk, fields["vendor_id"]),
            **fields,
        )
        ticket.number = f"TCK-{ticket.pk:06d}"
        ticket.save(update_fields=["number"])
        _store_attachments(ticket, attachments, actor.user)
        audit.record(
            actor=actor,
            action="ticket.opened",
            obj=ticket,
            after={"status": ticket.status, "category": ticket.category.code, "number": ticket.number},
        )
        classification.classify(ticket, actor=actor)  # R5.4: on receipt
        params = {"number": ticket.number, "title": ticket.title}
        _after_commit(
            tell.tell,
            list(agents_for(ticket.vendor_id)),
            ticket=ticket,
            message=tell.NEW_TICKET,
            params=params,
        )
    return ticket


def category_cost(category: TicketCategory, *, licensed: bool) -> int:
    """R2.14: the category's cost for a licensed or an unlicensed customer."""
    return category.cost_licensed if licensed else category.cost_unlicensed


def standard_cost(ticket: Ticket) -> int:
    return category_cost(ticket.category, licensed=ticket.licensed)


def quote_ticket(*, actor: Actor, ticket_id: int, credits: int | None = None, reason: str = "") -> Ticket:
    """R2.12, R2.14: support quotes a pending ticket in credits; another amount than the category's cost
    for this customer needs a reason. A new quote replaces the previous one while the ticket is pending."""
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_support(actor, ticket)
        if ticket.status != TicketStatus.PENDING:
            raise _not_in(ticket, _("Only a pending ticket can be quoted; ticket %(number)s is %(status)s."))
        ticket.licensed = holds_license(ticket.customer_id, ticket.vendor_id)
        default = standard_cost(ticket)
        credits = default if credits is None else credits
        if isinstance(credits, bool) or not 0 <= credits <= MAX_CREDITS:
            raise RuleViolation(
                _("Quote between 0 and %(max)s credits.") % {"max": MAX_CREDITS},
                code="invalid",
                field="credits",
            )
        reason = (reason or "").strip()[:300]
        if credits != default and not reason:
            raise RuleViolation(
                _(
                    "This category costs %(default)s credits for this customer; "
                    "say why this ticket costs %(credits)s."
                )
                % {"default": default, "credits": credits},
                code="quote_reason_required",
                field="reason",
            )
        before = {"quoted_credits": ticket.quoted_credits}
        ticket.quoted_credits = credits
        ticket.quote_reason = reason if credits != default else ""
        ticket.quoted_by = actor.user
        ticket.quoted_at = timezone.now()
        ticket.agent = ticket.agent or actor.user
        ticket.save(
            update_fields=["licensed", "quoted_credits", "quote_reason", "quoted_by", "quoted_at", "agent"]
        )
        audit.record(
            actor=actor,
            action="ticket.quoted",
            obj=ticket,
            before=before,
            after={"quoted_credits": credits, "standard": default},
            reason=ticket.quote_reason,
        )
        params = {"number": ticket.number, "credits": credits}
        _after_commit(tell.tell, [ticket.requester], ticket=ticket, message=tell.QUOTED, params=params)
    return ticket


def accept_quote(*, actor: Actor, ticket_id: int, credits: int | None = None) -> Ticket:
    """R2.12: the customer accepts the quote: its credits are debited through the ledger and the ticket
    becomes Assigned, in one transaction. `credits` is the quote the customer saw: if support changed
    it meanwhile, nothing happens and the customer reads the new quote first."""
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_customer(actor, ticket, *DECIDING_ROLES)
        if ticket.status != TicketStatus.PENDING:
            raise _not_in(ticket, _("Only a pending quote can be accepted; ticket %(number)s is %(status)s."))
        if ticket.quoted_credits is None:
            raise Conflict(
                _("Support has not quoted ticket %(number)s yet; you can accept it once it is quoted.")
                % {"number": ticket.number},
                code="not_quoted",
                field="ticket",
            )
        if credits is not None and credits != ticket.quoted_credits:
            raise Conflict(
                _("The quote changed to %(credits)s credits meanwhile; read it again before accepting.")
                % {"credits": ticket.quoted_credits},
                code="quote_changed",
                field="credits",
            )
        cost = ticket.quoted_credits
        if cost:
            try:
                # The ledger line keeps a message id: each reader sees it in its own language.
                billing.spend_support_credits(
                    actor=actor,
                    organisation=ticket.customer,
                    credits=cost,
                    document=("support.ticket", str(ticket.pk)),
                )
            except InsufficientBalance:
                held = support_credit_balance(ticket.customer)
                raise InsufficientCredits(
                    _(
                        "Your organisation holds %(held)s support credits but this ticket costs %(cost)s. "
                        "Buy a support pack, then accept the quote."
                    )
                    % {"held": held, "cost": cost},
                    field="credits",
                    suggestion=_("Buy a support pack on the Support packs page."),
                ) from None
        TICKET_MACHINE.transition(
            ticket,
            TicketStatus.ASSIGNED,
            actor=actor,
            extra={"charged_credits": cost, "accepted_at": timezone.now()},
        )
        params = {"number": ticket.number, "credits": cost}
        _after_commit(tell.tell, _support_side(ticket), ticket=ticket, message=tell.ACCEPTED, params=params)
    return ticket


def reject_quote(*, actor: Actor, ticket_id: int, reason: str = "") -> Ticket:
    """R2.12: the customer does not want the quoted help: Rejected, nothing debited."""
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_customer(actor, ticket, *DECIDING_ROLES)
        if ticket.status != TicketStatus.PENDING:
            raise _not_in(ticket, _("Only a pending quote can be rejected; ticket %(number)s is %(status)s."))
        if ticket.quoted_credits is None:
            raise Conflict(
                _("Ticket %(number)s has no quote to reject yet.") % {"number": ticket.number},
                code="not_quoted",
                field="ticket",
            )
        reason = (reason or "").strip()[:300]
        TICKET_MACHINE.transition(
            ticket,
            TicketStatus.REJECTED,
            actor=actor,
            reason=reason,
            extra={"rejected_at": timezone.now(), "rejection_reason": reason},
        )
        _after_commit(
            tell.tell,
            _support_side(ticket),
            ticket=ticket,
            message=tell.REJECTED_BY_CUSTOMER,
            params={"number": ticket.number},
        )
    return ticket


def refuse_ticket(*, actor: Actor, ticket_id: int, reason: str) -> Ticket:
    """Support declines a ticket (pending, assigned or reopened) with a reason; credits already debited
    for it go back with a new ledger entry."""
    reason = _text(reason, field="reason", required=_("Say why the ticket is refused."), max_length=300)
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_support(actor, ticket)
        if ticket.status not in REFUSABLE:
            raise _not_in(ticket, _("Ticket %(number)s is %(status)s; only an open ticket can be refused."))
        refund = ticket.charged_credits - ticket.refunded_credits
        if refund:
            billing.add_support_credits(
                actor=actor,
                organisation=ticket.customer,
                credits=refund,
                document=("support.ticket", str(ticket.pk)),
            )
        TICKET_MACHINE.transition(
            ticket,
            TicketStatus.REJECTED,
            actor=actor,
            reason=reason,
            extra={
                "rejected_at": timezone.now(),
                "rejection_reason": reason,
                "refunded_credits": ticket.charged_credits,
            },
        )
        params = {"number": ticket.number, "credits": refund}
        _after_commit(
            tell.tell, [ticket.requester], ticket=ticket, message=tell.REFUSED, params=params, body=reason
        )
    return ticket


def assign_ticket(*, actor: Actor, ticket_id: int, agent_id: int) -> Ticket:
    """Support hands the ticket to an agent of the operator or of the ticket's vendor."""
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_support(actor, ticket)
        if ticket.status in DONE:
            raise _not_in(ticket, _("Ticket %(number)s is %(status)s; only an open ticket can be assigned."))
        agent = agents_for(ticket.vendor_id).filter(pk=agent_id).first()
        if agent is None:
            raise NotFound(_("No support agent with this id for this ticket."), field="agent")
        before = {"agent": ticket.agent_id}
        ticket.agent = agent
        ticket.save(update_fields=["agent"])
        audit.record(
            actor=actor, action="ticket.agent_assigned", obj=ticket, before=before, after={"agent": agent.pk}
        )
        if agent.pk != actor.user.pk:
            _after_commit(
                tell.tell, [agent], ticket=ticket, message=tell.ASSIGNED, params={"number": ticket.number}
            )
    return ticket


def finish_ticket(*, actor: Actor, ticket_id: int) -> Ticket:
    """R2.18: support marks the ticket Finished when it considers the problem solved."""
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_support(actor, ticket)
        if not TICKET_MACHINE.can(ticket.status, TicketStatus.FINISHED):
            raise _not_in(
                ticket,
                _("Ticket %(number)s is %(status)s; only an assigned or reopened ticket can be finished."),
            )
        TICKET_MACHINE.transition(
            ticket, TicketStatus.FINISHED, actor=actor, extra={"finished_at": timezone.now()}
        )
        _after_commit(
            tell.tell,
            [ticket.requester],
            ticket=ticket,
            message=tell.FINISHED,
            params={"number": ticket.number},
        )
    return ticket


def close_ticket(*, actor: Actor, ticket_id: int) -> Ticket:
    """R2.18: the customer confirms a finished ticket solved: Closed."""
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_customer(actor, ticket)
        if ticket.status != TicketStatus.FINISHED:
            raise _not_in(ticket, _("Ticket %(number)s is %(status)s; only a finished ticket can be closed."))
        TICKET_MACHINE.transition(
            ticket, TicketStatus.CLOSED, actor=actor, extra={"closed_at": timezone.now()}
        )
        if ticket.agent_id:
            _after_commit(
                tell.tell,
                [ticket.agent],
                ticket=ticket,
                message=tell.CLOSED,
                params={"number": ticket.number},
            )
    return ticket


def reopen_ticket(*, actor: Actor, ticket_id: int, now: datetime | None = None) -> Ticket:
    """R2.18: the customer reopens a finished or closed ticket within 30 days of its finishing, at no new
    cost; later, a new ticket is the way."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_customer(actor, ticket)
        if ticket.status not in REOPENABLE:
            raise _not_in(
                ticket,
                _("Ticket %(number)s is %(status)s; only a finished or closed ticket can be reopened."),
            )
        if ticket.finished_at is None or now - ticket.finished_at > REOPEN_WINDOW:
            raise RuleViolation(
                _("Ticket %(number)s was finished more than 30 days ago; open a new ticket instead.")
                % {"number": ticket.number},
                code="reopen_window_over",
                field="status",
            )
        TICKET_MACHINE.transition(ticket, TicketStatus.REOPENED, actor=actor, extra={"reopened_at": now})
        _after_commit(
            tell.tell,
            _support_side(ticket),
            ticket=ticket,
            message=tell.REOPENED,
            params={"number": ticket.number},
        )
    return ticket


def close_quiet_tickets(*, now: datetime | None = None) -> int:
    """R2.18: finished tickets nobody replied to for 7 days close by themselves (system actor)."""
    now = now or timezone.now()
    cutoff = now - QUIET_CLOSE_AFTER
    quiet = Ticket.objects.filter(status=TicketStatus.FINISHED, finished_at__lte=cutoff).filter(
        Q(last_public_reply_at__isnull=True) | Q(last_public_reply_at__lte=cutoff)
    )
    closed = 0
    for ticket_id in list(quiet.values_list("pk", flat=True)):
        with transaction.atomic():
            ticket = (
                Ticket.objects.select_for_update(skip_locked=True)
                .filter(pk=ticket_id, status=TicketStatus.FINISHED)
                .first()
            )
            if ticket is None:
                continue
            TICKET_MACHINE.transition(
                ticket,
                TicketStatus.CLOSED,
                actor=None,
                reason="7 days without reply",
                extra={"closed_at": now},
            )
            closed += 1
    return closed


def reply(
    *,
    actor: Actor,
    ticket_id: int,
    body: str,
    internal: bool = False,
    attachments: Sequence[UploadedFile] = (),
) -> TicketMessage:
    """R2.17: a public reply by either side, or an internal note only support writes and reads. A
    rejected or closed ticket takes no more replies (R2.18)."""
    body = _text(body, field="body", required=_("Write the reply."), max_length=MAX_TEXT)
    for upload in attachments:
        files.check_attachment(upload)
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        support = is_support(actor, ticket.vendor_id)
        # A partner who opened the ticket for its client (R5.7) talks in it like the customer.
        if not support and actor.user.pk != ticket.requester_id:
            _require_customer(actor, ticket)
        if internal and not support:
            raise PermissionDenied(_("Only support writes internal notes."), field="internal")
        if ticket.status not in OPEN_FOR_REPLIES:
            hint = (
                _("Reopen it first (within 30 days of its finishing) or open a new ticket.")
                if ticket.status == TicketStatus.CLOSED
                else _("Open a new ticket instead.")
            )
            raise IllegalTransition(
                _("Ticket %(number)s is %(status)s and takes no more replies.")
                % {"number": ticket.number, "status": ticket.get_status_display().lower()}
                + " "
                + hint,
                code="closed_for_replies",
                field="status",
            )
        message = TicketMessage.objects.create(
            ticket=ticket,
            author=actor.user,
            from_support=support,
            kind=MessageKind.INTERNAL if internal else MessageKind.PUBLIC,
            body=body,
        )
        _store_attachments(ticket, attachments, actor.user, message=message)
        if not internal:
            ticket.last_public_reply_at = message.created_at
            ticket.save(update_fields=["last_public_reply_at"])
            clock.public_reply(ticket, from_support=support, actor=actor, at=message.created_at)  # R5.6
            readers = [ticket.requester] if support else _support_side(ticket)
            params = {"number": ticket.number, "title": ticket.title}
            _after_commit(
                tell.tell, readers, ticket=ticket, message=tell.PUBLIC_REPLY, params=params, body=body
            )
        audit.record(
            actor=actor, action=f"ticket.{message.kind}_message", obj=ticket, after={"message": message.pk}
        )
    return message


def attach_files(*, actor: Actor, ticket_id: int, attachments: Sequence[UploadedFile]) -> list[Attachment]:
    """R2.11, R2.17: files added to an open ticket by either side."""
    if not attachments:
        raise RuleViolation(_("Choose a file to attach."), code="required", field="attachment")
    for upload in attachments:
        files.check_attachment(upload)
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        if not is_support(actor, ticket.vendor_id):
            _require_customer(actor, ticket)
        if ticket.status not in OPEN_FOR_REPLIES:
            raise _not_in(ticket, _("Ticket %(number)s is %(status)s and takes no more files."))
        stored = _store_attachments(ticket, attachments, actor.user)
        audit.record(
            actor=actor, action="ticket.attached", obj=ticket, after={"attachments": [a.pk for a in stored]}
        )
    return stored


def record_deflection(*, actor: Actor, category_id: int) -> Deflection:
    """R2.11: the category's help solved the problem, so no ticket is opened; support counts these."""
    category = category_for(actor, category_id)
    with transaction.atomic():
        deflection = Deflection.objects.create(
            category=category, organisation=actor.organisation, user=actor.user
        )
        audit.record(
            actor=actor, action="ticket.deflected", obj=deflection, after={"category": category.code}
        )
    return deflection
