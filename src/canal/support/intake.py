"""Partner intake (R5.7, R5.8): a partner opens a ticket for one of its clients with the service, the
organisation (or group) id, a subject, a description and the customer's primary e-mail; the customer is
identified from those (R5.2) and the ticket classified on receipt like any other (R5.4).

The partner's legal representative (its super-admin in the document's words) decides which of its users
may use the priority support centre; the others are refused there and told to use the general partner
form, which opens the same ticket: the document promises them "the same result".
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from canal.accounts.scope import visible_organisations
from canal.catalog.models import Product, ProductKind, TicketCategory
from canal.catalog.selectors import products_visible_to
from canal.core import audit
from canal.core.errors import NotFound, PermissionDenied, RuleViolation
from canal.support import files, large_accounts, tickets
from canal.support.models import Channel, PriorityAccess, SupportAddress, Ticket
from canal.support.selectors import servers_for_ticket

# R5.8: the super-admin of a partner is its legal representative; it decides and always has access.
DECIDING_ROLE = Role.LEGAL_REPRESENTATIVE
PRIORITY = "priority"
GENERAL = "general"


class PriorityAccessRequired(PermissionDenied):
    default_code = "priority_access_required"


def may_use_priority(actor: Actor) -> bool:
    """R5.8: the partner's legal representatives, and the users they allowed."""
    if actor.kind != OrganisationKind.PARTNER:
        return False
    if actor.has_role(DECIDING_ROLE):
        return True
    return PriorityAccess.objects.filter(partner=actor.organisation, user=actor.user).exists()


def _require_decider(actor: Actor) -> None:
    if actor.kind != OrganisationKind.PARTNER:
        raise NotFound(_("Only a partner decides who uses its priority support."), field="organisation")
    actor.require_role(DECIDING_ROLE)


def partner_users(actor: Actor) -> list[tuple[User, bool]]:
    """R5.8: the partner's users, each with whether it may use the priority support centre."""
    _require_decider(actor)
    partner = actor.organisation
    allowed = set(PriorityAccess.objects.filter(partner=partner).values_list("user_id", flat=True))
    deciders = set(
        Membership.objects.filter(organisation=partner, role=DECIDING_ROLE).values_list("user_id", flat=True)
    )
    users = User.objects.filter(memberships__organisation=partner).distinct().order_by("full_name", "email")
    return [(user, user.pk in allowed or user.pk in deciders) for user in users]


def set_priority_access(*, actor: Actor, user_ids: Sequence[int]) -> list[int]:
    """R5.8: the legal representative replaces the list of users allowed to use priority support; the
    legal representatives themselves always may. Returns the allowed users' ids."""
    _require_decider(actor)
    partner = actor.organisation
    wanted = {user_id for user_id in user_ids if isinstance(user_id, int) and not isinstance(user_id, bool)}
    members = set(
        Membership.objects.filter(organisation=partner, user_id__in=wanted).values_list("user_id", flat=True)
    )
    if members != wanted:
        raise NotFound(_("One of these users is not a member of your organisation."), field="user_ids")
    with transaction.atomic():
        rows = PriorityAccess.objects.select_for_update().filter(partner=partner)
        before = sorted(rows.values_list("user_id", flat=True))
        rows.exclude(user_id__in=members).delete()
        PriorityAccess.objects.bulk_create(
            [
                PriorityAccess(partner=partner, user_id=user_id, granted_by=actor.user)
                for user_id in sorted(members - set(before))
            ]
        )
        after = sorted(members)
        if before != after:
            audit.record(
                actor=actor,
                action="support.priority_access_set",
                obj=partner,
                before={"users": before},
                after={"users": after},
            )
    return after


def services_for(actor: Actor) -> QuerySet[Product]:
    """The services a partner may open a ticket about: the products on sale, not the support packs."""
    return (
        products_visible_to(actor)
        .filter(is_active=True)
        .exclude(kind=ProductKind.SUPPORT_CREDITS)
        .order_by("vendor__name", "name")
    )


def intake_category(vendor: Organisation) -> TicketCategory:
    """Partner and e-mail tickets are filed under the vendor's first ticket category."""
    category = (
        TicketCategory.objects.filter(product__vendor=vendor)
        .order_by("product__position", "position", "code")
        .first()
    )
    if category is None:
        raise RuleViolation(
            _("%(vendor)s has no ticket categories yet and cannot take tickets; ask its sales contact.")
            % {"vendor": vendor.name},
            code="no_ticket_category",
            field="product",
        )
    return category


def clean_email(value: str, *, field: str = "customer_email") -> str:
    value = (value or "").strip().lower()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise RuleViolation(
                _("Enter the customer's primary e-mail as an address, e.g. admin@customer.example."),
                code="invalid_email",
                field=field,
            ) from None
    return value


def client_of(actor: Actor, vendor_id: int, *, customer_email: str, account_ref: str) -> Organisation:
    """R5.2, R5.8: the partner's client the organisation or group id (or the customer e-mail) names."""
    if not (customer_email or account_ref):
        raise RuleViolation(
            _("Enter the customer's organisation or group id, or its primary e-mail."),
            code="required",
            field="account_ref",
        )
    found = large_accounts.identify(vendor_id, email=customer_email, account_ref=account_ref)
    clients = visible_organisations(actor).filter(kind=OrganisationKind.CUSTOMER)
    if found is None or not clients.filter(pk=found.pk).exists():
        raise RuleViolation(
            _(
                "None of your clients of this service matches this organisation or group id or e-mail: "
                "copy the id from the service's admin console, or enter the customer's primary e-mail."
            ),
            code="account_not_found",
            field="account_ref",
        )
    return found


def open_partner_ticket(
    *,
    actor: Actor,
    product_id: int,
    account_ref: str,
    title: str,
    description: str,
    customer_email: str = "",
    centre: str = PRIORITY,
    attachments: Sequence[UploadedFile] = (),
    channel: str = Channel.PORTAL,
) -> Ticket:
    """R5.7: a partner's ticket for its client, through the priority centre (only for the users its
    legal representative allowed, R5.8) or the general form (every partner user)."""
    if actor.kind != OrganisationKind.PARTNER:
        raise PermissionDenied(
            _("This form is for partners; customers open tickets on the Support page."), field="organisation"
        )
    if centre == PRIORITY and not may_use_priority(actor):
        raise PriorityAccessRequired(
            _(
                "Your organisation's legal representative has not given you access to priority support. "
                "Send this ticket through the general partner form: it reaches the same support team."
            ),
            field="organisation",
        )
    product = services_for(actor).filter(pk=product_id).first() if product_id else None
    if product is None:
        raise NotFound(_("No service with this id."), field="product")
    title = tickets._text(title, field="title", required=_("Enter a subject."), max_length=200)
    description = tickets._text(
        description, field="description", required=_("Describe the problem."), max_length=tickets.MAX_TEXT
    )
    customer_email = clean_email(customer_email)
    account_ref = (account_ref or "").strip()
    if len(account_ref) > 120:
        raise RuleViolation(
            _("An organisation or group id has at most 120 characters."), code="too_long", field="account_ref"
        )
    customer = client_of(actor, product.vendor_id, customer_email=customer_email, account_ref=account_ref)
    category = intake_category(product.vendor)
    for upload in attachments:
        files.check_attachment(upload)
    with transaction.atomic():
        ticket = tickets.create_ticket(
            actor=actor,
            attachments=attachments,
            customer=customer,
            vendor_id=product.vendor_id,
            category=category,
            subscription=servers_for_ticket(customer.pk, product.vendor_id).filter(product=product).first(),
            title=title,
            description=description,
            channel=channel,
            customer_email=customer_email,
            account_ref=account_ref,
        )
        audit.record(
            actor=actor,
            action="ticket.partner_intake",
            obj=ticket,
            after={"centre": centre, "partner": actor.organisation.pk, "product": product.code},
        )
    return ticket


def address_for_region(vendor_id: int, region: str) -> SupportAddress | None:
    """R5.7: the vendor's support address for a partner of `region`: the one listing the region, else
    the one serving every other region (no regions listed)."""
    fallback = None
    for address in SupportAddress.objects.filter(vendor_id=vendor_id).order_by("name", "id"):
        regions = {part.strip().lower() for part in address.regions.split(",") if part.strip()}
        if region and region.lower() in regions:
            return address
        if not regions and fallback is None:
            fallback = address
    return fallback


def regional_addresses(actor: Actor) -> list[SupportAddress]:
    """For each vendor whose services the actor may open tickets about, its address for the actor's
    region (the document: US, IN, AU, JP... write to one address, EU and RU to another)."""
    vendor_ids = services_for(actor).values_list("vendor_id", flat=True).distinct()
    region = actor.organisation.region
    found = (address_for_region(vendor_id, region) for vendor_id in sorted(set(vendor_ids)))
    return [address for address in found if address is not None]
