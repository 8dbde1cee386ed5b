"""The pricing engine: pure functions that price a configuration into a quote with its breakdown."""

from .engine import quote
from .errors import PricingError
from .models import (
    BreakdownStep,
    DiscountTier,
    Flat,
    Graduated,
    Item,
    License,
    Module,
    PerUnit,
    PriceTier,
    PricingModel,
    Quote,
    QuoteLine,
    StepKind,
    Volume,
    VolumeDiscount,
)
from .programme import MAX_PARTNER_RATE, Benefit, ProgrammeLevel, cashback, partner_benefit
from .proration import Proration, prorate, proration_factor

__all__ = [
    "MAX_PARTNER_RATE",
    "Benefit",
    "BreakdownStep",
    "DiscountTier",
    "Flat",
    "Graduated",
    "Item",
    "License",
    "Module",
    "PerUnit",
    "PriceTier",
    "PricingError",
    "PricingModel",
    "ProgrammeLevel",
    "Proration",
    "Quote",
    "QuoteLine",
    "StepKind",
    "Volume",
    "VolumeDiscount",
    "cashback",
    "partner_benefit",
    "prorate",
    "proration_factor",
    "quote",
]
