"""Plain rows for the seat pages and API: the R3.2 summary."""

from dataclasses import dataclass
from typing import Any

from canal.accounts.actor import Actor
from canal.subscriptions import selectors


def seat_summary(
    actor: Actor, subscription_id: int, being_bought: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    being_bought = being_bought or {}
    return [
        {
            "license_type": pool.license_type.code,
            "name": pool.license_type.name,
            "in_use": pool.assigned,
            "free": pool.free,
            "total": pool.total,
            "contract_minimum": pool.contract_minimum,
            "being_bought": being_bought.get(pool.license_type.code, 0),
        }
        for pool in selectors.seat_pools_of(actor, subscription_id)
    ]


@dataclass(frozen=True)
class SeatToggle:
    license_type: str
    name: str
    holds: bool
    blocked: bool  # R3.3: off and no free license, so switching it on needs a purchase first


def seat_toggles(user: Any, pools: list[Any]) -> list[SeatToggle]:
    held = {seat.pool.license_type.code for seat in user.held_seats}
    return [
        SeatToggle(
            license_type=pool.license_type.code,
            name=pool.license_type.name,
            holds=pool.license_type.code in held,
            blocked=pool.license_type.code not in held and pool.free == 0,
        )
        for pool in pools
    ]
