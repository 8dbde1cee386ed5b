"""Buying seat licenses at any time (R3.4): a prorated price for the days left in the cycle (R3.8), and
the full price from the next cycle on. Pricing goes through the catalog, like every other quote."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.catalog.offer import Configuration
from canal.catalog.services import PricedConfiguration, quote_configuration
from canal.core.errors import RuleViolation
from canal.pricing import Proration
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.subscriptions.selectors import subscription_for


@dataclass(frozen=True)
class SeatPurchaseQuote:
    subscription: Subscription
    quantities: dict[str, int]
    proration: Proration
    now: PricedConfiguration  # what is charged today, prorated
    from_next_cycle: PricedConfiguration  # what these licenses add to each following cycle


def quote_seat_purchase(
    *, actor: Actor, subscription_id: int, quantities: dict[str, int], today: date
) -> SeatPurchaseQuote:
    subscription = subscription_for(actor, subscription_id)
    if subscription.status != SubscriptionStatus.ACTIVE:
        raise RuleViolation(
            _("Licenses can be bought only for an active subscription; this one is %(status)s.")
            % {"status": subscription.get_status_display()},
            code="subscription_not_active",
        )
    wanted = {code: quantity for code, quantity in sorted(quantities.items()) if quantity}
    if not wanted or any(quantity < 0 for quantity in wanted.values()):
        raise RuleViolation(
            _("Choose how many licenses of each type to buy, with the + buttons."),
            code="nothing_to_buy",
            field="quantities",
        )
    configuration = Configuration(
        product=subscription.product.code,
        plan=subscription.plan.code if subscription.plan else "",
        license_types=tuple(wanted.items()),
    )
    proration = Proration(
        purchase_date=today, cycle_start=subscription.term_start, next_cycle_start=subscription.term_end
    )
    common = {
        "actor": actor,
        "configuration": configuration,
        "customer_id": subscription.customer_id,
        "currency": subscription.currency,
    }
    return SeatPurchaseQuote(
        subscription=subscription,
        quantities=wanted,
        proration=proration,
        now=quote_configuration(**common, proration=proration),
        from_next_cycle=quote_configuration(**common),
    )
