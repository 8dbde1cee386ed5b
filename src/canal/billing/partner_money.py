"""Partner money (R4.6-R4.8): who pays, at which price, and who earns cashback, decided in one place.

Orders, renewals and seat purchases ask `partner_terms()` and then price with `price_for()`; the invoice
goes to `terms.payer` (R4.10) and any cashback to `terms.cashback_partner`, credited when the invoice is
issued, with the invoice it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from canal.accounts.models import (
    AccessLevel,
    ClientRelationship,
    Organisation,
    PaymentMode,
    ProductGrant,
    RelationshipStatus,
)
from canal.billing.invoicing import Charge
from canal.core.errors import NotFound
from canal.core.money import Money
from canal.partners.selectors import programme_level_of
from canal.pricing import Benefit, Item, Proration, Quote, partner_benefit, quote


@dataclass(frozen=True)
class PartnerTerms:
    payer: Organisation
    client: Organisation
    benefit: Benefit
    discount_rate: Decimal
    cashback_partner: Organisation | None
    cashback_rate: Decimal
    relationship: ClientRelationship | None

    @property
    def discounted(self) -> bool:
        return self.benefit == Benefit.DISCOUNT


def _managing_relationship(
    client: Organisation, product_code: str, partner: Organisation | None
) -> ClientRelationship | None:
    relationships = ClientRelationship.objects.filter(
        client=client, status=RelationshipStatus.ACTIVE
    ).select_related("partner__partner_profile__level")  # the terms read the partner's programme level
    if partner is not None:
        relationships = relationships.filter(partner=partner)
    for relationship in relationships.order_by("id"):
        if relationship.access == AccessLevel.FULL:
            return relationship
        if ProductGrant.objects.filter(relationship=relationship, product_code=product_code).exists():
            return relationship
    return None


def partner_terms(*, orderer: Organisation, client: Organisation, product_code: str) -> PartnerTerms:
    """Decides payer, price and cashback for `orderer` ordering or renewing `product_code` for `client`.

    - No managing partner: the client pays the public price.
    - Full access, the client's means (R4.6): the client pays the public price; the partner earns
      cashback whether the client or the partner ordered (R4.7).
    - Full access, the partner's means: the partner pays; ordering itself it pays the discounted price
      (R4.8), while for the client's own orders it pays the public price and earns cashback (R4.7).
    - Limited access: the client pays; cashback when the client orders a product the partner manages
      (R4.7); *a partner ordering under limited access earns nothing* (pricing.partner_benefit).
    """
    ordered_by_partner = orderer.pk != client.pk
    relationship = _managing_relationship(client, product_code, orderer if ordered_by_partner else None)
    if ordered_by_partner and relationship is None:
        raise NotFound(
            _("You do not manage this client's %(product)s.") % {"product": product_code}, field="client"
        )
    public = PartnerTerms(
        payer=client,
        client=client,
        benefit=Benefit.NONE,
        discount_rate=Decimal(0),
        cashback_partner=None,
        cashback_rate=Decimal(0),
        relationship=relationship,
    )
    if relationship is None:
        return public
    partner = relationship.partner
    paid_by_partner = (
        relationship.access == AccessLevel.FULL and relationship.payment_mode == PaymentMode.PARTNER
    )
    payer = partner if paid_by_partner else client
    level = programme_level_of(partner)
    benefit = partner_benefit(
        access=relationship.access,
        payment_mode=relationship.payment_mode,
        ordered_by_partner=ordered_by_partner,
    )
    if level is None:
        benefit = Benefit.NONE
    return PartnerTerms(
        payer=payer,
        client=client,
        benefit=benefit,
        discount_rate=level.discount_rate if benefit == Benefit.DISCOUNT else Decimal(0),
        cashback_partner=partner if benefit == Benefit.CASHBACK else None,
        cashback_rate=level.cashback_rate if benefit == Benefit.CASHBACK else Decimal(0),
        relationship=relationship,
    )


@dataclass(frozen=True)
class PricedForTerms:
    quote: Quote
    charges: tuple[Charge, ...]
    cashback: Money


def price_for(
    terms: PartnerTerms,
    items: Sequence[Item] | Iterable[Item],
    *,
    currency: str,
    proration: Proration | None = None,
    **charge_fields: Any,
) -> PricedForTerms:
    """Prices `items` under `terms`: discounted for R4.8, public otherwise, with each line's cashback
    (public price minus the price at the cashback rate, line by line, so it sums exactly)."""
    items = tuple(items)
    paid = quote(items, currency=currency, partner_discount_rate=terms.discount_rate, proration=proration)
    at_cashback_rate = (
        quote(items, currency=currency, partner_discount_rate=terms.cashback_rate, proration=proration)
        if terms.cashback_partner is not None
        else None
    )
    charges = []
    total_cashback = Money.zero(currency)
    for index, line in enumerate(paid.lines):
        cashback = (
            line.amount - at_cashback_rate.lines[index].amount if at_cashback_rate is not None else None
        )
        if cashback is not None:
            total_cashback = total_cashback + cashback
        charges.append(
            Charge.from_quote_line(
                line,
                beneficiary=terms.client,
                cashback_partner=terms.cashback_partner if cashback else None,
                cashback_amount=cashback if cashback else None,
                **charge_fields,
            )
        )
    return PricedForTerms(quote=paid, charges=tuple(charges), cashback=total_cashback)
