"""Order use cases: place a new subscription (or convert a trial with it), order a trial, cancel within
the window, and process orders whose invoice got paid. Subscription changes, upgrades and renewals are
in `subscriptions.lifecycle`, trial changes in `subscriptions.trials`; all record through
`orders.placement.record_order`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation
from canal.billing.invoicing import Charge
from canal.billing.models import Payment, PaymentStatus
from canal.catalog.models import Plan, Product
from canal.catalog.offer import Configuration, Offer
from canal.catalog.services import PricedConfiguration, quote_configuration
from canal.core import audit
from canal.core.errors import Conflict, PermissionDenied, RuleViolation
from canal.core.money import Money
from canal.notifications.services import emit_event
from canal.orders import invoicing, windows
from canal.orders.effects import complete_order, order_event
from canal.orders.locks import lock_order_and_request
from canal.orders.models import Order, OrderKind, OrderStatus
from canal.orders.permissions import check_may_order
from canal.orders.placement import (
    CANCELLABLE_KINDS,
    Draft,
    OrderDetails,
    check_end_customer,
    check_terms,
    record_order,
    summary_of,
)
from canal.orders.selectors import order_for
from canal.orders.states import ORDER_MACHINE
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.subscriptions.states import SUBSCRIPTION_MACHINE


@dataclass(frozen=True)
class Priced:
    """A configuration checked by the catalog and priced for its payer, as it would be invoiced."""

    priced: PricedConfiguration
    customer: Organisation
    product: Product
    plan: Plan | None
    charges: list[Charge]
    terms: invoicing.PartnerTerms

    @property
    def offer(self) -> Offer:
        return self.priced.offer

    @property
    def total(self) -> Money:
        return invoicing.total_of(self.charges, self.priced.currency)


def price_order(
    *, actor: Actor, configuration: Configuration, customer_id: int | None, currency: str | None
) -> Priced:
    """Validates with the catalog rules (every violation at once) and prices for the payer (billing)."""
    priced = quote_configuration(
        actor=actor, configuration=configuration, customer_id=customer_id, currency=currency
    )
    customer = priced.customer
    assert customer is not None  # quote_configuration refuses a partner's configuration without a client
    product = Product.objects.select_related("vendor").get(code=configuration.product)
    plan = product.plans.filter(code=configuration.plan).first() if configuration.plan else None
    terms = invoicing.terms_for(orderer=actor.organisation, customer=customer, product_code=product.code)
    charges = invoicing.charges_for(
        terms=terms, offer=priced.offer, configuration=configuration, currency=priced.currency
    )
    return Priced(priced, customer, product, plan, charges, terms)


def place_order(
    *,
    actor: Actor,
    configuration: Configuration,
    customer_id: int | None = None,
    currency: str | None = None,
    details: OrderDetails | None = None,
    now: datetime | None = None,
) -> Order:
    """A new subscription for a year, prepaid (R1.7, R1.8, R1.10-R1.12, R2.5).

    With a vendor account id it converts the customer's trial that has it (R1.9): the same e-mail
    as the trial is required, and the paid subscription keeps the trial's account and data.
    """
    check_may_order(actor)
    details = details or OrderDetails()
    now = now or timezone.now()
    if details.pay_with not in invoicing.PAY_WITH:
        raise RuleViolation(
            _("Choose how to pay: wallet, cashback, card or bank transfer."), field="pay_with"
        )
    priced = price_order(actor=actor, configuration=configuration, customer_id=customer_id, currency=currency)
    product = priced.product
    accepted = check_terms(product, details)
    check_end_customer(product, details)
    with transaction.atomic():
        trial = None
        if details.vendor_account_id.strip():
            trial = _trial_to_convert(priced.customer, product, details)
        free = priced.total.amount == 0 and priced.plan is not None and priced.plan.includes_all_modules
        if trial is None:
            subscription = Subscription.objects.create(
                customer=priced.customer,
                payer=priced.terms.payer,
                partner=priced.terms.relationship.partner if priced.terms.relationship else None,
                product=product,
                plan=priced.plan,
                quantity=configuration.quantity,
                currency=priced.priced.currency,
                status=SubscriptionStatus.PROVISIONING,
                # Provisional: the term starts when the order is processed (orders.effects).
                term_start=timezone.localdate(now),
                term_end=windows.add_months(timezone.localdate(now), 12),
                contract_id=details.contract_id.strip(),
                name=details.name.strip(),
                add_ons=list(configuration.add_ons),
                package=configuration.package,
                modules=list(configuration.modules),
                end_customer_name=details.end_customer_name.strip(),
                end_customer_email=details.end_customer_email.strip().lower(),
            )
            audit.record(
                actor=actor, action="subscription.created", obj=subscription, after={"status": "provisioning"}
            )
        draft = Draft(
            kind=OrderKind.CONVERSION if trial is not None else OrderKind.NEW,
            customer=priced.customer,
            product=product,
            plan=priced.plan,
            configuration=configuration,
            currency=priced.priced.currency,
            terms=priced.terms,
            charges=priced.charges,
            summary=summary_of(priced.offer, configuration),
            subscription=trial if trial is not None else subscription,
            details=details,
            terms_accepted=accepted,
            free_plan=free,
        )
        return record_order(actor=actor, draft=draft, now=now)


def _trial_to_convert(customer: Organisation, product: Product, details: OrderDetails) -> Subscription:
    """R1.9: the trial is found by its vendor account id; the e-mail must be the trial's."""
    account = details.vendor_account_id.strip()
    trial = (
        Subscription.objects.select_for_update()
        .filter(
            customer=customer, product=product, vendor_account_id=account, status=SubscriptionStatus.TRIAL
        )
        .first()
    )
    if trial is None:
        raise RuleViolation(
            _(
                "%(customer)s has no %(product)s trial with the vendor account id “%(account)s”. "
                "Enter the account "
                "id of the trial to convert, or leave it empty for a new account."
            )
            % {"customer": customer.name, "product": product.name, "account": account},
            code="trial_not_found",
            field="vendor_account_id",
        )
    if details.end_customer_email.strip().lower() != trial.end_customer_email.lower():
        raise RuleViolation(
            _(
                "Use the same e-mail as the trial (%(email)s): with another one the vendor cannot "
                "convert the trial "
                "and its data would be lost."
            )
            % {"email": trial.end_customer_email},
            code="trial_email_mismatch",
            field="end_customer_email",
        )
    if trial.orders.filter(
        kind=OrderKind.CONVERSION, status__in=[OrderStatus.PLACED, OrderStatus.PROVISIONING]
    ).exists():
        raise Conflict(
            _("This trial is already being converted; wait for the vendor or cancel that order."),
            code="conversion_pending",
        )
    return trial


def trial_configuration(configuration: Configuration) -> Configuration:
    """A trial has no seats to choose and no onboarding: the plan's smallest quantity validates the rest."""
    plan = Plan.objects.filter(product__code=configuration.product, code=configuration.plan).first()
    if plan is None:
        return configuration
    smallest = min(plan.allowed_quantities) if plan.allowed_quantities else max(plan.min_quantity, 1)
    return Configuration(
        product=configuration.product,
        plan=configuration.plan,
        quantity=smallest,
        add_ons=configuration.add_ons,
    )


def order_trial(
    *,
    actor: Actor,
    configuration: Configuration,
    customer_id: int | None = None,
    details: OrderDetails | None = None,
    now: datetime | None = None,
) -> Order:
    """R1.17: a free trial of a base plan and add-ons, provisioned like an order, for the plan's
    trial days."""
    check_may_order(actor)
    details = details or OrderDetails()
    now = now or timezone.now()
    product = Product.objects.select_related("vendor").filter(code=configuration.product).first()
    plan = product.plans.filter(code=configuration.plan).first() if product is not None else None
    if plan is not None and plan.trial_days == 0:
        raise RuleViolation(
            _("%(plan)s has no trial. Order it instead.") % {"plan": plan.name}, code="no_trial", field="plan"
        )
    configuration = trial_configuration(configuration)
    priced = price_order(actor=actor, configuration=configuration, customer_id=customer_id, currency=None)
    accepted = check_terms(priced.product, details)
    check_end_customer(priced.product, details)
    with transaction.atomic():
        # One open trial per customer and product: the customer's row serialises concurrent trial orders.
        Organisation.objects.select_for_update().get(pk=priced.customer.pk)
        open_trial = (
            Subscription.objects.filter(
                customer=priced.customer,
                product=priced.product,
                status__in=[SubscriptionStatus.TRIAL, SubscriptionStatus.PROVISIONING],
                trial_ends_on__isnull=False,
            ).exists()
            or Order.objects.filter(
                customer=priced.customer,
                product=priced.product,
                kind=OrderKind.TRIAL,
                status__in=[OrderStatus.PLACED, OrderStatus.PROVISIONING],
            ).exists()
        )
        if open_trial:
            raise Conflict(
                _(
                    "%(customer)s already has a %(product)s trial. "
                    "Modify or convert it instead of ordering another."
                )
                % {"customer": priced.customer.name, "product": priced.product.name},
                code="trial_exists",
            )
        today = timezone.localdate(now)
        subscription = Subscription.objects.create(
            customer=priced.customer,
            payer=priced.terms.payer,
            partner=priced.terms.relationship.partner if priced.terms.relationship else None,
            product=priced.product,
            plan=priced.plan,
            quantity=configuration.quantity,
            currency=priced.priced.currency,
            status=SubscriptionStatus.PROVISIONING,
            term_start=today,
            term_end=windows.trial_end(today, plan.trial_days if plan else 30),
            trial_ends_on=windows.trial_end(today, plan.trial_days if plan else 30),
            add_ons=list(configuration.add_ons),
            name=details.name.strip(),
            end_customer_name=details.end_customer_name.strip(),
            end_customer_email=details.end_customer_email.strip().lower(),
            contract_id=details.contract_id.strip(),
        )
        audit.record(
            actor=actor, action="subscription.created", obj=subscription, after={"status": "provisioning"}
        )
        draft = Draft(
            kind=OrderKind.TRIAL,
            customer=priced.customer,
            product=priced.product,
            plan=priced.plan,
            configuration=configuration,
            currency=priced.priced.currency,
            terms=priced.terms,
            charges=[],
            summary=summary_of(priced.offer, configuration),
            subscription=subscription,
            details=details,
            terms_accepted=accepted,
        )
        return record_order(actor=actor, draft=draft, now=now)


def cancellation_refusal(order: Order, now: datetime) -> str | None:
    """Why the placing side may not cancel `order` now, or None when it may (R1.15, R2.15)."""
    if order.status in (OrderStatus.CANCELLED, OrderStatus.FAILED):
        return _("This order is already %(status)s.") % {"status": order.get_status_display().lower()}
    if order.kind not in CANCELLABLE_KINDS:
        return _("This kind of order cannot be cancelled; change the subscription instead.")
    unprocessed = order.status in (OrderStatus.PLACED, OrderStatus.PROVISIONING)
    if unprocessed and order.product.provisioning_hours is None:
        return None  # R2.15: processed by payment, and nothing was delivered yet
    if not unprocessed:
        if order.kind not in (OrderKind.NEW, OrderKind.TRIAL):
            return _("This change is already applied. Place another change order to undo it.")
        expected = SubscriptionStatus.TRIAL if order.kind == OrderKind.TRIAL else SubscriptionStatus.ACTIVE
        if order.subscription is not None and order.subscription.status != expected:
            return _(
                "Its subscription has moved on (it is %(status)s); change or end the subscription instead."
            ) % {"status": order.subscription.get_status_display().lower()}
    # R1.15: the vendor works on it from placement, so even an unprocessed order has the 48-hour window.
    deadline = order.cancellable_until or windows.cancellation_deadline(order.placed_at)
    if now > deadline:
        closed = timezone.localtime(deadline)
        return _(
            "Orders can be cancelled within 48 hours of placement; "
            "the window for %(order)s closed at %(time)s. "
            "Contact the operator if it was placed by mistake."
        ) % {"order": order.reference, "time": date_format(closed, "DATETIME_FORMAT")}
    return None


def cancel_order(*, actor: Actor, order_id: int, reason: str = "", now: datetime | None = None) -> Order:
    """R1.15 / R2.15: cancels an order placed by mistake, with a full credit, and stops provisioning."""
    from canal.subscriptions.provisioning import cancel_request

    now = now or timezone.now()
    order = order_for(actor, order_id)
    if not actor.is_operator:
        check_may_order(actor)
        if order.placed_by_id != actor.organisation.pk:
            raise PermissionDenied(_("Only the organisation that placed the order may cancel it."))
    with transaction.atomic():
        order, request = lock_order_and_request(
            order_id=order.pk, orders=Order.objects.select_related("product", "subscription")
        )
        refusal = cancellation_refusal(order, now)
        if refusal is not None:
            raise RuleViolation(refusal, code="cancellation_refused", field="order")
        reason = reason.strip() or _("Placed by mistake")
        if request is not None:
            cancel_request(actor=actor, request=request, reason=reason)
        note = invoicing.credit_order_invoice(
            actor=actor, order=order, today=timezone.localdate(now), reason=reason
        )
        ORDER_MACHINE.transition(
            order,
            OrderStatus.CANCELLED,
            actor=actor,
            reason=reason,
            extra={
                "cancelled_at": now,
                "cancellation_reason": reason[:300],
                "credit_note_code": note.code if note is not None and note.code else "",
            },
        )
        subscription = order.subscription
        creates = order.kind in (OrderKind.NEW, OrderKind.TRIAL, OrderKind.UPGRADE)
        if (
            subscription is not None
            and creates
            and subscription.status
            not in (
                SubscriptionStatus.CANCELLED,
                SubscriptionStatus.EXPIRED,
            )
        ):
            SUBSCRIPTION_MACHINE.transition(
                subscription,
                SubscriptionStatus.CANCELLED,
                actor=actor,
                reason=reason,
                extra={"ended_at": now, "end_reason": "order cancelled"},
            )
        emit_event(organisation=order.placed_by, event="order.cancelled", payload=order_event(order))
        if request is None and subscription is not None and subscription.vendor_account_id:
            emit_event(
                organisation=order.product.vendor,
                event="subscription.cancelled",
                payload={
                    "subscription_id": subscription.pk,
                    "vendor_account_id": subscription.vendor_account_id,
                },
            )
    return order


def process_paid_orders(*, now: datetime | None = None) -> int:
    """Orders of products the vendor does not provision are processed once their invoice is paid
    (R2.5-R2.8: the license is issued, changed or renewed when the money arrives)."""
    now = now or timezone.now()
    waiting = dict(
        Order.objects.filter(status=OrderStatus.PLACED, invoice_id__isnull=False).values_list(
            "invoice_id", "pk"
        )
    )
    processed = 0
    for invoice_id in invoicing.paid_invoice_ids(list(waiting)):
        if complete_paid_order(order_id=waiting[invoice_id], now=now):
            processed += 1
    return processed


def complete_paid_order(*, order_id: int, now: datetime) -> bool:
    """Completes a placed order whose invoice is paid, as placement does for one paid at once; an order
    waiting for the vendor (provisioning) or already processed is left alone. True when completed."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status != OrderStatus.PLACED or order.invoice_id is None:
            return False
        if not invoicing.paid_invoice_ids([order.invoice_id]):
            return False
        complete_order(actor=None, order=order, now=now)
    return True


PAYMENT_PAID = "paid"
PAYMENT_NOTHING_DUE = "nothing_due"
PAYMENT_AWAITING = "awaiting_payment"
PAYMENT_CARD_PENDING = "card_pending"
PAYMENT_CARD_DECLINED = "card_declined"


@dataclass(frozen=True)
class Checkout:
    """A placed order and how its payment stands, with what to tell the orderer (empty: nothing)."""

    order: Order
    payment_status: str
    message: str


def settle_checkout(*, actor: Actor, order_id: int, now: datetime | None = None) -> Checkout:
    """The second step of checkout by card, after the order and its card intent were committed: charges
    the card with the intent's key while no transaction is open, then completes the order as a paid one.

    A decline leaves the order placed and its invoice waiting, like a bank-transfer order (the usual
    unpaid and cancellation rules apply); the answer says how to pay it instead. Calling it again (a
    retry with the same Idempotency-Key) charges nothing twice: a decided intent is not charged again.
    """
    order = order_for(actor, order_id)
    payment = invoicing.charge_order_card(actor=actor, order=order)
    if payment is not None and payment.status == PaymentStatus.CONFIRMED:
        complete_paid_order(order_id=order.pk, now=now or timezone.now())
    order = order_for(actor, order_id)
    return _checkout_of(order, payment)


def _checkout_of(order: Order, payment: Payment | None) -> Checkout:
    if order.invoice_id is None:
        return Checkout(order, PAYMENT_NOTHING_DUE, "")
    if invoicing.paid_invoice_ids([order.invoice_id]):
        return Checkout(order, PAYMENT_PAID, "")
    if payment is not None and payment.status == PaymentStatus.FAILED:
        return Checkout(
            order,
            PAYMENT_CARD_DECLINED,
            _(
                "The card was not charged: %(reason)s Order %(order)s is placed and its invoice "
                "%(invoice)s waits for payment: pay it from the invoice page by another card, from the "
                "wallet or by bank transfer."
            )
            % {"reason": payment.failure_message, "order": order.reference, "invoice": order.invoice_code},
        )
    if payment is not None and payment.status == PaymentStatus.PENDING:
        return Checkout(
            order,
            PAYMENT_CARD_PENDING,
            _(
                "The card provider has not confirmed the payment yet. Order %(order)s completes when it "
                "does; the card is not charged twice."
            )
            % {"order": order.reference},
        )
    return Checkout(order, PAYMENT_AWAITING, "")
