from datetime import datetime

from ninja import Field, Schema

from canal.api.fields import Email, Id, Input, Text

TokenName = Text(100, min_length=1)


class TokenRequest(Input):
    email: Email = Field(..., examples=["partner@demo.canal.test"])
    password: Text(1024)
    organisation_id: Id | None = Field(None, description="Needed only when the user belongs to several.")
    name: TokenName = Field("API", description="A label to recognise the token later.")


class TokenCreated(Schema):
    id: int
    token: str = Field(..., description="Shown only this once; store it safely.")
    name: str
    organisation_id: int


class NewToken(Input):
    name: TokenName


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    user_email: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_user_email(token: object) -> str:
        return token.user.email  # type: ignore[attr-defined]


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    legal_id: str
    country: str
    region: str
    currency: str
    language: str


class MembershipOut(Schema):
    organisation: OrganisationOut
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    support_code: str
    organisation: OrganisationOut
    roles: list[str]


class MeChange(Schema):
    language: str


class ClientRelationshipOut(Schema):
    id: int
    partner: OrganisationOut
    client: OrganisationOut
    access: str
    payment_mode: str
    status: str
    product_codes: list[str]

    @staticmethod
    def resolve_product_codes(relationship: object) -> list[str]:
        return sorted(grant.product_code for grant in relationship.grants.all())  # type: ignore[attr-defined]
