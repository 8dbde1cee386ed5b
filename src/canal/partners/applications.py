"""R4.1, R4.2: applying to the partner programme, the operator's decision, and the affiliate programme
that excludes it."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canal.accounts.actor import Actor
from canal.accounts.codes import random_code
from canal.accounts.models import Organisation, OrganisationKind, Role
from canal.core import audit
from canal.core.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from canal.core.state_machine import machine
from canal.partners import notices
from canal.partners.models import (
    Affiliate,
    ApplicationStatus,
    PartnerApplication,
    PartnerProfile,
    ProgrammeLevel,
)

# R4.1: the least expected yearly volume, per currency the applicant may state it in.
MINIMUM_YEARLY_VOLUME = {"CHF": Decimal("2000"), "EUR": Decimal("1800")}

APPLICATION = machine(
    "partner_application",
    {ApplicationStatus.PENDING: {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}},
)


def apply(
    *,
    actor: Actor,
    registered_id: str,
    website: str,
    yearly_volume: Decimal,
    currency: str,
    accepts_reseller_terms: bool,
) -> PartnerApplication:
    """A company (the actor's organisation, through its legal representative) applies to the programme."""
    actor.require_role(Role.LEGAL_REPRESENTATIVE)
    organisation = actor.organisation
    if organisation.kind == OrganisationKind.PARTNER:
        raise Conflict(_("Your organisation is already a partner."), field="organisation")
    if organisation.kind != OrganisationKind.CUSTOMER:
        raise RuleViolation(_("Only a company with a customer account can apply."), field="organisation")
    if Affiliate.objects.filter(organisation=organisation).exists():
        raise RuleViolation(
            _("An affiliate cannot also be a partner. Leave the affiliate programme first."),
            code="affiliate_cannot_be_partner",
            field="organisation",
        )
    registered_id = registered_id.strip()
    if not registered_id:
        raise RuleViolation(
            _("Give your company's id in the commercial register (or its equivalent)."), field="registered_id"
        )
    if not website.startswith(("https://", "http://")):
        raise RuleViolation(_("Give your active website's address, starting with https://."), field="website")
    currency = currency.upper()
    minimum = MINIMUM_YEARLY_VOLUME.get(currency)
    if minimum is None:
        raise RuleViolation(
            _("State the expected volume in CHF or EUR."), field="currency", suggestion="CHF, EUR"
        )
    if yearly_volume < minimum:
        raise RuleViolation(
            _("The programme asks for an expected yearly volume of at least %(minimum)s %(currency)s.")
            % {"minimum": minimum, "currency": currency},
            code="volume_too_low",
            field="yearly_volume",
        )
    if not accepts_reseller_terms:
        raise RuleViolation(
            _(
                "Accept the reseller terms: you support your clients, answer for their invoices and use only "
                "the vendor's products for contracts won through tenders."
            ),
            code="terms_not_accepted",
            field="accepts_reseller_terms",
        )
    with transaction.atomic():
        if PartnerApplication.objects.filter(
            organisation=organisation, status=ApplicationStatus.PENDING
        ).exists():
            raise Conflict(_("Your application is already waiting for a decision."), field="organisation")
        application = PartnerApplication.objects.create(
            organisation=organisation,
            registered_id=registered_id,
            website=website,
            yearly_volume=yearly_volume,
            currency=currency,
            terms_accepted_at=timezone.now(),
            submitted_by=actor.user,
        )
        audit.record(
            actor=actor,
            action="partner_application.submitted",
            obj=application,
            after={"volume": str(yearly_volume), "currency": currency},
        )
    return application


def _pending_for_operator(actor: Actor, application_id: int) -> PartnerApplication:
    if not actor.is_operator:
        raise NotFound(_("No application with this id."), field="application")
    application = (
        PartnerApplication.objects.select_for_update()
        .select_related("organisation", "submitted_by")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound(_("No application with this id."), field="application")
    return application


def approve(*, actor: Actor, application_id: int, level_id: int) -> PartnerApplication:
    """The operator admits the applicant at a programme level: it becomes a partner organisation."""
    with transaction.atomic():
        application = _pending_for_operator(actor, application_id)
        level = ProgrammeLevel.objects.filter(pk=level_id, operator=actor.organisation).first()
        if level is None:
            raise NotFound(_("No programme level with this id."), field="level")
        organisation = Organisation.objects.select_for_update().get(pk=application.organisation_id)
        if Affiliate.objects.filter(organisation=organisation).exists():
            raise RuleViolation(
                _("This organisation became an affiliate; it cannot also be a partner."),
                code="affiliate_cannot_be_partner",
                field="application",
            )
        APPLICATION.transition(
            application,
            ApplicationStatus.APPROVED,
            actor=actor,
            extra={"level": level, "decided_by": actor.user, "decided_at": timezone.now()},
        )
        organisation.kind = OrganisationKind.PARTNER
        organisation.legal_id = organisation.legal_id or application.registered_id
        organisation.save(update_fields=["kind", "legal_id"])
        PartnerProfile.objects.update_or_create(
            organisation=organisation, defaults={"level": level, "website": application.website}
        )
        audit.record(
            actor=actor,
            action="organisation.became_partner",
            obj=organisation,
            before={"kind": OrganisationKind.CUSTOMER},
            after={"kind": OrganisationKind.PARTNER, "level": level.code},
        )
        notices.tell(
            organisation,
            "application_approved",
            {"organisation": organisation, "level": level},
            message=gettext_noop("Welcome to the partner programme"),
            url=reverse("partners:space"),
            roles=(Role.LEGAL_REPRESENTATIVE,),
        )
    return application


def reject(*, actor: Actor, application_id: int, reason: str) -> PartnerApplication:
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("Say why the application is rejected; the applicant reads it."), field="reason")
    with transaction.atomic():
        application = _pending_for_operator(actor, application_id)
        APPLICATION.transition(
            application,
            ApplicationStatus.REJECTED,
            actor=actor,
            reason=reason,
            extra={"reason": reason, "decided_by": actor.user, "decided_at": timezone.now()},
        )
        notices.tell(
            application.organisation,
            "application_rejected",
            {"organisation": application.organisation, "reason": reason},
            message=gettext_noop("Your partner application was not accepted"),
            url=reverse("partners:apply"),
            roles=(Role.LEGAL_REPRESENTATIVE,),
        )
    return application


def join_affiliate_programme(*, actor: Actor) -> Affiliate:
    """R4.2: an organisation that is, or asks to be, a partner cannot become an affiliate."""
    actor.require_role(Role.LEGAL_REPRESENTATIVE)
    organisation = actor.organisation
    if (
        organisation.kind == OrganisationKind.PARTNER
        or PartnerApplication.objects.filter(
            organisation=organisation, status=ApplicationStatus.PENDING
        ).exists()
    ):
        raise RuleViolation(
            _("A partner (or a company applying to be one) cannot also be an affiliate."),
            code="partner_cannot_be_affiliate",
            field="organisation",
        )
    if organisation.kind != OrganisationKind.CUSTOMER:
        raise PermissionDenied(_("Only a customer account can join the affiliate programme."))
    with transaction.atomic():
        if Affiliate.objects.filter(organisation=organisation).exists():
            raise Conflict(_("Your organisation is already an affiliate."), field="organisation")
        affiliate = Affiliate.objects.create(organisation=organisation, referral_code=random_code(3, 4))
        audit.record(
            actor=actor, action="affiliate.joined", obj=affiliate, after={"code": affiliate.referral_code}
        )
    return affiliate
