"""Recording an order of any type: the shared steps after a use case has validated and priced it.

One transaction: the order row, its audit entry, its invoice (billing), then either a provisioning
request at the vendor, or processing at once when there is nothing to wait for. Use cases in
`orders.services`, `subscriptions.lifecycle` and `subscriptions.trials` build a `Draft` and call
`record_order`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation
from canal.billing.invoicing import Charge
from canal.billing.partner_money import PartnerTerms
from canal.catalog.models import Plan, Product
from canal.catalog.offer import Configuration, Offer
from canal.core import audit
from canal.core.errors import RuleViolation
from canal.notifications.services import emit_event
from canal.orders import invoicing, notices, windows
from canal.orders.effects import complete_order, order_event
from canal.orders.models import Order, OrderKind
from canal.subscriptions.models import Subscription
from canal.subscriptions.provisioning import needs_provisioning, open_request

# Orders the placing side may cancel: they charge or create something (R1.15, R2.15).
CANCELLABLE_KINDS = frozenset(
    {
        OrderKind.NEW,
        OrderKind.TRIAL,
        OrderKind.CONVERSION,
        OrderKind.CHANGE,
        OrderKind.UPGRADE,
        OrderKind.RENEWAL,
    }
)


@dataclass(frozen=True)
class OrderDetails:
    """What the orderer adds to a configuration (R1.7, R1.8, R1.10, R1.11) and how it pays."""

    accept_terms: bool = False
    end_customer_name: str = ""
    end_customer_email: str = ""
    notify_me: bool = False
    contract_id: str = ""
    name: str = ""
    vendor_account_id: str = ""
    pay_with: str = invoicing.DEFAULT_PAY_WITH
    card_token: str = field(default="", repr=False)


@dataclass
class Draft:
    kind: str
    customer: Organisation
    product: Product
    plan: Plan | None
    configuration: Configuration
    currency: str
    terms: PartnerTerms
    charges: list[Charge]
    summary: str
    subscription: Subscription | None = None
    details: OrderDetails = field(default_factory=OrderDetails)
    previous: dict[str, Any] | None = None
    reason: str = ""
    terms_accepted: bool = False
    free_plan: bool = False


def check_terms(product: Product, details: OrderDetails) -> bool:
    """R1.7: the vendor's terms must be accepted before the order can be placed."""
    if product.requires_terms_acceptance and not details.accept_terms:
        raise RuleViolation(
            _("Accept %(vendor)s's terms and conditions (%(url)s) to place this order.")
            % {"vendor": product.vendor.name, "url": product.terms_url or "-"},
            code="terms_not_accepted",
            field="accept_terms",
        )
    return product.requires_terms_acceptance


def check_end_customer(product: Product, details: OrderDetails) -> None:
    """R1.8: the end customer's details, with the corporate e-mail that becomes the vendor login."""
    if not product.requires_end_customer:
        return
    if not details.end_customer_name.strip():
        raise RuleViolation(
            _("Enter the end customer's contact name."),
            code="end_customer_name_required",
            field="end_customer_name",
        )
    if not details.end_customer_email.strip():
        raise RuleViolation(
            _(
                "Enter the end customer's corporate e-mail: it becomes their login at %(vendor)s, "
                "so the order "
                "cannot be placed without it."
            )
            % {"vendor": product.vendor.name},
            code="end_customer_email_required",
            field="end_customer_email",
        )
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(details.end_customer_email.strip())
    except ValidationError:
        raise RuleViolation(
            _("“%(email)s” is not an e-mail address; enter the end customer's corporate e-mail.")
            % {"email": details.end_customer_email},
            code="end_customer_email_invalid",
            field="end_customer_email",
        ) from None


def summary_of(offer: Offer, configuration: Configuration) -> str:
    """A short, language-neutral description: names from the catalog and numbers."""
    parts = []
    plan = offer.plan(configuration.plan)
    if plan is not None:
        # A plan named like its product ("Mail Service") is named once, not "Mail Service Mail Service".
        name = (
            plan.name
            if plan.name.casefold().startswith(offer.name.casefold())
            else f"{offer.name} {plan.name}"
        )
        parts.append(f"{name} × {configuration.quantity}")  # noqa: RUF001
    else:
        parts.append(offer.name)
    names = {option.code: option.name for option in (*offer.add_ons, *offer.packages, *offer.modules)}
    parts += [names.get(code, code) for code in configuration.add_ons]
    parts += [names.get(code, code) for code in configuration.modules]
    if configuration.package:
        parts.append(names.get(configuration.package, configuration.package))
    return ", ".join(parts)[:300]


def record_order(*, actor: Actor | None, draft: Draft, now: datetime, process_now: bool = False) -> Order:
    """Creates, invoices and routes the order; see the module docstring."""
    details = draft.details
    total = invoicing.total_of(draft.charges, draft.currency)
    relationship = draft.terms.relationship
    with transaction.atomic():
        order = Order.objects.create(
            kind=draft.kind,
            placed_by=actor.organisation if actor is not None else draft.customer,
            placed_by_user=getattr(actor, "user", None),
            customer=draft.customer,
            partner=relationship.partner if relationship is not None else None,
            payer=draft.terms.payer,
            product=draft.product,
            plan=draft.plan,
            subscription=draft.subscription,
            configuration=draft.configuration.as_dict(),
            previous_configuration=draft.previous,
            quantity=draft.configuration.quantity,
            summary=draft.summary,
            subscription_name=(draft.subscription.name if draft.subscription else "") or details.name,
            currency=draft.currency,
            net_total=total.amount,
            free_plan=draft.free_plan,
            lines=invoicing.lines_of(draft.charges),
            terms_accepted_at=now if draft.terms_accepted else None,
            terms_url=draft.product.terms_url if draft.terms_accepted else "",
            end_customer_name=details.end_customer_name.strip(),
            end_customer_email=details.end_customer_email.strip().lower(),
            notify_me=details.notify_me,
            contract_id=details.contract_id.strip(),
            vendor_account_id=details.vendor_account_id.strip(),
            reason=draft.reason[:300],
            placed_at=now,
            cancellable_until=windows.cancellation_deadline(now) if draft.kind in CANCELLABLE_KINDS else None,
        )
        audit.record(
            actor=actor,
            action="order.placed",
            obj=order,
            after={"kind": order.kind, "total": str(order.net_total), "currency": order.currency},
            reason=draft.reason,
        )
        paid = False
        if total.amount > 0:
            invoice = invoicing.invoice_order(
                actor=actor,
                order=order,
                charges=draft.charges,
                today=timezone.localdate(now),
                pay_with=details.pay_with,
                card_token=details.card_token,
            )
            order.invoice_id, order.invoice_code = invoice.pk, invoice.code or ""
            order.save(update_fields=["invoice_id", "invoice_code"])
            if process_now:
                invoicing.pay_from_wallet_if_set(invoice)
            # Paid at once (wallet or cashback): nothing left to wait for. A card is charged only after
            # this transaction committed (services.settle_checkout), which then completes the order.
            paid = bool(invoicing.paid_invoice_ids([invoice.pk]))
        request = None
        if draft.subscription is not None and needs_provisioning(order):
            request = open_request(actor=actor, order=order, subscription=draft.subscription, now=now)
        elif process_now or paid or total.amount == 0:
            complete_order(actor=actor, order=order, now=now)
        order.refresh_from_db()
        notices.order_placed(order, request)
        emit_event(organisation=order.placed_by, event="order.placed", payload=order_event(order))
    return order
