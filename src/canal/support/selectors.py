"""What each actor sees of the support desk. Customers see their own tickets, partners their clients'
(within the access granted), vendors the tickets about their products, operator staff all of them; other
tickets are absent (404). Internal notes reach only support (R2.17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.db.models import Case, Count, DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from canal.accounts.scope import scoped
from canal.billing.models import CREDITS, Account, AccountKind
from canal.catalog.models import ProductKind, SupportPack, TicketCategory
from canal.catalog.selectors import support_products_visible_to
from canal.core.errors import NotFound
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.support.models import (
    Attachment,
    MessageKind,
    PackPurchase,
    SlaBreach,
    SlaEventKind,
    Ticket,
    TicketMessage,
    TicketStatus,
)

AGENT_ROLES = (Role.SUPPORT_AGENT, Role.ADMIN)
MAX_ID = 2**63 - 1
SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "number": ("number",),
    "status": ("status", "-created_at"),
    "title": ("title", "id"),
    # R5.6: the most urgent first (the next due time of a running phase), breached tickets first.
    "due": ("next_due_at", "id"),
    "breached": ("-sla_breached", "next_due_at", "id"),
}
# R5.6: tickets by the state of their SLA.
SLA_FILTERS = ("breached", "flagged", "paused")
# Sorts after every real due time: a ticket without one comes last.
NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)


def is_support(actor: Actor, vendor_id: int | None = None) -> bool:
    """Operator support agents and administrators work every ticket; a vendor's, its products' tickets."""
    if not actor.has_role(*AGENT_ROLES):
        return False
    if actor.is_operator:
        return True
    return actor.kind == OrganisationKind.VENDOR and (vendor_id is None or vendor_id == actor.organisation.pk)


def tickets_visible_to(actor: Actor) -> QuerySet[Ticket]:
    rows = Ticket.objects.select_related(
        "customer", "vendor", "category", "agent", "requester", "subscription"
    ).prefetch_related("breaches")  # R5.6: each ticket's flags, read once per list
    return scoped(rows, actor, organisation_field="customer", vendor_field="vendor").annotate(
        next_due_at=_next_due(),
        sla_breached=Exists(SlaBreach.objects.filter(ticket=OuterRef("pk"), kind=SlaEventKind.BREACH)),
    )


def _running(due: str, condition: Q) -> Coalesce:
    return Coalesce(Case(When(condition, then=due), output_field=DateTimeField()), Value(NO_DUE))


def _next_due() -> Least:
    """R5.6: the earliest due time of a phase still running (NO_DUE when none)."""
    open_ = Q(
        status__in=[TicketStatus.PENDING, TicketStatus.ASSIGNED, TicketStatus.REOPENED, TicketStatus.WAITING]
    )
    return Least(
        _running("first_response_due_at", open_ & Q(first_response_at__isnull=True)),
        _running(
            "determination_due_at", Q(status=TicketStatus.PENDING) | Q(held_status=TicketStatus.PENDING)
        ),
        _running("resolution_due_at", open_),
        _running("update_due_at", open_),
    )


def _valid(object_id: int | None) -> bool:
    # An id no column can hold is simply not there (PostgreSQL would refuse it in the query).
    return object_id is not None and 0 < object_id <= MAX_ID


def ticket_for(actor: Actor, ticket_id: int) -> Ticket:
    ticket = tickets_visible_to(actor).filter(pk=ticket_id).first() if _valid(ticket_id) else None
    if ticket is None:
        raise NotFound(_("No ticket with this id."), field="ticket")
    return ticket


@dataclass(frozen=True)
class TicketFilters:
    status: str = ""
    category: int | None = None
    customer: int | None = None
    agent: int | None = None
    query: str = ""
    sort: str = "newest"
    sla: str = ""  # R5.6: "breached", "flagged" (warned or breached) or "paused"
    due_before: datetime | None = None  # R5.6: a running phase is due before this moment


def filtered_tickets(actor: Actor, filters: TicketFilters) -> QuerySet[Ticket]:
    """R2.10: the list by state ("" is All), category, customer, agent and words in number or title."""
    rows = tickets_visible_to(actor)
    if filters.status in TicketStatus.values:
        rows = rows.filter(status=filters.status)
    for column, value in (
        ("category_id", filters.category),
        ("customer_id", filters.customer),
        ("agent_id", filters.agent),
    ):
        if value is not None:
            rows = rows.filter(**{column: value}) if _valid(value) else rows.none()
    words = filters.query.strip()
    if words:
        rows = rows.filter(Q(number__icontains=words) | Q(title__icontains=words))
    if filters.sla == "breached":
        rows = rows.filter(sla_breached=True)
    elif filters.sla == "flagged":
        rows = rows.filter(Exists(SlaBreach.objects.filter(ticket=OuterRef("pk"))))
    elif filters.sla == "paused":
        rows = rows.filter(status=TicketStatus.WAITING)
    if filters.due_before is not None:
        rows = rows.filter(next_due_at__lt=filters.due_before)
    return rows.annotate(credit_balance=_credit_balance()).order_by(*SORTS.get(filters.sort, SORTS["newest"]))


def _credit_balance() -> Coalesce:
    """Each row shows its customer's support-credit balance (R2.12), read in the same query."""
    account = Account.objects.filter(
        organisation_id=OuterRef("customer_id"), kind=AccountKind.SUPPORT_CREDITS, currency=CREDITS
    )
    return Coalesce(Subquery(account.values("balance")[:1]), Value(Decimal(0)))


def counts_by_status(actor: Actor) -> dict[str, int]:
    """How many visible tickets are in each state, and "all"."""
    found = dict(tickets_visible_to(actor).order_by().values_list("status").annotate(n=Count("id")))
    counts = {status: found.get(status, 0) for status in TicketStatus.values}
    counts["all"] = sum(counts.values())
    return counts


def queue_customers(actor: Actor) -> QuerySet[Organisation]:
    """The customers with tickets in the actor's queue (for its filter)."""
    return Organisation.objects.filter(pk__in=tickets_visible_to(actor).values("customer_id")).order_by(
        "name"
    )


def queue_agents(actor: Actor) -> QuerySet[User]:
    return User.objects.filter(pk__in=tickets_visible_to(actor).values("agent_id")).order_by(
        "full_name", "email"
    )


def messages_of(actor: Actor, ticket: Ticket) -> QuerySet[TicketMessage]:
    """The conversation, oldest first; internal notes only for support (R2.17)."""
    rows = ticket.messages.select_related("author").prefetch_related("attachments")
    if not is_support(actor, ticket.vendor_id):
        rows = rows.filter(kind=MessageKind.PUBLIC)
    return rows.order_by("created_at", "id")


def attachments_of(actor: Actor, ticket: Ticket) -> QuerySet[Attachment]:
    rows = ticket.attachments.select_related("message")
    if not is_support(actor, ticket.vendor_id):
        rows = rows.filter(Q(message__isnull=True) | Q(message__kind=MessageKind.PUBLIC))
    return rows


def attachment_for(actor: Actor, attachment_id: int) -> Attachment:
    """The attachment if the actor sees its ticket (and, for a note's file, is support); 404 otherwise."""
    attachment = (
        Attachment.objects.select_related("ticket", "message").filter(pk=attachment_id).first()
        if _valid(attachment_id)
        else None
    )
    if attachment is None or not tickets_visible_to(actor).filter(pk=attachment.ticket_id).exists():
        raise NotFound(_("No attachment with this id."), field="attachment")
    if not attachments_of(actor, attachment.ticket).filter(pk=attachment.pk).exists():
        raise NotFound(_("No attachment with this id."), field="attachment")
    return attachment


def categories_visible_to(actor: Actor) -> QuerySet[TicketCategory]:
    """R2.11, R2.14: the ticket categories of the support products the actor may buy."""
    products = support_products_visible_to(actor).filter(is_active=True)
    return (
        TicketCategory.objects.filter(product__in=products)
        .select_related("product", "product__vendor")
        .order_by("product__vendor__name", "position", "code")
    )


def category_for(actor: Actor, category_id: int) -> TicketCategory:
    category = categories_visible_to(actor).filter(pk=category_id).first() if _valid(category_id) else None
    if category is None:
        raise NotFound(_("No ticket category with this id."), field="category")
    return category


def packs_visible_to(actor: Actor) -> QuerySet[SupportPack]:
    products = support_products_visible_to(actor).filter(is_active=True)
    return (
        SupportPack.objects.filter(product__in=products)
        .select_related("product", "product__vendor")
        .order_by("product__vendor__name", "-credits")
    )


def pack_for(actor: Actor, pack_id: int) -> SupportPack:
    pack = packs_visible_to(actor).filter(pk=pack_id).first() if _valid(pack_id) else None
    if pack is None:
        raise NotFound(_("No support pack with this id."), field="pack")
    return pack


def purchases_visible_to(actor: Actor) -> QuerySet[PackPurchase]:
    rows = PackPurchase.objects.select_related("pack", "invoice", "organisation")
    return scoped(rows, actor).order_by("-created_at", "-id")


def holds_license(customer_id: int, vendor_id: int) -> bool:
    """R2.14: a licensed customer holds an active license (subscription) of one of the vendor's products."""
    return (
        Subscription.objects.filter(
            customer_id=customer_id, product__vendor_id=vendor_id, status=SubscriptionStatus.ACTIVE
        )
        .exclude(product__kind=ProductKind.SUPPORT_CREDITS)
        .exists()
    )


def servers_for_ticket(customer_id: int, vendor_id: int) -> QuerySet[Subscription]:
    """R2.11: the servers or subscriptions of the vendor's products a ticket may be about."""
    return (
        Subscription.objects.filter(customer_id=customer_id, product__vendor_id=vendor_id)
        .exclude(status__in=[SubscriptionStatus.CANCELLED, SubscriptionStatus.EXPIRED])
        .exclude(product__kind=ProductKind.SUPPORT_CREDITS)
        .select_related("product", "plan")
        .order_by("name", "id")
    )


def agents_for(vendor_id: int) -> QuerySet[User]:
    """Who may be assigned a ticket: operator support agents and the vendor's own."""
    memberships = Membership.objects.filter(role__in=AGENT_ROLES).filter(
        Q(organisation__kind=OrganisationKind.OPERATOR) | Q(organisation_id=vendor_id)
    )
    return User.objects.filter(pk__in=memberships.values("user_id"), is_active=True).order_by(
        "full_name", "email"
    )
