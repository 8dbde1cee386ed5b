"""Schemas shared by every router: the one error body, and the base of plain list rows."""

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict


class FieldErrorOut(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    """Every 4xx answer: what was wrong, which field, and what to do instead when a rule says."""

    code: str = Field(..., description="A stable machine-readable code, e.g. 'not_found', 'invalid'.")
    message: str = Field(..., description="What was wrong, in the caller's language.")
    field: str | None = Field(None, description="The input field at fault, when there is one.")
    suggestion: str | None = Field(None, description="What to do instead, when a rule gives one.")
    errors: list[FieldErrorOut] | None = Field(None, description="Every invalid field (422 only).")


class Row(BaseModel):
    """A response schema read straight off an object's attributes (properties included) by pydantic's own
    validator. ninja's `Schema` wraps every object in a resolver that looks each attribute up in Python,
    which costs most of a long list's time (issue 15); rows without `resolve_*` methods use this."""

    model_config = ConfigDict(from_attributes=True)
