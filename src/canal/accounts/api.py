from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import CursorPagination, paginate

from canal.accounts import selectors, services
from canal.accounts.language import set_user_language
from canal.accounts.models import ApiToken
from canal.accounts.schemas import (
    ClientRelationshipOut,
    MeChange,
    MeOut,
    NewToken,
    OrganisationOut,
    TokenCreated,
    TokenOut,
    TokenRequest,
)
from canal.api.idempotency import idempotent

auth_router = Router(tags=["auth"])
router = Router(tags=["accounts"])


@auth_router.post(
    "/token", auth=None, response={201: TokenCreated}, summary="Exchange e-mail and password for a token"
)
def obtain_token(request: HttpRequest, payload: TokenRequest) -> Status:
    token, plaintext = services.issue_token_for_credentials(
        request=request,
        email=payload.email,
        password=payload.password,
        organisation_id=payload.organisation_id,
        name=payload.name,
    )
    return Status(201, _token_created(token, plaintext))


@router.get("/me", response=MeOut, summary="The authenticated user and organisation")
def me(request: HttpRequest) -> dict:
    return _me(request.actor)  # type: ignore[attr-defined]


@router.patch("/me", response=MeOut, summary="Change your language (pages, e-mails and notifications use it)")
def change_me(request: HttpRequest, payload: MeChange) -> dict:
    # Setting a value is naturally idempotent: a replay sets the same language again.
    set_user_language(user=request.actor.user, language=payload.language)  # type: ignore[attr-defined]
    return _me(request.actor)  # type: ignore[attr-defined]


def _me(actor: Any) -> dict:
    user = actor.user
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "support_code": user.support_code,
        "organisation": actor.organisation,
        "roles": sorted(actor.roles),
    }


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations you may see")
@paginate(CursorPagination, ordering=("id",))
def list_organisations(request: HttpRequest):
    return selectors.organisations_visible_to(request.actor)  # type: ignore[attr-defined]


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, organisation_id: int):
    return selectors.organisation_for(request.actor, organisation_id)  # type: ignore[attr-defined]


@router.get(
    "/clients", response=list[ClientRelationshipOut], summary="Partner-client relationships you are part of"
)
@paginate(CursorPagination, ordering=("id",))
def list_client_relationships(request: HttpRequest):
    return selectors.client_relationships_visible_to(request.actor)  # type: ignore[attr-defined]


@router.get("/clients/{relationship_id}", response=ClientRelationshipOut)
def get_client_relationship(request: HttpRequest, relationship_id: int):
    return selectors.client_relationship_for(request.actor, relationship_id)  # type: ignore[attr-defined]


@router.get("/tokens", response=list[TokenOut], summary="Your organisation's API tokens")
@paginate(CursorPagination, ordering=("-id",))
def list_tokens(request: HttpRequest):
    return selectors.api_tokens_visible_to(request.actor)  # type: ignore[attr-defined]


@router.post(
    "/tokens", response={201: TokenCreated}, summary="Create an API token (Idempotency-Key supported)"
)
def create_token(request: HttpRequest, payload: NewToken) -> Status:
    def action() -> tuple[int, dict]:
        token, plaintext = services.create_api_token(actor=request.actor, name=payload.name)  # type: ignore[attr-defined]
        return 201, _token_created(token, plaintext)

    return idempotent(request, operation="tokens.create", payload=payload.dict(), action=action)


@router.delete("/tokens/{token_id}", response={200: TokenOut}, summary="Revoke an API token")
def revoke_token(request: HttpRequest, token_id: int):
    return services.revoke_api_token(actor=request.actor, token_id=token_id)  # type: ignore[attr-defined]


def _token_created(token: ApiToken, plaintext: str) -> dict:
    return {"id": token.pk, "token": plaintext, "name": token.name, "organisation_id": token.organisation_id}
