"""Operator endpoints under /api/v1/programme/: the programme's levels and terms (R4.3) and each partner's
level. The read side (levels with their partners and volume) is `GET /api/v1/partners/levels`."""

from django.http import HttpRequest
from ninja import Router, Status

from canal.api.idempotency import idempotent
from canal.partners import programme
from canal.partners.models import PartnerProfile, ProgrammeLevel
from canal.partners.programme_schemas import (
    LevelTermsIn,
    LevelTermsOut,
    NewLevelIn,
    PartnerLevelIn,
    PartnerLevelOut,
)

router = Router(tags=["partners"])


def _level_body(level: ProgrammeLevel) -> dict:
    return LevelTermsOut.from_orm(level).model_dump(mode="json")


@router.post(
    "/levels",
    response={201: LevelTermsOut},
    summary="Operator: add a programme level with its terms (R4.3; Idempotency-Key supported)",
)
def create_level(request: HttpRequest, payload: NewLevelIn) -> Status:
    def action() -> tuple[int, dict]:
        level = programme.create_level(actor=request.actor, **payload.model_dump())  # type: ignore[attr-defined]
        return 201, _level_body(level)

    return idempotent(
        request, operation="programme.levels.create", payload=payload.model_dump(mode="json"), action=action
    )


@router.put(
    "/levels/{level_id}",
    response=LevelTermsOut,
    summary="Operator: set a level's partner discount and cashback rate (R4.3, up to 35 % each)",
)
def set_level_terms(request: HttpRequest, level_id: int, payload: LevelTermsIn) -> ProgrammeLevel:
    return programme.set_level_terms(
        actor=request.actor,  # type: ignore[attr-defined]
        level_id=level_id,
        **payload.model_dump(),
    )


@router.put(
    "/partners/{partner_id}/level",
    response=PartnerLevelOut,
    summary="Operator: move a partner to another programme level",
)
def set_partner_level(request: HttpRequest, partner_id: int, payload: PartnerLevelIn) -> dict:
    profile: PartnerProfile = programme.set_partner_level(
        actor=request.actor,  # type: ignore[attr-defined]
        partner_id=partner_id,
        level_id=payload.level_id,
    )
    return {"partner_id": profile.organisation_id, "level": profile.level}
