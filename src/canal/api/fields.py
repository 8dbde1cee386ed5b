"""Strict, bounded field types for API schemas: hostile input is refused with 422 at the edge.

A JSON boolean is not a number, a NUL byte never reaches the database, and no amount is large enough to
overflow a column. Use these instead of bare `str`, `int` and `Decimal` in request schemas:

    class TopUpIn(Input):
        amount: Amount
        note: Text(200) = ""
        quantity: Count
"""

import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, Field, Strict, StringConstraints, model_validator

# Largest amount any money column holds (max_digits=14, decimal_places=2 leaves 12 integer digits).
MAX_AMOUNT = Decimal("999999999999.99")
MAX_COUNT = 1_000_000


def _no_control_characters(value: str) -> str:
    # Tabs and line breaks are text; every other control or format-breaking character (NUL first of all,
    # which PostgreSQL refuses) is not.
    for character in value:
        if character in "\t\n\r":
            continue
        if unicodedata.category(character) in {"Cc", "Cs"}:
            raise ValueError("must not contain control characters such as NUL")
    return value


def Text(max_length: int, *, min_length: int = 0) -> type[str]:  # noqa: N802 - reads as a type
    """A string of at most `max_length` characters without control characters."""
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_no_control_characters),
    ]


# A one-line name, code or label (product codes, token names, titles).
Name = Text(200, min_length=1)
Code = Text(64, min_length=1)
Email = Annotated[
    str,
    StringConstraints(min_length=3, max_length=254, strip_whitespace=True),
    AfterValidator(_no_control_characters),
]

# Integers that refuse booleans and strings in a JSON body.
Count = Annotated[int, Strict(), Field(ge=0, le=MAX_COUNT)]
PositiveCount = Annotated[int, Strict(), Field(ge=1, le=MAX_COUNT)]
Id = Annotated[int, Strict(), Field(ge=1, le=2**63 - 1)]

# Money in a request: finite, non-negative, two decimals at most, within what a column holds.
Amount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, decimal_places=2, allow_inf_nan=False)]
PositiveAmount = Annotated[Decimal, Field(gt=0, le=MAX_AMOUNT, decimal_places=2, allow_inf_nan=False)]


class Input(Schema):
    """Base of request bodies: a JSON object and nothing else.

    ninja's Schema reads attributes of whatever it is given (wrapped in a DjangoGetter, for ORM objects),
    so without this a body of `[null, null]` passed as "every field at its default".
    """

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        given = data._obj if isinstance(data, DjangoGetter) else data  # the object ninja wrapped
        if not isinstance(given, Mapping | Input):
            raise ValueError("must be a JSON object")
        return data
