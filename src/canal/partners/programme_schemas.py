"""API shapes of the operator's programme settings (R4.3). Rates are fractions: 0.20 is 20 %."""

from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from canal.api.fields import Code, Count, Id, Input, Name
from canal.partners.models import MAX_PARTNER_RATE

Rate = Annotated[Decimal, Field(ge=0, le=MAX_PARTNER_RATE, decimal_places=4, allow_inf_nan=False)]


class LevelTermsIn(Input):
    name: Name
    discount_rate: Rate = Field(..., examples=["0.20"], description="The partner discount, up to 0.35.")
    cashback_rate: Rate = Field(..., examples=["0.10"], description="The cashback rate, up to 0.35.")
    rank: Count = Field(0, description="Order of the levels, lowest first.")


class NewLevelIn(LevelTermsIn):
    code: Code = Field(..., examples=["gold"])


class LevelTermsOut(Schema):
    id: int
    code: str
    name: str
    discount_rate: Decimal
    cashback_rate: Decimal
    rank: int


class PartnerLevelIn(Input):
    level_id: Id


class PartnerLevelOut(Schema):
    partner_id: int
    level: LevelTermsOut
