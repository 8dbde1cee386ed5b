"""Seat licenses and billing.

- A purchase (R3.4) charges and invoices at once, prorated to the days left in the cycle (R3.8), and the
  licenses are usable in the same transaction; an Idempotency-Key makes a retried purchase a no-op.
- Each pool has a recurring charge (source "seats") that the billing run renews at the full price. Before
  each renewal the run calls `renew_seat_pool`, which removes free licenses above the contract minimum
  (R3.7, R3.9) and bills the next cycle for what remains.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind, Role
from canal.billing.models import RecurringCharge
from canal.billing.partner_money import PartnerTerms, partner_terms, price_for
from canal.billing.periods import add_months
from canal.billing.selectors import active_recurring_charge
from canal.billing.services import create_recurring_charge, invoice_and_charge, update_recurring_charge
from canal.catalog import quoting
from canal.catalog.offer import Configuration
from canal.catalog.selectors import offer_of
from canal.core import audit
from canal.core.errors import NotFound
from canal.core.idempotency import run_once
from canal.core.money import Money
from canal.pricing import Item
from canal.subscriptions.models import SeatPool, Subscription
from canal.subscriptions.seat_cycle import total_after_cycle
from canal.subscriptions.seat_purchase import SeatPurchaseQuote, quote_seat_purchase
from canal.subscriptions.seats import record_counts
from canal.subscriptions.selectors import subscription_for

SOURCE_APP = "seats"
SEAT_BUYER_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.BILLING)


def require_seat_buyer(actor: Actor) -> None:
    """Buying spends money: the customer's (or managing partner's) representatives, admins or billing."""
    if actor.kind == OrganisationKind.VENDOR:
        raise NotFound(_("No subscription with this id."))
    actor.require_role(*SEAT_BUYER_ROLES)


def _item(subscription: Subscription, license_type_code: str, quantity: int) -> Item:
    configuration = Configuration(
        product=subscription.product.code,
        plan=subscription.plan.code if subscription.plan else "",
        license_types=((license_type_code, quantity),),
    )
    items = quoting.items_for(offer_of(subscription.product), configuration, subscription.currency)
    return next(item for item in items if item.code == license_type_code)


def buy_seats(
    *, actor: Actor, subscription_id: int, quantities: dict[str, int], today: date, idempotency_key: str
) -> SeatPurchaseQuote:
    """R3.4: charge, invoice and seats in one transaction; a retry with the same key does nothing twice."""
    subscription_for(actor, subscription_id)  # 404 before any role check: nothing leaks
    require_seat_buyer(actor)
    quote = quote_seat_purchase(
        actor=actor, subscription_id=subscription_id, quantities=quantities, today=today
    )
    subscription = quote.subscription
    payload = {"quantities": quote.quantities, "purchase_date": quote.proration.purchase_date.isoformat()}

    def buy() -> tuple[int, dict[str, int]]:
        with transaction.atomic():
            terms = partner_terms(
                orderer=actor.organisation,
                client=subscription.customer,
                product_code=subscription.product.code,
            )
            pools = {
                pool.license_type.code: pool
                for pool in SeatPool.objects.select_for_update(of=("self",))
                .select_related("license_type")
                .filter(subscription=subscription, license_type__code__in=list(quote.quantities))
            }
            charges = []
            for code, quantity in quote.quantities.items():
                priced = price_for(
                    terms,
                    [_item(subscription, code, quantity)],
                    currency=subscription.currency,
                    proration=quote.proration,
                    product_code=subscription.product.code,
                    period_start=quote.proration.purchase_date,
                    period_end=subscription.term_end - timedelta(days=1),
                    source_app=SOURCE_APP,
                    source_id=str(pools[code].pk),
                )
                charges.extend(priced.charges)
            result = invoice_and_charge(
                actor=actor,
                payer=terms.payer,
                charges=charges,
                customer=subscription.customer,
                reference=subscription.contract_id,
                issue_date=quote.proration.purchase_date,
            )
            for code, quantity in quote.quantities.items():
                pool = pools[code]
                SeatPool.objects.filter(pk=pool.pk).update(total=F("total") + quantity)
                record_counts(pool, "bought")
                audit.record(
                    actor=actor,
                    action="seat_pool.bought",
                    obj=pool,
                    before={"total": pool.total - quantity},
                    after={"total": pool.total, "invoice": result.invoice.code},
                )
                sync_recurring_charge(actor=actor, pool=pool, terms=terms)
        return 201, {"invoice": result.invoice.pk}

    run_once(scope=f"seats:{subscription.pk}", key=idempotency_key or None, payload=payload, action=buy)
    return quote


def sync_recurring_charge(*, actor: Actor | None, pool: SeatPool, terms: PartnerTerms) -> RecurringCharge:
    """Makes the pool's recurring charge bill its current total at the full price from the next cycle."""
    subscription = pool.subscription
    # An empty pool keeps its charge at zero (the run skips empty lines) so a later purchase revives it.
    priced = price_for(
        terms,
        [_item(subscription, pool.license_type.code, max(pool.total, 1))],
        currency=subscription.currency,
    )
    line = priced.quote.lines[0]
    charge = priced.charges[0]
    amount = line.amount if pool.total else Money.zero(subscription.currency)
    existing = active_recurring_charge(source_app=SOURCE_APP, source_id=str(pool.pk))
    if existing is None:
        return create_recurring_charge(
            actor=actor,
            payer=terms.payer,
            beneficiary=subscription.customer,
            description=f"{subscription.product.name} · {pool.license_type.name}",
            quantity=pool.total,
            unit_price=line.unit_list_price,
            amount=amount,
            next_billing_date=subscription.term_end,
            steps=charge.steps if pool.total else (),
            code=pool.license_type.code,
            product_code=subscription.product.code,
            source_app=SOURCE_APP,
            source_id=str(pool.pk),
            cashback_partner=charge.cashback_partner if pool.total else None,
            cashback_amount=charge.cashback_amount if pool.total else None,
            reference=subscription.contract_id,
        )
    return update_recurring_charge(
        actor=actor,
        charge=existing,
        quantity=pool.total,
        unit_price=line.unit_list_price,
        amount=amount,
        steps=charge.steps if pool.total else [],
        cashback_amount=charge.cashback_amount if pool.total and charge.cashback_amount else None,
        reason="seat licenses bought or trimmed",
    )


def renew_seat_pool(*, charge: RecurringCharge, cycle_end: date) -> None:
    """End-of-cycle action of the billing run for one pool: trim (R3.7), then bill what is left."""
    pool = (
        SeatPool.objects.select_for_update(of=("self",))
        .select_related(
            "license_type", "subscription__product", "subscription__plan", "subscription__customer"
        )
        .get(pk=int(charge.source_id))
    )
    after = total_after_cycle(
        total=pool.total, assigned=pool.assigned, contract_minimum=pool.contract_minimum
    )
    if after != pool.total:
        before = pool.total
        pool.total = after
        pool.save(update_fields=["total"])
        record_counts(pool, "cycle_end")
        audit.record(
            actor=None,
            action="seat_pool.trimmed",
            obj=pool,
            before={"total": before},
            after={"total": after},
            reason="R3.7: free licenses above the contract minimum are removed at the end of the cycle",
        )
    subscription = pool.subscription
    if subscription.term_end == cycle_end:
        Subscription.objects.filter(pk=subscription.pk, term_end=cycle_end).update(
            term_start=cycle_end, term_end=add_months(cycle_end, charge.period_months)
        )
        subscription.refresh_from_db(fields=["term_start", "term_end"])
    terms = partner_terms(
        orderer=subscription.customer, client=subscription.customer, product_code=subscription.product.code
    )
    sync_recurring_charge(actor=None, pool=pool, terms=terms)


def bill_next_cycle_for(subscription: Subscription) -> None:
    """Opens the recurring charges of a subscription's pools (demo data, new seat subscriptions)."""
    terms = partner_terms(
        orderer=subscription.customer, client=subscription.customer, product_code=subscription.product.code
    )
    for pool in subscription.seat_pools.select_related("license_type", "subscription__product"):
        sync_recurring_charge(actor=None, pool=pool, terms=terms)
