"""Quotes per second from the pure pricing engine (no database): the R4.9 hosting quote, stacked."""

import time
from datetime import date
from decimal import Decimal

from canal.core.money import Money
from canal.pricing import DiscountTier, Item, Proration, VolumeDiscount, quote

HOSTING = Item(
    code="web-hosting",
    description="Web hosting",
    quantity=35,
    pricing=VolumeDiscount(
        unit_price=Money("9.92", "CHF"),
        tiers=(
            DiscountTier(up_to=9, rate=Decimal("0")),
            DiscountTier(up_to=24, rate=Decimal("0.15")),
            DiscountTier(up_to=None, rate=Decimal("0.25")),
        ),
    ),
)
PRORATION = Proration(
    purchase_date=date(2026, 11, 16), cycle_start=date(2026, 11, 1), next_cycle_start=date(2026, 12, 1)
)


def run(seconds: float = 3.0) -> dict[str, float | int | str]:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(200):
            quote([HOSTING], currency="CHF", partner_discount_rate=Decimal("0.20"), proration=PRORATION)
        count += 200
    elapsed = time.perf_counter() - started
    return {
        "engine_quotes_per_second": round(count / elapsed),
        "engine_quote_microseconds": round(elapsed / count * 1e6, 1),
        "workload": "35 hostings, 20 % partner discount, 25 % volume tier, half-cycle proration, CHF",
    }
