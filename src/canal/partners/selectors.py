"""Partner programme reads, scoped to the actor: the operator's queue, a partner's clients (R4.11,
R4.12), invitations of each side, open tenders for partners (R4.14) and the public directory (R4.15)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import (
    ClientRelationship,
    Membership,
    Organisation,
    OrganisationKind,
    RelationshipStatus,
)
from canal.accounts.scope import active_relationships, visible_organisations
from canal.core.errors import NotFound
from canal.partners.models import (
    Invitation,
    PartnerApplication,
    PartnerProfile,
    ProgrammeLevel,
    Proposal,
    SupportAccess,
    Tender,
    TenderStatus,
)


def programme_level_of(partner: Organisation) -> ProgrammeLevel | None:
    """The partner's programme level, or None for an organisation outside the programme."""
    profile = getattr(partner, "partner_profile", None)
    return profile.level if profile is not None else None


def applications_visible_to(actor: Actor) -> QuerySet[PartnerApplication]:
    """The operator sees every application (its queue); an applicant sees its own."""
    applications = PartnerApplication.objects.select_related("organisation", "level", "submitted_by")
    if actor.is_operator:
        return applications
    return applications.filter(organisation=actor.organisation)


def levels_of(actor: Actor) -> QuerySet[ProgrammeLevel]:
    """The programme levels the actor's organisation runs (only the operator has any)."""
    return ProgrammeLevel.objects.filter(operator=actor.organisation).order_by("rank", "code")


def team_of(actor: Actor) -> QuerySet[Membership]:
    """The actor's own colleagues, e.g. to assign a client to (R4.12)."""
    return (
        Membership.objects.filter(organisation=actor.organisation)
        .select_related("user")
        .order_by("user__email")
    )


def application_for(actor: Actor, application_id: int) -> PartnerApplication:
    application = applications_visible_to(actor).filter(pk=application_id).first()
    if application is None:
        raise NotFound(_("No application with this id."), field="application")
    return application


def relationships_visible_to(actor: Actor) -> QuerySet[ClientRelationship]:
    """A partner's clients it may manage (R4.12: only assigned ones for its other users); a client's
    partners; the operator sees all."""
    relationships = ClientRelationship.objects.select_related("partner", "client").prefetch_related(
        "grants", "managers__user"
    )
    if actor.is_operator:
        return relationships
    if actor.kind == OrganisationKind.PARTNER:
        return relationships.filter(pk__in=active_relationships(actor).values("pk"))
    return relationships.filter(client=actor.organisation).exclude(status=RelationshipStatus.ENDED)


def relationship_for(actor: Actor, relationship_id: int) -> ClientRelationship:
    relationship = relationships_visible_to(actor).filter(pk=relationship_id).first()
    if relationship is None:
        raise NotFound(_("No partnership with this id."), field="relationship")
    return relationship


def client_for(actor: Actor, client_id: int) -> ClientRelationship:
    """R4.11: the partner opens one client's organisation through its relationship."""
    relationship = relationships_visible_to(actor).filter(client_id=client_id).first()
    if relationship is None or actor.kind != OrganisationKind.PARTNER:
        raise NotFound(_("No client with this id."), field="client")
    return relationship


def client_page_for(actor: Actor, client_id: int) -> tuple[Organisation, list[ClientRelationship]]:
    """The client page: a partner opens its own client (through the relationship, R4.11), the operator
    any customer with the partners it has; anyone else, or another partner's client, is not found."""
    if actor.is_operator:
        client = visible_organisations(actor).filter(pk=client_id, kind=OrganisationKind.CUSTOMER).first()
        if client is None:
            raise NotFound(_("No client with this id."), field="client")
        return client, list(relationships_visible_to(actor).filter(client=client))
    relationship = client_for(actor, client_id)
    return relationship.client, [relationship]


def invitations_visible_to(actor: Actor) -> QuerySet[Invitation]:
    invitations = Invitation.objects.select_related("partner", "client", "created_by")
    if actor.is_operator:
        return invitations
    return invitations.filter(Q(partner=actor.organisation) | Q(client=actor.organisation))


def invitation_for(actor: Actor, invitation_id: int) -> Invitation:
    invitation = invitations_visible_to(actor).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(_("No invitation with this id."), field="invitation")
    return invitation


def _is_programme_partner(actor: Actor) -> bool:
    return (
        actor.kind == OrganisationKind.PARTNER
        and PartnerProfile.objects.filter(organisation=actor.organisation).exists()
    )


def open_tenders_for(actor: Actor) -> QuerySet[Tender]:
    """R4.14: partners in the programme see open requests; nobody else (authors use their link)."""
    if actor.is_operator:
        return Tender.objects.all()
    if not _is_programme_partner(actor):
        return Tender.objects.none()
    return Tender.objects.filter(status=TenderStatus.OPEN)


def tender_for(actor: Actor, tender_id: int) -> Tender:
    tender = open_tenders_for(actor).filter(pk=tender_id).first()
    if tender is None:
        raise NotFound(_("No open tender with this id."), field="tender")
    return tender


def own_proposal(actor: Actor, tender: Tender) -> Proposal | None:
    return Proposal.objects.filter(tender=tender, partner=actor.organisation).first()


def directory(
    *, query: str = "", region: str = "", language: str = "", product: str = ""
) -> QuerySet[PartnerProfile]:
    """R4.15: approved partners who opted in, searchable; public (no actor)."""
    profiles = PartnerProfile.objects.filter(
        listed_in_directory=True, organisation__kind=OrganisationKind.PARTNER
    ).select_related("organisation", "level")
    if query:
        profiles = profiles.filter(
            Q(organisation__name__icontains=query) | Q(contact_email__iexact=query.strip())
        )
    if region:
        profiles = profiles.filter(Q(regions__icontains=region) | Q(organisation__region__icontains=region))
    if language:
        profiles = profiles.filter(languages__icontains=language)
    if product:
        profiles = profiles.filter(products__icontains=product)
    return profiles.order_by("organisation__name", "id")


def directory_entry(partner_id: int) -> PartnerProfile:
    profile = directory().filter(organisation_id=partner_id).first()
    if profile is None:
        raise NotFound(_("No partner with this id."), field="partner")
    return profile


@dataclass(frozen=True)
class LevelSummary:
    level: ProgrammeLevel
    partners: int
    clients: int
    cashback_paid: dict[str, Decimal]


def programme_summary(actor: Actor) -> list[LevelSummary]:
    """The vendor's and operator's view of the programme: partners and clients per level, and the
    cashback credited to them (R4.3, R4.7): a vendor sees only the cashback earned on its own products."""
    from canal.billing.models import InvoiceLine, InvoiceStatus
    from canal.catalog.models import Product

    if actor.kind not in {OrganisationKind.OPERATOR, OrganisationKind.VENDOR}:
        raise NotFound(_("No programme overview here."), field="organisation")
    lines = InvoiceLine.objects.filter(invoice__status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PAID])
    if not actor.is_operator:
        lines = lines.filter(
            product_code__in=Product.objects.filter(vendor=actor.organisation).values("code")
        )
    summaries = []
    levels = ProgrammeLevel.objects.annotate(partner_count=Count("partners")).order_by("rank", "code")
    for level in levels:
        partner_ids = level.partners.values("organisation_id")
        clients = ClientRelationship.objects.filter(
            partner_id__in=partner_ids, status=RelationshipStatus.ACTIVE
        ).count()
        cashback = (
            lines.filter(cashback_partner_id__in=partner_ids)
            .values("invoice__currency")
            .annotate(total=Sum("cashback_amount"))
        )
        summaries.append(
            LevelSummary(
                level=level,
                partners=level.partner_count,
                clients=clients,
                cashback_paid={row["invoice__currency"]: row["total"] for row in cashback},
            )
        )
    return summaries


def support_accesses_of(actor: Actor) -> QuerySet[SupportAccess]:
    """R4.16: an organisation's own grants to support staff; operator staff see all of them."""
    accesses = SupportAccess.objects.select_related("granted_by")
    return accesses if actor.is_operator else accesses.filter(organisation=actor.organisation)
