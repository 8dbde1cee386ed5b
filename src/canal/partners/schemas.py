"""Request and answer bodies of the partner programme API; requests use the strict field types."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict
from pydantic import Strict as Strict_

from canal.api.fields import Amount, Code, Email, Id, Name, Text

# A path id: a number within what a database key holds (bigger ones would overflow the query).
PathId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Access = Literal["full", "limited"]
Payer = Literal["customer", "partner"]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class Out(Schema):
    # Idempotent replays hand back the stored body, keyed by field name rather than by alias.
    model_config = ConfigDict(populate_by_name=True)


class ApplicationIn(Strict):
    registered_id: Text(40, min_length=1)
    website: Text(200, min_length=1)
    yearly_volume: Amount
    currency: Literal["CHF", "EUR"]
    accepts_reseller_terms: bool = Field(
        ...,
        description="You support your clients, answer for their invoices and use only the vendor's products "
        "for contracts won through tenders (R4.18).",
    )


class ApproveIn(Strict):
    level_id: Id


class RejectIn(Strict):
    reason: Text(500, min_length=1)


class ApplicationOut(Out):
    id: int
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    registered_id: str
    website: str
    yearly_volume: Decimal
    currency: str
    status: str
    level_id: int | None
    reason: str
    created_at: datetime
    decided_at: datetime | None


class AffiliateOut(Out):
    organisation_id: int
    referral_code: str
    status: str


class InviteClientIn(Strict):
    email: Email
    access: Access
    payment_mode: Payer = "customer"
    product_codes: list[Code] = Field(default_factory=list, max_length=200)
    message: Text(1000) = ""


class InvitePartnerIn(Strict):
    partner_id: Id
    access: Access
    payment_mode: Payer = "customer"
    product_codes: list[Code] = Field(default_factory=list, max_length=200)
    message: Text(1000) = ""


class InvitationOut(Out):
    id: int
    direction: str
    partner_id: int
    partner_name: str = Field(..., alias="partner.name")
    client_id: int | None
    email: str
    access: str
    payment_mode: str
    product_codes: list[str]
    status: str
    expires_at: datetime
    sent_count: int
    relationship_id: int | None


class InvitationSent(Out):
    invitation: InvitationOut
    link: str = Field(..., description="The single-use link, also sent by e-mail; shown once.")


class DecideIn(Strict):
    token: Text(100, min_length=1)


class AcceptIn(Strict):
    token: Text(100, min_length=1)
    access: Access | None = Field(None, description="The client may grant other rights than asked (R4.4).")
    payment_mode: Payer | None = None
    product_codes: list[Code] | None = Field(None, max_length=200)


class AccessIn(Strict):
    access: Access
    payment_mode: Payer | None = None
    product_codes: list[Code] = Field(default_factory=list, max_length=200)


class ManagerIn(Strict):
    user_id: Id


class EndIn(Strict):
    confirm: bool = Field(..., description="First confirmation: true.")
    password: Text(200, min_length=1) = Field(..., description="Second confirmation: your account password.")


class RelationshipOut(Out):
    id: int
    partner_id: int
    partner_name: str = Field(..., alias="partner.name")
    client_id: int
    client_name: str = Field(..., alias="client.name")
    access: str
    payment_mode: str
    status: str
    products: list[str]
    managers: list[int]
    started_at: datetime
    ended_at: datetime | None

    @staticmethod
    def resolve_products(relationship) -> list[str]:
        return sorted(grant.product_code for grant in relationship.grants.all())

    @staticmethod
    def resolve_managers(relationship) -> list[int]:
        return sorted(manager.user_id for manager in relationship.managers.all())


class TenderIn(Strict):
    title: Name
    description: Text(5000, min_length=1)
    contact_name: Name
    contact_email: Email
    contact_phone: Text(40) = ""
    region: Text(80) = ""
    language: Literal["", "es", "en"] = ""
    website: Text(200) = Field("", description="Leave empty (a field people never see, against robots).")


class TenderPosted(Out):
    status: str
    message: str


class TenderExcerptOut(Out):
    id: int
    title: str
    excerpt: str
    region: str
    language: str
    status: str
    created_at: datetime

    @staticmethod
    def resolve_excerpt(tender) -> str:
        from canal.partners.tenders import excerpt

        return excerpt(tender)


class TenderOut(TenderExcerptOut):
    description: str
    contact_name: str
    contact_email: str
    contact_phone: str


class ProposalIn(Strict):
    message: Text(5000, min_length=1)


class ProposalOut(Out):
    id: int
    tender_id: int
    partner_id: int
    partner_name: str = Field(..., alias="partner.name")
    message: str
    status: str
    created_at: datetime


class AuthorTenderOut(TenderOut):
    proposals: list[ProposalOut]

    @staticmethod
    def resolve_proposals(tender) -> list:
        return list(tender.proposals.select_related("partner"))


class ChooseIn(Strict):
    token: Text(100, min_length=1)
    proposal_id: Id


class DirectoryEntryOut(Out):
    partner_id: int = Field(..., alias="organisation.id")
    name: str = Field(..., alias="organisation.name")
    country: str = Field(..., alias="organisation.country")
    level: str = Field(..., alias="level.name")
    website: str
    description: str
    regions: str
    languages: str
    products: str
    contact_email: str


class LevelOut(Out):
    id: int
    code: str
    name: str
    discount_rate: Decimal
    cashback_rate: Decimal
    partners: int
    clients: int
    cashback_paid: dict[str, Decimal]


class SupportAccessIn(Strict):
    hours: Annotated[int, Strict_(), Field(ge=1, le=168)]


class SupportAccessOut(Out):
    id: int
    organisation_id: int
    expires_at: datetime
    revoked_at: datetime | None
    created_at: datetime


class CallerOrganisationOut(Out):
    id: int
    name: str
    premium_support: bool


class CallerOut(Out):
    kind: str = Field(..., description="support_code (a user) or vip_code (a premium-support customer)")
    user_email: str | None
    user_name: str | None
    organisations: list[CallerOrganisationOut]
    support_access_until: datetime | None
