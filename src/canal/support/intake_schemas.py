"""API schemas of partner intake (R5.7, R5.8) and of the vendors' regional support addresses."""

from ninja import Field, Schema

from canal.api.fields import Id, Text
from canal.support.schemas import Strict


class PartnerTicketIn(Strict):
    product_id: Id = Field(..., description="The service the problem is about (GET /support/intake).")
    account_ref: Text(120) = Field(  # type: ignore[valid-type]
        "", description="The customer's organisation or group id at the vendor.", examples=["ORG-4711"]
    )
    subject: Text(200, min_length=1) = Field(..., examples=["All users locked out"])  # type: ignore[valid-type]
    description: Text(20000, min_length=1) = Field(..., examples=["Since 9:00 nobody can log in."])  # type: ignore[valid-type]
    customer_email: Text(254) = Field(  # type: ignore[valid-type]
        "", description="The customer's primary (super-admin) e-mail.", examples=["admin@customer.example"]
    )


class ServiceOut(Schema):
    id: int
    code: str
    name: str
    vendor: str


class AddressOut(Schema):
    name: str
    email: str
    regions: str


class VendorAddressOut(AddressOut):
    vendor: str


class IntakeOut(Schema):
    priority_allowed: bool = Field(..., description="Whether you may use the priority support centre (R5.8).")
    services: list[ServiceOut]
    addresses: list[VendorAddressOut] = Field(..., description="Each vendor's address for your region.")


class AccessOut(Schema):
    user_id: int
    email: str
    full_name: str
    allowed: bool


class AccessIn(Strict):
    user_ids: list[Id] = Field(..., max_length=1000, description="Users allowed to use priority support.")


class AddressIn(Strict):
    name: Text(100, min_length=1) = Field(..., examples=["Americas and Asia"])  # type: ignore[valid-type]
    email: Text(254, min_length=3) = Field(..., examples=["support@vendor.example"])  # type: ignore[valid-type]
    regions: Text(300) = Field("", description="Comma separated; empty: every other region.")  # type: ignore[valid-type]


class AddressesIn(Strict):
    addresses: list[AddressIn] = Field(..., max_length=20)
