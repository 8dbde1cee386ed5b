"""Support endpoints under /api/v1/support/: tickets and their conversation, quotes, the state moves,
attachments, categories with their help and costs, and support packs. The portal calls the same services."""

from datetime import datetime
from typing import Literal

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import CursorPagination, paginate

from canal.api.idempotency import idempotent
from canal.api.pagination import BoundedOffsetPagination
from canal.api.schemas import ErrorOut
from canal.support import (
    compliance,
    holds,
    intake,
    mailboxes,
    packs,
    priority,
    selectors,
    sla_config,
    tickets,
)
from canal.support.intake_schemas import (
    AccessIn,
    AccessOut,
    AddressesIn,
    AddressOut,
    IntakeOut,
    PartnerTicketIn,
)
from canal.support.models import Channel
from canal.support.schemas import (
    AcceptIn,
    AssignIn,
    AttachmentOut,
    BuyPackIn,
    CategoryOut,
    ComplianceRowOut,
    CountsOut,
    DeflectionOut,
    IdentifyIn,
    MessageOut,
    PackOut,
    PriorityConfigIn,
    PriorityConfigOut,
    PurchaseOut,
    QuoteIn,
    ReasonIn,
    ReplyIn,
    SeverityIn,
    SlaConfigIO,
    TicketByDueOut,
    TicketDetailOut,
    TicketIn,
    TicketOut,
)
from canal.support.states import OPEN

router = Router(tags=["support"])
READ = {404: ErrorOut}
WRITE = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _actor(request: HttpRequest):
    return request.actor  # type: ignore[attr-defined]


def _detail(request: HttpRequest, ticket) -> dict:
    # Messages and files come through the selectors: internal notes never reach a customer (R2.17).
    actor = _actor(request)
    return TicketOut.from_orm(ticket).dict() | {
        "messages": [MessageOut.from_orm(message).dict() for message in selectors.messages_of(actor, ticket)],
        "attachments": [
            AttachmentOut.from_orm(item).dict() for item in selectors.attachments_of(actor, ticket)
        ],
    }


@router.get("/tickets", response=list[TicketOut], summary="Tickets you may see, newest first (R2.10)")
@paginate(CursorPagination, ordering=("-id",))
def list_tickets(
    request: HttpRequest,
    status: str = "",
    category: int | None = None,
    customer: int | None = None,
    agent: int | None = None,
    q: str = "",
    sla: str = "",
    due_before: datetime | None = None,
):
    """`sla`: breached, flagged (warned or breached) or paused; `due_before`: a running SLA phase is due
    before this moment (R5.6). For the most urgent first, GET /tickets/by-due."""
    filters = selectors.TicketFilters(
        status=status,
        category=category,
        customer=customer,
        agent=agent,
        query=q[:100],
        sla=sla,
        due_before=due_before,
    )
    return selectors.filtered_tickets(_actor(request), filters)


@router.get(
    "/tickets/by-due",
    response=list[TicketByDueOut],
    summary="Open tickets by next SLA due time, most urgent first; sort=breached: breached first (R5.6)",
)
@paginate(BoundedOffsetPagination)
def tickets_by_due(request: HttpRequest, sla: str = "", sort: Literal["due", "breached"] = "due"):
    filters = selectors.TicketFilters(sla=sla, sort=sort)
    return selectors.filtered_tickets(_actor(request), filters).filter(status__in=OPEN)


@router.get("/tickets/counts", response=CountsOut, summary="How many tickets are in each state, and all")
def ticket_counts(request: HttpRequest) -> dict:
    return selectors.counts_by_status(_actor(request))


@router.post(
    "/tickets",
    response={201: TicketDetailOut, **WRITE},
    summary="Open a ticket; it waits as Pending for a quote (R2.11, R2.12; Idempotency-Key supported)",
)
def open_ticket(request: HttpRequest, payload: TicketIn) -> Status:
    actor = _actor(request)

    def action() -> tuple[int, dict]:
        ticket = tickets.open_ticket(
            actor=actor,
            category_id=payload.category_id,
            title=payload.title,
            description=payload.description,
            subscription_id=payload.subscription_id,
            channel=Channel.API,
        )
        return 201, _detail(request, ticket)

    return idempotent(request, operation="support.tickets.open", payload=payload.dict(), action=action)


@router.get(
    "/tickets/{ticket_id}", response={200: TicketDetailOut, **READ}, summary="One ticket and its conversation"
)
def get_ticket(request: HttpRequest, ticket_id: int) -> dict:
    return _detail(request, selectors.ticket_for(_actor(request), ticket_id))


def _moved(request: HttpRequest, ticket) -> dict:
    return _detail(request, selectors.ticket_for(_actor(request), ticket.pk))


@router.post(
    "/tickets/{ticket_id}/quote",
    response={200: TicketDetailOut, **WRITE},
    summary="Support quotes a pending ticket in credits (R2.12, R2.14)",
)
def quote(request: HttpRequest, ticket_id: int, payload: QuoteIn) -> dict:
    ticket = tickets.quote_ticket(
        actor=_actor(request), ticket_id=ticket_id, credits=payload.credits, reason=payload.reason
    )
    return _moved(request, ticket)


@router.post(
    "/tickets/{ticket_id}/accept",
    response={200: TicketDetailOut, **WRITE},
    summary="Accept the quote: the credits are debited and the ticket is Assigned (R2.12)",
)
def accept(request: HttpRequest, ticket_id: int, payload: AcceptIn) -> dict:
    return _moved(
        request, tickets.accept_quote(actor=_actor(request), ticket_id=ticket_id, credits=payload.credits)
    )


@router.post(
    "/tickets/{ticket_id}/reject",
    response={200: TicketDetailOut, **WRITE},
    summary="Reject the quote: the ticket is Rejected and nothing is debited (R2.12)",
)
def reject(request: HttpRequest, ticket_id: int, payload: ReasonIn) -> dict:
    return _moved(
        request, tickets.reject_quote(actor=_actor(request), ticket_id=ticket_id, reason=payload.reason)
    )


@router.post(
    "/tickets/{ticket_id}/refuse",
    response={200: TicketDetailOut, **WRITE},
    summary="Support refuses the ticket; credits already debited go back through the ledger",
)
def refuse(request: HttpRequest, ticket_id: int, payload: ReasonIn) -> dict:
    return _moved(
        request, tickets.refuse_ticket(actor=_actor(request), ticket_id=ticket_id, reason=payload.reason)
    )


@router.post(
    "/tickets/{ticket_id}/assign",
    response={200: TicketDetailOut, **WRITE},
    summary="Give the ticket to an agent",
)
def assign(request: HttpRequest, ticket_id: int, payload: AssignIn) -> dict:
    return _moved(
        request, tickets.assign_ticket(actor=_actor(request), ticket_id=ticket_id, agent_id=payload.agent_id)
    )


@router.post(
    "/tickets/{ticket_id}/finish",
    response={200: TicketDetailOut, **WRITE},
    summary="Support considers the problem solved: Finished (R2.18)",
)
def finish(request: HttpRequest, ticket_id: int) -> dict:
    return _moved(request, tickets.finish_ticket(actor=_actor(request), ticket_id=ticket_id))


@router.post(
    "/tickets/{ticket_id}/close",
    response={200: TicketDetailOut, **WRITE},
    summary="The customer confirms a finished ticket: Closed (R2.18)",
)
def close(request: HttpRequest, ticket_id: int) -> dict:
    return _moved(request, tickets.close_ticket(actor=_actor(request), ticket_id=ticket_id))


@router.post(
    "/tickets/{ticket_id}/reopen",
    response={200: TicketDetailOut, **WRITE},
    summary="Reopen a finished or closed ticket within 30 days, at no new cost (R2.18)",
)
def reopen(request: HttpRequest, ticket_id: int) -> dict:
    return _moved(request, tickets.reopen_ticket(actor=_actor(request), ticket_id=ticket_id))


@router.post(
    "/tickets/{ticket_id}/replies",
    response={201: MessageOut, **WRITE},
    summary="A public reply, or an internal note for support (R2.17; Idempotency-Key supported)",
)
def reply(request: HttpRequest, ticket_id: int, payload: ReplyIn) -> Status:
    actor = _actor(request)

    def action() -> tuple[int, dict]:
        message = tickets.reply(
            actor=actor, ticket_id=ticket_id, body=payload.body, internal=payload.internal
        )
        return 201, MessageOut.from_orm(message).dict()

    return idempotent(
        request, operation=f"support.tickets.{ticket_id}.reply", payload=payload.dict(), action=action
    )


@router.post(
    "/tickets/{ticket_id}/attachments",
    response={201: list[AttachmentOut], **WRITE},
    summary="Attach a screenshot, PDF or text log (at most 10 MB) to an open ticket",
)
def attach(request: HttpRequest, ticket_id: int, file: File[UploadedFile] = None) -> Status:  # type: ignore[assignment]
    stored = tickets.attach_files(
        actor=_actor(request), ticket_id=ticket_id, attachments=[file] if file else []
    )
    return Status(201, [AttachmentOut.from_orm(attachment).dict() for attachment in stored])


@router.get(
    "/attachments/{attachment_id}",
    response={200: None, **READ},
    summary="Download an attachment (only for those who see its ticket)",
)
def download(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = selectors.attachment_for(_actor(request), attachment_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@router.get(
    "/categories",
    response=list[CategoryOut],
    summary="Ticket categories with their help and costs (R2.11, R2.14)",
)
def categories(request: HttpRequest) -> list:
    return list(selectors.categories_visible_to(_actor(request)))


@router.post(
    "/categories/{category_id}/deflections",
    response={201: DeflectionOut, **WRITE},
    summary="The category's help solved the problem: no ticket (R2.11)",
)
def deflect(request: HttpRequest, category_id: int) -> Status:
    deflection = tickets.record_deflection(actor=_actor(request), category_id=category_id)
    return Status(201, DeflectionOut.from_orm(deflection).dict())


@router.get("/packs", response=list[PackOut], summary="Support packs with the price you would pay (R2.13)")
def list_packs(request: HttpRequest) -> list[dict]:
    actor = _actor(request)
    return [
        _pack_body(packs.preview_pack(actor=actor, pack_id=pack.pk))
        for pack in selectors.packs_visible_to(actor)
    ]


def _pack_body(preview) -> dict:
    pack = preview.pack
    return {
        "id": pack.pk,
        "code": pack.code,
        "name": pack.name,
        "vendor": pack.product.vendor.name,
        "credits": pack.credits,
        "currency": preview.total.currency,
        "net": preview.net.amount,
        "tax": preview.tax.amount,
        "total": preview.total.amount,
    }


@router.post(
    "/packs/{pack_id}/purchases",
    response={201: PurchaseOut, **WRITE},
    summary="Buy a pack: invoiced, paid as chosen, credited when paid (R2.13; Idempotency-Key)",
)
def buy(request: HttpRequest, pack_id: int, payload: BuyPackIn) -> Status:
    actor = _actor(request)

    def action() -> tuple[int, dict]:
        purchase = packs.buy_pack(
            actor=actor, pack_id=pack_id, pay_with=payload.pay_with, card_token=payload.card_token
        )
        purchase.refresh_from_db()
        return 201, PurchaseOut.from_orm(purchase).dict()

    return idempotent(
        request, operation=f"support.packs.{pack_id}.buy", payload=payload.dict(), action=action
    )


@router.get(
    "/purchases", response=list[PurchaseOut], summary="Support packs bought and whether they were credited"
)
@paginate(CursorPagination, ordering=("-id",))
def purchases(request: HttpRequest):
    return selectors.purchases_visible_to(_actor(request))


@router.post(
    "/tickets/{ticket_id}/identify",
    response={200: TicketDetailOut, **WRITE},
    summary="Support fills in the customer's e-mail or id; the ticket is classified again (R5.2, R5.5)",
)
def identify(request: HttpRequest, ticket_id: int, payload: IdentifyIn) -> dict:
    ticket = priority.identify_customer(
        actor=_actor(request),
        ticket_id=ticket_id,
        email=payload.email,
        user_id=payload.user_id,
        account_ref=payload.account_ref,
    )
    return _moved(request, ticket)


@router.post(
    "/tickets/{ticket_id}/severity",
    response={200: TicketDetailOut, **WRITE},
    summary="Support changes the severity, giving a reason",
)
def severity(request: HttpRequest, ticket_id: int, payload: SeverityIn) -> dict:
    ticket = priority.change_severity(
        actor=_actor(request), ticket_id=ticket_id, severity=payload.severity, reason=payload.reason
    )
    return _moved(request, ticket)


@router.get(
    "/priority",
    response={200: PriorityConfigOut, **READ},
    summary="The vendor's priority support: region tiers, excluded products, default severity (R5.1, R5.3)",
)
def priority_config(request: HttpRequest):
    return priority.config_for(_actor(request))


@router.put(
    "/priority",
    response={200: PriorityConfigOut, **WRITE},
    summary="Replace the vendor's priority support configuration (R5.1, R5.3)",
)
def configure_priority(request: HttpRequest, payload: PriorityConfigIn):
    return priority.configure(
        actor=_actor(request),
        default_severity=payload.default_severity,
        tiers=[(tier.region, tier.threshold) for tier in payload.tiers],
        excluded_product_ids=payload.excluded_product_ids,
    )


@router.get(
    "/intake",
    response=IntakeOut,
    summary="Partner intake: may you use priority support, the services and your region's addresses (R5.7)",
)
def intake_overview(request: HttpRequest) -> dict:
    actor = _actor(request)
    return {
        "priority_allowed": intake.may_use_priority(actor),
        "services": [
            {"id": p.pk, "code": p.code, "name": p.name, "vendor": p.vendor.name}
            for p in intake.services_for(actor)
        ],
        "addresses": [
            {"name": a.name, "email": a.email, "regions": a.regions, "vendor": a.vendor.name}
            for a in intake.regional_addresses(actor)
        ],
    }


def _partner_ticket(request: HttpRequest, payload: PartnerTicketIn, centre: str) -> Status:
    actor = _actor(request)

    def action() -> tuple[int, dict]:
        ticket = intake.open_partner_ticket(
            actor=actor,
            product_id=payload.product_id,
            account_ref=payload.account_ref,
            title=payload.subject,
            description=payload.description,
            customer_email=payload.customer_email,
            centre=centre,
            channel=Channel.API,
        )
        return 201, _detail(request, ticket)

    return idempotent(request, operation=f"support.intake.{centre}", payload=payload.dict(), action=action)


@router.post(
    "/intake/priority",
    response={201: TicketDetailOut, **WRITE},
    summary="A partner opens a priority ticket for its client, classified on receipt (R5.7, R5.8; "
    "only users the legal representative allowed; Idempotency-Key)",
)
def priority_ticket(request: HttpRequest, payload: PartnerTicketIn) -> Status:
    return _partner_ticket(request, payload, intake.PRIORITY)


@router.post(
    "/intake/general",
    response={201: TicketDetailOut, **WRITE},
    summary="A partner opens a ticket for its client through the general form (R5.8; every partner user)",
)
def general_ticket(request: HttpRequest, payload: PartnerTicketIn) -> Status:
    return _partner_ticket(request, payload, intake.GENERAL)


def _access_rows(actor) -> list[dict]:
    return [
        {"user_id": user.pk, "email": user.email, "full_name": user.full_name, "allowed": allowed}
        for user, allowed in intake.partner_users(actor)
    ]


@router.get(
    "/priority-access",
    response={200: list[AccessOut], **READ, 403: ErrorOut},
    summary="The partner's users and whether each may use priority support (R5.8; legal representative)",
)
def priority_access(request: HttpRequest) -> list[dict]:
    return _access_rows(_actor(request))


@router.put(
    "/priority-access",
    response={200: list[AccessOut], **WRITE},
    summary="The legal representative replaces who may use priority support (R5.8)",
)
def set_priority_access(request: HttpRequest, payload: AccessIn) -> list[dict]:
    actor = _actor(request)
    intake.set_priority_access(actor=actor, user_ids=payload.user_ids)
    return _access_rows(actor)


@router.get(
    "/addresses",
    response={200: list[AddressOut], **READ},
    summary="The vendor's regional support addresses; mail to them becomes tickets (R5.7)",
)
def support_addresses(request: HttpRequest):
    return list(mailboxes.addresses_of(_actor(request)).order_by("name", "id"))


@router.put(
    "/addresses",
    response={200: list[AddressOut], **WRITE},
    summary="Replace the vendor's regional support addresses (R5.7)",
)
def set_support_addresses(request: HttpRequest, payload: AddressesIn):
    actor = _actor(request)
    mailboxes.set_addresses(
        actor=actor,
        addresses=[
            mailboxes.AddressIn(name=a.name, email=a.email, regions=a.regions) for a in payload.addresses
        ],
    )
    return list(mailboxes.addresses_of(actor).order_by("name", "id"))


@router.post(
    "/tickets/{ticket_id}/hold",
    response={200: TicketDetailOut, **WRITE},
    summary="Support waits for the customer: Waiting, the SLA clock is paused (R5.6)",
)
def hold(request: HttpRequest, ticket_id: int) -> dict:
    return _moved(request, holds.put_on_hold(actor=_actor(request), ticket_id=ticket_id))


@router.post(
    "/tickets/{ticket_id}/resume",
    response={200: TicketDetailOut, **WRITE},
    summary="Support takes a waiting ticket up again; due times move on by the pause (R5.6)",
)
def resume(request: HttpRequest, ticket_id: int) -> dict:
    return _moved(request, holds.resume_ticket(actor=_actor(request), ticket_id=ticket_id))


def _sla_body(config) -> dict:
    calendar = {
        "time_zone": config.time_zone,
        "opening_hours": config.opening_hours or [],
        "closed_dates": config.closed_dates or [],
        "country": config.country,
    }
    return {
        "targets": [vars(spec) for spec in sla_config.target_specs(config)],
        "calendar": calendar,
        "escalation_contact_ids": sorted(config.escalation_contacts.values_list("pk", flat=True)),
    }


@router.get(
    "/priority/sla",
    response={200: SlaConfigIO, **READ},
    summary="The vendor's SLA targets, business calendar and escalation contacts (R5.6)",
)
def sla_settings(request: HttpRequest) -> dict:
    return _sla_body(priority.config_for(_actor(request)))


@router.put(
    "/priority/sla",
    response={200: SlaConfigIO, **WRITE},
    summary="Replace the vendor's SLA targets, business calendar and escalation contacts (R5.6)",
)
def configure_sla(request: HttpRequest, payload: SlaConfigIO) -> dict:
    config = sla_config.configure_sla(
        actor=_actor(request),
        targets=[sla_config.TargetSpec(**target.dict()) for target in payload.targets],
        calendar=sla_config.CalendarSpec(**payload.calendar.dict()),
        escalation_contact_ids=payload.escalation_contact_ids,
    )
    return _sla_body(config)


@router.get(
    "/priority/report",
    response={200: list[ComplianceRowOut], **READ, 422: ErrorOut},
    summary="Monthly SLA compliance per severity and phase (month=YYYY-MM, default this month) (R5.6)",
)
def sla_report(request: HttpRequest, month: str = "") -> list[dict]:
    rows = compliance.monthly_compliance(
        _actor(request), compliance.parse_month(month[:7], today=timezone.now().date())
    )
    return [vars(row) | {"compliance": row.compliance} for row in rows]
