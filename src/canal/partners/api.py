"""Partner programme endpoints: /api/v1/partners/ (applications, affiliates, invitations, partnerships,
programme levels), /api/v1/tenders/ and the public /api/v1/directory/."""

import csv
from io import StringIO
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import CursorPagination, paginate

from canal.api.auth import PortalSessionAuth, TokenAuth
from canal.api.fields import Text
from canal.api.idempotency import idempotent
from canal.api.schemas import ErrorOut
from canal.partners import applications, invitations, relationships, selectors, support_access, tenders
from canal.partners.notices import absolute
from canal.partners.schemas import (
    AcceptIn,
    AccessIn,
    AffiliateOut,
    ApplicationIn,
    ApplicationOut,
    ApproveIn,
    AuthorTenderOut,
    CallerOut,
    ChooseIn,
    DecideIn,
    DirectoryEntryOut,
    EndIn,
    InvitationOut,
    InvitationSent,
    InviteClientIn,
    InvitePartnerIn,
    LevelOut,
    ManagerIn,
    PathId,
    ProposalIn,
    ProposalOut,
    RejectIn,
    RelationshipOut,
    SupportAccessIn,
    SupportAccessOut,
    TenderExcerptOut,
    TenderIn,
    TenderOut,
    TenderPosted,
)

router = Router(tags=["partners"])
tenders_router = Router(tags=["tenders"])
directory_router = Router(tags=["directory"], auth=None)

ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _optional_actor(request: HttpRequest):
    """Visitors may post tenders: no credentials is fine, and a client's token or session is recognised."""
    for method in (TokenAuth(), PortalSessionAuth()):
        try:
            actor = method(request)
        except HttpError:  # a session post without its CSRF token counts as a visitor's
            actor = None
        if actor:
            return actor
    return None


def _actor(request: HttpRequest):
    return request.actor  # type: ignore[attr-defined]


def _sent(invitation, token: str) -> dict:
    return {
        "invitation": InvitationOut.from_orm(invitation).dict(),
        "link": absolute(reverse("partners:invitation", args=[token])),
    }


# Applications and affiliates (R4.1, R4.2)


@router.post(
    "/applications", response={201: ApplicationOut, **ERRORS}, summary="Apply to the partner programme"
)
def apply(request: HttpRequest, payload: ApplicationIn) -> Status:
    def action() -> tuple[int, dict]:
        application = applications.apply(
            actor=_actor(request),
            registered_id=payload.registered_id,
            website=payload.website,
            yearly_volume=payload.yearly_volume,
            currency=payload.currency,
            accepts_reseller_terms=payload.accepts_reseller_terms,
        )
        return 201, ApplicationOut.from_orm(application).dict()

    return idempotent(request, operation="partner_application", payload=payload.dict(), action=action)


@router.get("/applications", response=list[ApplicationOut], summary="The operator's queue, or your own")
@paginate(CursorPagination, ordering=("id",))
def list_applications(request: HttpRequest, status: Literal["pending", "approved", "rejected"] | None = None):
    rows = selectors.applications_visible_to(_actor(request))
    return rows.filter(status=status) if status else rows


@router.get("/applications/{application_id}", response={200: ApplicationOut, 404: ErrorOut})
def get_application(request: HttpRequest, application_id: PathId):
    return selectors.application_for(_actor(request), application_id)


@router.post(
    "/applications/{application_id}/approve",
    response={200: ApplicationOut, **ERRORS},
    summary="Operator: admit the applicant at a programme level",
)
def approve(request: HttpRequest, application_id: PathId, payload: ApproveIn):
    return applications.approve(
        actor=_actor(request), application_id=application_id, level_id=payload.level_id
    )


@router.post(
    "/applications/{application_id}/reject",
    response={200: ApplicationOut, **ERRORS},
    summary="Operator: reject with a reason the applicant reads",
)
def reject(request: HttpRequest, application_id: PathId, payload: RejectIn):
    return applications.reject(actor=_actor(request), application_id=application_id, reason=payload.reason)


@router.post("/affiliate", response={201: AffiliateOut, **ERRORS}, summary="Join the affiliate programme")
def join_affiliates(request: HttpRequest) -> Status:
    return Status(201, applications.join_affiliate_programme(actor=_actor(request)))


@router.get(
    "/levels", response={200: list[LevelOut], 404: ErrorOut}, summary="Vendor and operator: the programme"
)
def list_levels(request: HttpRequest) -> list[dict]:
    return [
        {
            "id": row.level.pk,
            "code": row.level.code,
            "name": row.level.name,
            "discount_rate": row.level.discount_rate,
            "cashback_rate": row.level.cashback_rate,
            "partners": row.partners,
            "clients": row.clients,
            "cashback_paid": row.cashback_paid,
        }
        for row in selectors.programme_summary(_actor(request))
    ]


# Invitations both ways (R4.4, R4.17)


@router.post(
    "/invitations/clients",
    response={201: InvitationSent, **ERRORS},
    summary="Partner's legal representative: invite a client by e-mail",
)
def invite_client(request: HttpRequest, payload: InviteClientIn) -> Status:
    def action() -> tuple[int, dict]:
        invitation, token = invitations.invite_client(
            actor=_actor(request),
            email=payload.email,
            access=payload.access,
            payment_mode=payload.payment_mode,
            product_codes=payload.product_codes,
            message=payload.message,
        )
        return 201, _sent(invitation, token)

    return idempotent(request, operation="invite_client", payload=payload.dict(), action=action)


@router.post(
    "/invitations/partners",
    response={201: InvitationSent, **ERRORS},
    summary="Client's legal representative: invite a partner found in the directory",
)
def invite_partner(request: HttpRequest, payload: InvitePartnerIn) -> Status:
    def action() -> tuple[int, dict]:
        invitation, token = invitations.invite_partner(
            actor=_actor(request),
            partner_id=payload.partner_id,
            access=payload.access,
            payment_mode=payload.payment_mode,
            product_codes=payload.product_codes,
            message=payload.message,
        )
        return 201, _sent(invitation, token)

    return idempotent(request, operation="invite_partner", payload=payload.dict(), action=action)


@router.get("/invitations", response=list[InvitationOut], summary="Invitations your organisation sent or got")
@paginate(CursorPagination, ordering=("-id",))
def list_invitations(request: HttpRequest):
    return selectors.invitations_visible_to(_actor(request))


@router.post(
    "/invitations/{invitation_id}/resend",
    response={200: InvitationSent, **ERRORS},
    summary="Send a pending invitation again with a new link",
)
def resend(request: HttpRequest, invitation_id: PathId) -> dict:
    invitation, token = invitations.resend(actor=_actor(request), invitation_id=invitation_id)
    return _sent(invitation, token)


@router.post("/invitations/{invitation_id}/withdraw", response={200: InvitationOut, **ERRORS})
def withdraw(request: HttpRequest, invitation_id: PathId):
    return invitations.withdraw(actor=_actor(request), invitation_id=invitation_id)


@router.post(
    "/invitations/accept",
    response={200: RelationshipOut, **ERRORS},
    summary="Accept with the link's token (a client may grant other rights than asked)",
)
def accept(request: HttpRequest, payload: AcceptIn):
    relationship = invitations.accept(
        actor=_actor(request),
        token=payload.token,
        access=payload.access,
        payment_mode=payload.payment_mode,
        product_codes=payload.product_codes,
    )
    return selectors.relationship_for(_actor(request), relationship.pk)


@router.post("/invitations/refuse", response={200: InvitationOut, **ERRORS})
def refuse(request: HttpRequest, payload: DecideIn):
    return invitations.refuse(actor=_actor(request), token=payload.token)


# Partnerships (R4.5, R4.6, R4.11-R4.13)


@router.get("/relationships", response=list[RelationshipOut], summary="Your clients, or your partners")
@paginate(CursorPagination, ordering=("id",))
def list_relationships(request: HttpRequest):
    return selectors.relationships_visible_to(_actor(request))


@router.get("/relationships/{relationship_id}", response={200: RelationshipOut, 404: ErrorOut})
def get_relationship(request: HttpRequest, relationship_id: PathId):
    return selectors.relationship_for(_actor(request), relationship_id)


@router.post(
    "/relationships/{relationship_id}/access",
    response={200: RelationshipOut, **ERRORS},
    summary="Client: change the partner's access or who pays",
)
def change_access(request: HttpRequest, relationship_id: PathId, payload: AccessIn):
    relationships.change_access(
        actor=_actor(request),
        relationship_id=relationship_id,
        access=payload.access,
        payment_mode=payload.payment_mode,
        product_codes=payload.product_codes,
    )
    return selectors.relationship_for(_actor(request), relationship_id)


@router.post(
    "/relationships/{relationship_id}/managers",
    response={200: RelationshipOut, **ERRORS},
    summary="Partner's legal representative: let one of your users manage this client",
)
def assign_manager(request: HttpRequest, relationship_id: PathId, payload: ManagerIn):
    relationships.assign_manager(
        actor=_actor(request), relationship_id=relationship_id, user_id=payload.user_id
    )
    return selectors.relationship_for(_actor(request), relationship_id)


@router.delete(
    "/relationships/{relationship_id}/managers/{user_id}",
    response={200: RelationshipOut, **ERRORS},
    summary="Partner's legal representative: withdraw a user from this client",
)
def unassign_manager(request: HttpRequest, relationship_id: PathId, user_id: PathId):
    relationships.unassign_manager(actor=_actor(request), relationship_id=relationship_id, user_id=user_id)
    return selectors.relationship_for(_actor(request), relationship_id)


@router.post(
    "/relationships/{relationship_id}/end",
    response={200: RelationshipOut, **ERRORS},
    summary="End the partnership: confirm, and type your password",
)
def end(request: HttpRequest, relationship_id: PathId, payload: EndIn):
    return relationships.end_relationship(
        actor=_actor(request),
        relationship_id=relationship_id,
        confirmed=payload.confirm,
        password=payload.password,
    )


@router.get("/clients.csv", summary="Partner: your clients as CSV (billing: /billing/exports/*?client_id=)")
def export_clients(request: HttpRequest) -> HttpResponse:
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(["client_id", "client", "country", "access", "payment_mode", "products", "started_at"])
    for relationship in selectors.relationships_visible_to(_actor(request)):
        writer.writerow(
            [
                relationship.client_id,
                relationship.client.name,
                relationship.client.country,
                relationship.access,
                relationship.payment_mode,
                " ".join(sorted(grant.product_code for grant in relationship.grants.all())),
                relationship.started_at.isoformat(timespec="seconds"),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="clients.csv"'
    return response


# Tenders (R4.14, R4.18)


@tenders_router.post(
    "",
    auth=None,
    response={202: TenderPosted, 422: ErrorOut},
    summary="Anyone: post a request for offers (confirmed by e-mail)",
)
def post_tender(request: HttpRequest, payload: TenderIn) -> Status:
    tenders.post_tender(
        actor=_optional_actor(request),
        title=payload.title,
        description=payload.description,
        contact_name=payload.contact_name,
        contact_email=payload.contact_email,
        contact_phone=payload.contact_phone,
        region=payload.region,
        language=payload.language,
        honeypot=payload.website,
    )
    return Status(
        202,
        {"status": "unconfirmed", "message": _("Check your e-mail and confirm the request to publish it.")},
    )


@tenders_router.post("/confirm", auth=None, response={200: TenderPosted, **ERRORS})
def confirm_tender(request: HttpRequest, payload: DecideIn) -> dict:
    tender = tenders.confirm_tender(token=payload.token)
    return {"status": tender.status, "message": _("Your request is published to the partners.")}


@tenders_router.post(
    "/author",
    auth=None,
    response={200: AuthorTenderOut, **ERRORS},
    summary="Author: your request and proposals",
)
def author_view(request: HttpRequest, payload: DecideIn):
    return tenders.tender_for_author(payload.token)


@tenders_router.post(
    "/withdraw",
    auth=None,
    response={200: TenderPosted, **ERRORS},
    summary="Author: withdraw, effective at once",
)
def withdraw_tender(request: HttpRequest, payload: DecideIn) -> dict:
    tender = tenders.withdraw_tender(token=payload.token)
    return {"status": tender.status, "message": _("Your request is withdrawn.")}


@tenders_router.post(
    "/choose", auth=None, response={200: ProposalOut, **ERRORS}, summary="Author: choose a proposal"
)
def choose(request: HttpRequest, payload: ChooseIn):
    return tenders.choose_proposal(token=payload.token, proposal_id=payload.proposal_id)


@tenders_router.get("", response=list[TenderExcerptOut], summary="Partner: open requests (excerpts)")
@paginate(CursorPagination, ordering=("-id",))
def list_tenders(request: HttpRequest):
    return selectors.open_tenders_for(_actor(request))


@tenders_router.get(
    "/{tender_id}",
    response={200: TenderOut, 404: ErrorOut},
    summary="Partner: a full open request with contact",
)
def get_tender(request: HttpRequest, tender_id: PathId):
    return selectors.tender_for(_actor(request), tender_id)


@tenders_router.post("/{tender_id}/proposals", response={201: ProposalOut, **ERRORS})
def send_proposal(request: HttpRequest, tender_id: PathId, payload: ProposalIn) -> Status:
    def action() -> tuple[int, dict]:
        proposal = tenders.send_proposal(actor=_actor(request), tender_id=tender_id, message=payload.message)
        return 201, ProposalOut.from_orm(proposal).dict()

    return idempotent(request, operation=f"proposal:{tender_id}", payload=payload.dict(), action=action)


# Directory (R4.15)


@directory_router.get("", response=list[DirectoryEntryOut], summary="Public: partners who opted in")
@paginate(CursorPagination, ordering=("id",))
def list_directory(
    request: HttpRequest,
    q: Text(200) = "",
    region: Text(80) = "",
    language: Text(10) = "",
    product: Text(80) = "",
):
    return selectors.directory(query=q, region=region, language=language, product=product)


@directory_router.get("/{partner_id}", response={200: DirectoryEntryOut, 404: ErrorOut})
def get_directory_entry(request: HttpRequest, partner_id: PathId):
    return selectors.directory_entry(partner_id)


# Support codes and temporary support access (R4.16)


@router.get(
    "/support-access", response=list[SupportAccessOut], summary="Your organisation's grants to support"
)
@paginate(CursorPagination, ordering=("-id",))
def list_support_access(request: HttpRequest):
    return selectors.support_accesses_of(_actor(request))


@router.post(
    "/support-access",
    response={201: SupportAccessOut, **ERRORS},
    summary="Let support staff access your services for a number of hours",
)
def grant_support_access(request: HttpRequest, payload: SupportAccessIn) -> Status:
    return Status(201, support_access.grant(actor=_actor(request), hours=payload.hours))


@router.post("/support-access/{access_id}/revoke", response={200: SupportAccessOut, **ERRORS})
def revoke_support_access(request: HttpRequest, access_id: PathId):
    return support_access.revoke(actor=_actor(request), access_id=access_id)


@router.get(
    "/support-callers",
    response={200: CallerOut, 404: ErrorOut, 422: ErrorOut},
    summary="Operator staff: who is calling, by support code or VIP code",
)
def find_caller(request: HttpRequest, code: Text(20, min_length=1)) -> dict:
    caller = support_access.find_caller(actor=_actor(request), code=code)
    return {
        "kind": caller.kind,
        "user_email": caller.user.email if caller.user else None,
        "user_name": caller.user.get_full_name() if caller.user else None,
        "organisations": caller.organisations,
        "support_access_until": caller.access_until,
    }
