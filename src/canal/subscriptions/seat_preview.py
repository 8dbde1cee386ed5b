"""What buying licenses takes, exactly: the purchase runs for real in a rolled-back transaction
(`canal.core.dry_run`), so the page can say the amount with tax and from which wallet before "Buy"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation
from canal.billing.partner_money import partner_terms
from canal.billing.selectors import wallet_balance
from canal.core.dry_run import dry_run
from canal.core.money import Money
from canal.subscriptions.seat_billing import buy_seats
from canal.subscriptions.selectors import subscription_for


@dataclass(frozen=True)
class SeatPurchaseCharge:
    payer: Organisation
    charged: Money  # taken from the payer's prepaid wallet today, tax included
    wallet_after: Money


def seat_purchase_charge(
    *, actor: Actor, subscription_id: int, quantities: dict[str, int], today: date
) -> SeatPurchaseCharge:
    """Raises what the purchase would raise (a wallet too low says to top it up), changing nothing."""
    subscription = subscription_for(actor, subscription_id)
    payer = partner_terms(
        orderer=actor.organisation, client=subscription.customer, product_code=subscription.product.code
    ).payer

    def buy() -> SeatPurchaseCharge:
        before = wallet_balance(payer, subscription.currency)
        buy_seats(
            actor=actor,
            subscription_id=subscription_id,
            quantities=quantities,
            today=today,
            idempotency_key="",
        )
        after = wallet_balance(payer, subscription.currency)
        return SeatPurchaseCharge(payer=payer, charged=before - after, wallet_after=after)

    return dry_run(buy)
