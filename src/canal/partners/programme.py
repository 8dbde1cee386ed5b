"""The operator sets the partner programme (R4.3): each level's terms (discount and cashback rates) and
the level each partner is on. Partner pricing reads them at the next quote, order or renewal; invoices
already issued keep the prices they were issued with."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation, OrganisationKind, Role
from canal.core import audit
from canal.core.errors import NotFound, RuleViolation
from canal.partners.models import MAX_PARTNER_RATE, PartnerProfile, ProgrammeLevel

PROGRAMME_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN)


def _require_programme_manager(actor: Actor) -> None:
    # Only the operator runs the programme: for anyone else its levels and profiles are not theirs.
    if not actor.is_operator:
        raise NotFound(_("No programme level with this id."))
    actor.require_role(*PROGRAMME_ROLES)


def _check_rate(value: Decimal, field: str) -> None:
    if not Decimal(0) <= value <= MAX_PARTNER_RATE:
        raise RuleViolation(
            _("Rates are fractions from 0 to %(maximum)s (35 %%); %(value)s is outside.")
            % {"maximum": MAX_PARTNER_RATE, "value": value},
            code="rate_out_of_range",
            field=field,
            suggestion=_("Write 0.20 for 20 %."),
        )


def _level_for(actor: Actor, level_id: int, *, lock: bool = False) -> ProgrammeLevel:
    levels = ProgrammeLevel.objects.select_for_update() if lock else ProgrammeLevel.objects
    level = levels.filter(pk=level_id, operator=actor.organisation).first()
    if level is None:
        raise NotFound(_("No programme level with this id."), field="level_id")
    return level


def _terms(level: ProgrammeLevel) -> dict[str, str]:
    return {
        "name": level.name,
        "discount_rate": str(level.discount_rate),
        "cashback_rate": str(level.cashback_rate),
        "rank": str(level.rank),
    }


def create_level(
    *, actor: Actor, code: str, name: str, discount_rate: Decimal, cashback_rate: Decimal, rank: int
) -> ProgrammeLevel:
    _require_programme_manager(actor)
    _check_rate(discount_rate, "discount_rate")
    _check_rate(cashback_rate, "cashback_rate")
    with transaction.atomic():
        if ProgrammeLevel.objects.filter(operator=actor.organisation, code=code).exists():
            raise RuleViolation(
                _("A programme level with the code %(code)s exists already.") % {"code": code},
                code="level_code_taken",
                field="code",
                suggestion=_("Choose another code, or change that level's terms."),
            )
        level = ProgrammeLevel.objects.create(
            operator=actor.organisation,
            code=code,
            name=name,
            discount_rate=discount_rate,
            cashback_rate=cashback_rate,
            rank=rank,
        )
        audit.record(actor=actor, action="programme_level.created", obj=level, after=_terms(level))
    return level


def set_level_terms(
    *,
    actor: Actor,
    level_id: int,
    name: str,
    discount_rate: Decimal,
    cashback_rate: Decimal,
    rank: int,
) -> ProgrammeLevel:
    """R4.3: a level's partner discount and cashback rate, up to 35 % each."""
    _require_programme_manager(actor)
    _check_rate(discount_rate, "discount_rate")
    _check_rate(cashback_rate, "cashback_rate")
    with transaction.atomic():
        level = _level_for(actor, level_id, lock=True)
        before = _terms(level)
        level.name, level.discount_rate, level.cashback_rate, level.rank = (
            name,
            discount_rate,
            cashback_rate,
            rank,
        )
        level.save(update_fields=["name", "discount_rate", "cashback_rate", "rank"])
        audit.record(
            actor=actor, action="programme_level.terms_set", obj=level, before=before, after=_terms(level)
        )
    return level


def set_partner_level(*, actor: Actor, partner_id: int, level_id: int) -> PartnerProfile:
    """Moves a partner to another level of the programme; its next quotes use the new terms."""
    _require_programme_manager(actor)
    with transaction.atomic():
        level = _level_for(actor, level_id)
        partner = Organisation.objects.filter(pk=partner_id, kind=OrganisationKind.PARTNER).first()
        if partner is None:
            raise NotFound(_("No partner with this id."), field="partner_id")
        profile = PartnerProfile.objects.select_for_update().filter(organisation=partner).first()
        if profile is None:
            profile = PartnerProfile.objects.create(organisation=partner, level=level)
            before = None
        else:
            before = {"level": profile.level.code}
            profile.level = level
            profile.save(update_fields=["level"])
        audit.record(
            actor=actor, action="partner.level_set", obj=profile, before=before, after={"level": level.code}
        )
    return profile
