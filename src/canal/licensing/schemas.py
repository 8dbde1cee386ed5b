from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, Strict, model_validator

from canal.api.fields import Code, Count, Email, Text

Uptime = Annotated[int, Strict(), Field(ge=0, le=10**12)]  # seconds; ~31,000 years is enough
Version = Text(40, min_length=1)


class ClosedSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class ActivateIn(ClosedSchema):
    hardware_code: Text(200, min_length=8) = Field(  # type: ignore[valid-type]
        ..., description="The appliance's hardware fingerprint; only its SHA-256 digest is kept."
    )


class HeartbeatIn(ClosedSchema):
    uptime_seconds: Uptime
    clients_in_use: Count
    version: Version  # type: ignore[valid-type]


class UpdatesQuery(ClosedSchema):
    current_version: Version  # type: ignore[valid-type]


class LicenseFileOut(Schema):
    format: str
    key_id: str
    payload: dict[str, Any]
    signature: str


class ActivationOut(Schema):
    license: LicenseFileOut
    license_code: str
    changes_used: int
    changes_allowed: int
    warning: str = Field("", description="R2.19: set when one hardware-code change is left.")


class HeartbeatOut(Schema):
    status: str
    over_licensed: bool
    license: LicenseFileOut | None = Field(None, description="A refreshed license file, when one is due.")


class ReleaseOut(Schema):
    id: int
    product: str = Field(..., description="The product's code.")
    version: str
    published_on: date
    notes: str

    @staticmethod
    def resolve_product(obj: Any) -> str:
        # Lists hand over Release rows, the publishing endpoint a plain dict.
        return obj["product"] if isinstance(obj, dict) else obj.product.code


class UpdatesOut(Schema):
    current_version: str
    updatable_until: date
    latest: ReleaseOut | None
    newer_withheld: bool = Field(
        ..., description="Newer releases exist but were published after updatable-until: renew to get them."
    )


class ServerOut(Schema):
    id: int
    name: str
    customer_id: int
    customer: str
    product: str
    plan: str
    status: str
    clients: int
    modules: list[str]
    updatable_until: date
    license_code: str = Field(..., description="Only the last part of the code (R2.3).")
    changes_used: int
    changes_allowed: int
    uptime_seconds: int | None
    clients_in_use: int | None
    version: str
    last_heartbeat_at: datetime | None
    over_licensed: bool
    possible_fault: bool
    has_key: bool

    @model_validator(mode="before")
    @classmethod
    def _from_license(cls, data: Any) -> Any:
        # Paginated lists hand over subscriptions; every interface shows them through one presenter.
        from canal.licensing.presenters import server_row
        from canal.subscriptions.models import Subscription

        obj = getattr(data, "_obj", data)
        return server_row(obj) if isinstance(obj, Subscription) else data


class HardwareChangeOut(Schema):
    at: datetime
    event: str
    license_code: str
    changes_used: int
    reason: str


class HeartbeatRowOut(Schema):
    at: datetime
    uptime_seconds: int
    clients_in_use: int
    version: str


class ActivationKeyOut(Schema):
    key: str = Field(..., description="Shown once: give it to the appliance. Canal keeps only a digest.")
    prefix: str
    created_at: datetime


class ServerQuery(ClosedSchema):
    status: Text(24) = ""  # type: ignore[valid-type]
    over_licensed: bool = False
    possible_fault: bool = False
    at_limit: bool = False
    customer: Text(120) = ""  # type: ignore[valid-type]


class ResetIn(ClosedSchema):
    reason: Text(300, min_length=3)  # type: ignore[valid-type]


class ReleaseIn(ClosedSchema):
    product: Code  # type: ignore[valid-type]
    version: Version  # type: ignore[valid-type]
    published_on: date
    notes: Text(4000) = ""  # type: ignore[valid-type]


class PublicKeyOut(Schema):
    key_id: str
    vendor_id: int
    vendor: str
    algorithm: str = "Ed25519"
    public_key: str = Field(..., description="The raw 32-byte public key, base64.")


class EntitlementsQuery(ClosedSchema):
    email: Email  # type: ignore[valid-type]


class EntitlementOut(Schema):
    subscription_id: int
    customer_id: int
    product: str
    license_types: list[str]


class EntitlementsOut(Schema):
    email: str
    active: bool = Field(..., description="R3.5: false when the user holds no license of your products.")
    subscriptions: list[EntitlementOut]
