"""Changing a subscription during its term and renewing it at the end (R1.13, R1.14, R1.16, R2.6-R2.9).

Each use case is an order (`orders.placement.record_order`), so it is invoiced, provisioned at the vendor
when the product needs it, listed with the other orders and cancellable by the same rules.

- A change on the same plan costs the prorated difference for the rest of the term; what costs less
  refunds nothing and only lowers the next renewal (R2.6). A new onboarding package is a one-off.
- An upgrade is a new order that replaces the subscription and keeps its vendor account and its term
  (R1.14); a downgrade within the term is refused and can be done by a new order at the term's end.
- The renewal settings say what the next term renews with; quantity 0 is no renewal (R1.16). Annual
  SaaS subscriptions renew by themselves at the term's end; on-premise licenses are renewed by their
  customer (R2.8), which moves the end of the term (updatable-until) one year forward once paid.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.billing.invoicing import Charge
from canal.catalog import rules
from canal.catalog.models import Plan, ProductKind
from canal.catalog.offer import Configuration
from canal.catalog.quoting import NotPriced
from canal.core import audit
from canal.core.errors import Conflict, NotFound, RuleViolation
from canal.core.models import AuditEntry
from canal.orders import invoicing, notices
from canal.orders.effects import renewal_start, term_months
from canal.orders.models import Order, OrderKind, OrderStatus
from canal.orders.permissions import check_may_order
from canal.orders.placement import Draft, OrderDetails, check_terms, record_order, summary_of
from canal.orders.services import Priced, price_order
from canal.pricing import Proration
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.subscriptions.selectors import subscription_for
from canal.subscriptions.states import SUBSCRIPTION_MACHINE

logger = logging.getLogger(__name__)
PENDING_KINDS = (
    OrderKind.CHANGE,
    OrderKind.UPGRADE,
    OrderKind.CONVERSION,
    OrderKind.TRIAL_CHANGE,
    OrderKind.RENEWAL,
)
# Products whose subscriptions renew by themselves at the end of the term (the others are renewed by
# their customer, R2.8, or follow their own cycle, like seat licenses, R3.7).
AUTO_RENEWING = (ProductKind.SAAS, ProductKind.HOSTING)


def configuration_of(subscription: Subscription, *, package: str = "") -> Configuration:
    return Configuration(
        product=subscription.product.code,
        plan=subscription.plan.code if subscription.plan else "",
        quantity=subscription.quantity,
        add_ons=tuple(subscription.add_ons),
        package=package,
        modules=tuple(subscription.modules),
    )


def _require_status(subscription: Subscription, *allowed: str) -> None:
    if subscription.status not in allowed:
        raise Conflict(
            _("This subscription is %(status)s; it cannot be changed now.")
            % {"status": subscription.get_status_display().lower()},
            code="subscription_not_active",
            field="subscription",
        )


def _no_pending_change(subscription: Subscription) -> None:
    pending = subscription.orders.filter(
        kind__in=PENDING_KINDS, status__in=[OrderStatus.PLACED, OrderStatus.PROVISIONING]
    ).first()
    if pending is not None:
        raise Conflict(
            _("Order %(order)s for this subscription is not processed yet. Wait for it, or cancel it first.")
            % {"order": pending.reference},
            code="change_pending",
        )


def refuse_downgrade(subscription: Subscription, plan: Plan) -> None:
    """R1.14: no base-plan downgrade within the contract term."""
    current = subscription.plan
    if current is not None and plan.rank < current.rank:
        raise RuleViolation(
            _(
                "%(current)s cannot be downgraded to %(plan)s within the contract term. "
                "It can be done at the end of the term (%(end)s) by a new order; "
                "meanwhile set the renewal quantity to 0."
            )
            % {
                "current": current.name,
                "plan": plan.name,
                "end": date_format(subscription.term_end, "DATE_FORMAT"),
            },
            code="downgrade_within_term",
            field="plan",
            suggestion=current.code,
        )


def _proration(subscription: Subscription, today: date) -> Proration | None:
    if subscription.term_start <= today < subscription.term_end:
        return Proration(
            purchase_date=today, cycle_start=subscription.term_start, next_cycle_start=subscription.term_end
        )
    return None


def _change_charges(
    priced: Priced, subscription: Subscription, configuration: Configuration, today: date
) -> list[Charge]:
    """Prorated new lines less what the current ones cost for the same days, plus a new package."""
    proration = _proration(subscription, today)
    currency = priced.priced.currency
    package = configuration.package
    new = [
        charge
        for charge in invoicing.charges_for(
            terms=priced.terms,
            offer=priced.offer,
            configuration=configuration,
            currency=currency,
            proration=proration,
        )
        if not package or charge.code != package
    ]
    try:
        old = invoicing.charges_for(
            terms=priced.terms,
            offer=priced.offer,
            configuration=configuration_of(subscription),
            currency=currency,
            proration=proration,
        )
    except NotPriced:  # the old configuration may no longer be priced (catalog changed): nothing to deduct
        logger.warning("subscription %s: current configuration not priced", subscription.pk, exc_info=True)
        old = []
    charges = invoicing.difference(
        new,
        old,
        label=_("Already paid for these days"),
        plan_codes=frozenset(plan.code for plan in priced.offer.plans),
    )
    if package and package != subscription.package:
        charges += invoicing.charges_for(
            terms=priced.terms,
            offer=priced.offer,
            configuration=configuration,
            currency=currency,
            only={package},
        )
    return charges


def change_subscription(
    *,
    actor: Actor,
    subscription_id: int,
    plan: str | None = None,
    quantity: int | None = None,
    add_ons: list[str] | None = None,
    package: str | None = None,
    modules: list[str] | None = None,
    now: datetime | None = None,
) -> Order:
    """R1.13 (seats, add-ons, onboarding on the same plan), R2.6 (modules), R2.7 (more clients)."""
    now = now or timezone.now()
    subscription = subscription_for(actor, subscription_id)  # 404 before any role check: nothing leaks
    check_may_order(actor)
    _require_status(subscription, SubscriptionStatus.ACTIVE)
    current_plan = subscription.plan
    if plan and current_plan is not None and plan != current_plan.code:
        target = subscription.product.plans.filter(code=plan).first()
        if target is not None:
            refuse_downgrade(subscription, target)
            raise RuleViolation(
                _("Moving from %(current)s to %(plan)s is an upgrade: place it as an upgrade order.")
                % {"current": current_plan.name, "plan": target.name},
                code="use_upgrade",
                field="plan",
                suggestion=target.code,
            )
    new_quantity = subscription.quantity if quantity is None else quantity
    if (
        current_plan is not None
        and not current_plan.quantity_changeable
        and new_quantity != subscription.quantity
    ):
        raise RuleViolation(
            _("%(plan)s cannot change its quantity. Request a new server (a new order) instead.")
            % {"plan": current_plan.name},
            code="quantity_not_changeable",
            field="quantity",
        )
    configuration = Configuration(
        product=subscription.product.code,
        plan=current_plan.code if current_plan else "",
        quantity=new_quantity,
        add_ons=tuple(subscription.add_ons if add_ons is None else add_ons),
        package=subscription.package if package is None else package,
        modules=tuple(subscription.modules if modules is None else modules),
    )
    if configuration == configuration_of(subscription, package=subscription.package):
        raise RuleViolation(
            _("Nothing changes: choose another quantity, add-ons, package or modules."), code="no_change"
        )
    priced = price_order(
        actor=actor,
        configuration=configuration,
        customer_id=subscription.customer_id,
        currency=subscription.currency,
    )
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        _no_pending_change(subscription)
        draft = Draft(
            kind=OrderKind.CHANGE,
            customer=subscription.customer,
            product=subscription.product,
            plan=current_plan,
            configuration=configuration,
            currency=subscription.currency,
            terms=priced.terms,
            charges=_change_charges(priced, subscription, configuration, timezone.localdate(now)),
            summary=summary_of(priced.offer, configuration),
            subscription=subscription,
            details=OrderDetails(contract_id=subscription.contract_id),
            previous=configuration_of(subscription, package=subscription.package).as_dict(),
        )
        return record_order(actor=actor, draft=draft, now=now)


def upgrade_subscription(
    *,
    actor: Actor,
    subscription_id: int,
    plan: str,
    quantity: int,
    add_ons: list[str] | None = None,
    package: str = "",
    details: OrderDetails | None = None,
    now: datetime | None = None,
) -> Order:
    """R1.14: a new order for a higher plan that replaces the subscription and keeps its vendor account."""
    now = now or timezone.now()
    details = details or OrderDetails()
    subscription = subscription_for(actor, subscription_id)  # 404 before any role check: nothing leaks
    check_may_order(actor)
    _require_status(subscription, SubscriptionStatus.ACTIVE)
    target = subscription.product.plans.filter(code=plan).first()
    if target is None:
        raise RuleViolation(_("Choose the plan to upgrade to."), code="unknown_plan", field="plan")
    refuse_downgrade(subscription, target)
    if subscription.plan is not None and target.rank == subscription.plan.rank:
        raise RuleViolation(
            _("This is the current plan: change seats, add-ons or onboarding with a change order instead."),
            code="same_plan",
            field="plan",
        )
    configuration = Configuration(
        product=subscription.product.code,
        plan=target.code,
        quantity=quantity,
        add_ons=tuple(add_ons or ()),
        package=package,
        modules=tuple(subscription.modules),
    )
    priced = price_order(
        actor=actor,
        configuration=configuration,
        customer_id=subscription.customer_id,
        currency=subscription.currency,
    )
    accepted = check_terms(subscription.product, details)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        _no_pending_change(subscription)
        replacement = Subscription.objects.create(
            customer=subscription.customer,
            payer=priced.terms.payer,
            partner=subscription.partner,
            product=subscription.product,
            plan=target,
            quantity=quantity,
            currency=subscription.currency,
            status=SubscriptionStatus.PROVISIONING,
            term_start=subscription.term_start,
            term_end=subscription.term_end,
            vendor_account_id=subscription.vendor_account_id,
            contract_id=details.contract_id.strip() or subscription.contract_id,
            name=subscription.name,
            add_ons=list(configuration.add_ons),
            package=package or subscription.package,
            modules=list(subscription.modules),
            end_customer_name=subscription.end_customer_name,
            end_customer_email=subscription.end_customer_email,
        )
        audit.record(
            actor=actor,
            action="subscription.created",
            obj=replacement,
            after={"status": "provisioning", "replaces": subscription.pk},
        )
        draft = Draft(
            kind=OrderKind.UPGRADE,
            customer=subscription.customer,
            product=subscription.product,
            plan=target,
            configuration=configuration,
            currency=subscription.currency,
            terms=priced.terms,
            charges=_change_charges(priced, subscription, configuration, timezone.localdate(now)),
            summary=summary_of(priced.offer, configuration),
            subscription=replacement,
            details=OrderDetails(
                accept_terms=details.accept_terms,
                notify_me=details.notify_me,
                contract_id=replacement.contract_id,
                end_customer_name=subscription.end_customer_name,
                end_customer_email=subscription.end_customer_email,
            ),
            previous={**configuration_of(subscription).as_dict(), "subscription_id": subscription.pk},
            terms_accepted=accepted,
        )
        return record_order(actor=actor, draft=draft, now=now)


def set_renewal(
    *,
    actor: Actor,
    subscription_id: int,
    quantity: int,
    add_ons: list[str] | None = None,
    package: str = "",
    plan: str | None = None,
    now: datetime | None = None,
) -> Order:
    """R1.16: what the next term renews with. The same or more seats simply take the new quantity; a
    lower plan sets the renewal quantity to 0 (no renewal), and the lower plan needs a new order."""
    now = now or timezone.now()
    subscription = subscription_for(actor, subscription_id)  # 404 before any role check: nothing leaks
    check_may_order(actor)
    _require_status(subscription, SubscriptionStatus.ACTIVE)
    current_plan = subscription.plan
    lower = False
    if plan and current_plan is not None and plan != current_plan.code:
        target = subscription.product.plans.filter(code=plan).first()
        if target is None or target.rank > current_plan.rank:
            raise RuleViolation(
                _("A renewal keeps the plan. To move up now, place an upgrade order."),
                code="use_upgrade",
                field="plan",
            )
        lower = True
    if current_plan is not None and not current_plan.renewable:
        raise RuleViolation(
            _("%(plan)s cannot be renewed. Request a new server (a new order) instead.")
            % {"plan": current_plan.name},
            code="not_renewable",
            field="plan",
        )
    renewal = Configuration(
        product=subscription.product.code,
        plan=current_plan.code if current_plan else "",
        quantity=0 if lower else quantity,
        add_ons=() if lower or quantity == 0 else tuple(add_ons or ()),
        package="" if lower or quantity == 0 else package,
        modules=tuple(subscription.modules),
    )
    priced = None
    if renewal.quantity:
        priced = price_order(
            actor=actor,
            configuration=renewal,
            customer_id=subscription.customer_id,
            currency=subscription.currency,
        )
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        terms = (
            priced.terms
            if priced is not None
            else invoicing.terms_for(
                orderer=actor.organisation,
                customer=subscription.customer,
                product_code=subscription.product.code,
            )
        )
        summary = (
            summary_of(priced.offer, renewal)
            if priced is not None
            else _("No renewal at the end of the term (%(end)s)") % {"end": subscription.term_end.isoformat()}
        )
        draft = Draft(
            kind=OrderKind.RENEWAL_SETTINGS,
            customer=subscription.customer,
            product=subscription.product,
            plan=current_plan,
            configuration=renewal,
            currency=subscription.currency,
            terms=terms,
            charges=[],
            summary=summary,
            subscription=subscription,
            details=OrderDetails(contract_id=subscription.contract_id),
            previous={
                "quantity": subscription.renewal_quantity,
                "add_ons": subscription.renewal_add_ons,
                "package": subscription.renewal_package,
            },
            reason=_("A lower plan needs a new order at the end of the term.") if lower else "",
        )
        return record_order(actor=actor, draft=draft, now=now)


def renewal_configuration(subscription: Subscription) -> Configuration:
    """What the next term renews with: the renewal settings where set, the current values otherwise."""
    return Configuration(
        product=subscription.product.code,
        plan=subscription.plan.code if subscription.plan else "",
        quantity=subscription.quantity
        if subscription.renewal_quantity is None
        else subscription.renewal_quantity,
        add_ons=tuple(
            subscription.add_ons if subscription.renewal_add_ons is None else subscription.renewal_add_ons
        ),
        package=subscription.renewal_package,
        modules=tuple(subscription.modules),
    )


def _renewal_draft(subscription: Subscription, priced_terms: invoicing.PartnerTerms, now: datetime) -> Draft:
    from canal.catalog.selectors import _detailed, offer_of

    configuration = renewal_configuration(subscription)
    offer = offer_of(_detailed(type(subscription.product).objects.filter(pk=subscription.product_id)).get())
    # An onboarding package is bought once: renewing without renewal settings carries no package,
    # so the seat threshold that requires one (R1.5) does not apply to the renewal (R1.16).
    found = [
        violation
        for violation in rules.violations(offer, configuration)
        if not (violation.code == "package_required" and not configuration.package)
    ]
    if found:
        raise RuleViolation(found[0].message, code=found[0].code, field=found[0].field)
    charges = invoicing.charges_for(
        terms=priced_terms, offer=offer, configuration=configuration, currency=subscription.currency
    )
    start = renewal_start(subscription, timezone.localdate(now))
    end = _add_term(subscription, start)
    charges = [
        _with_period(charge, start, end) if charge.code != configuration.package else charge
        for charge in charges
    ]
    return Draft(
        kind=OrderKind.RENEWAL,
        customer=subscription.customer,
        product=subscription.product,
        plan=subscription.plan,
        configuration=configuration,
        currency=subscription.currency,
        terms=priced_terms,
        charges=charges,
        summary=summary_of(offer, configuration),
        subscription=subscription,
        details=OrderDetails(contract_id=subscription.contract_id),
        previous=configuration_of(subscription, package=subscription.package).as_dict(),
    )


def _add_term(subscription: Subscription, start: date) -> date:
    from canal.orders.windows import add_months

    return add_months(start, term_months(subscription))


def _with_period(charge: Charge, start: date, end: date) -> Charge:
    from dataclasses import replace
    from datetime import timedelta

    return replace(charge, period_start=start, period_end=end - timedelta(days=1))


def renew_subscription(*, actor: Actor, subscription_id: int, now: datetime | None = None) -> Order:
    """R2.8: renew for one more term; paying moves the end of the term (updatable-until) forward."""
    now = now or timezone.now()
    subscription = subscription_for(actor, subscription_id)  # 404 before any role check: nothing leaks
    check_may_order(actor)
    _require_status(subscription, SubscriptionStatus.ACTIVE)
    if subscription.plan is not None and not subscription.plan.renewable:
        raise RuleViolation(
            _("%(plan)s cannot be renewed. Request a new server (a new order) instead.")
            % {"plan": subscription.plan.name},
            code="not_renewable",
            field="plan",
        )
    terms = invoicing.terms_for(
        orderer=actor.organisation, customer=subscription.customer, product_code=subscription.product.code
    )
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        _no_pending_change(subscription)
        return record_order(actor=actor, draft=_renewal_draft(subscription, terms, now), now=now)


def renew_due_subscriptions(*, now: datetime | None = None) -> dict[str, int]:
    """The renewal run: annual subscriptions whose term has ended renew with their renewal settings
    (invoiced, paid from the wallet as far as it goes), or expire when the renewal quantity is 0 (R1.16).
    Safe to run again: a renewed subscription's term no longer ends on or before today."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Subscription.objects.filter(
        status=SubscriptionStatus.ACTIVE, term_end__lte=today, product__kind__in=AUTO_RENEWING
    ).filter(Q(plan__isnull=True) | Q(plan__renewable=True))
    counts = {"renewed": 0, "expired": 0, "failed": 0}
    for subscription_id in due.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                subscription = (
                    Subscription.objects.select_for_update(of=("self",))
                    .select_related("product", "plan", "customer", "partner")
                    .get(pk=subscription_id)
                )
                if subscription.status != SubscriptionStatus.ACTIVE or subscription.term_end > today:
                    continue
                if subscription.renewal_quantity == 0:
                    SUBSCRIPTION_MACHINE.transition(
                        subscription,
                        SubscriptionStatus.EXPIRED,
                        actor=None,
                        reason="R1.16: renewal quantity 0",
                        extra={"ended_at": now, "end_reason": "not renewed"},
                    )
                    counts["expired"] += 1
                    continue
                # Renewals are priced as the managing partner would order them (R4.7, R4.8).
                orderer = subscription.partner or subscription.customer
                try:
                    terms = invoicing.terms_for(
                        orderer=orderer,
                        customer=subscription.customer,
                        product_code=subscription.product.code,
                    )
                except NotFound:  # the partner no longer manages the client: the client renews itself
                    terms = invoicing.terms_for(
                        orderer=subscription.customer,
                        customer=subscription.customer,
                        product_code=subscription.product.code,
                    )
                while subscription.term_end <= today:
                    record_order(
                        actor=None, draft=_renewal_draft(subscription, terms, now), now=now, process_now=True
                    )
                    subscription.refresh_from_db()
                counts["renewed"] += 1
        except Exception as error:  # one subscription's failure must not stop the run for the others
            logger.exception("renewal of subscription %s failed", subscription_id)
            _report_failed_renewal(subscription_id, error)
            counts["failed"] += 1
    return counts


def _report_failed_renewal(subscription_id: int, error: Exception) -> None:
    """Operators hear about a failed renewal once per term (in the app and by e-mail); the audit entry
    marks it reported, so the next runs only log it."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("product", "customer")
            .get(pk=subscription_id)
        )
        term_end = subscription.term_end.isoformat()
        if AuditEntry.objects.filter(
            action="subscription.renewal_failed",
            object_type=subscription._meta.label_lower,
            object_id=str(subscription.pk),
            after__term_end=term_end,
        ).exists():
            return
        message = getattr(error, "message", "") or str(error)
        audit.record(
            actor=None,
            action="subscription.renewal_failed",
            obj=subscription,
            after={"term_end": term_end},
            reason=str(message)[:300],
        )
        notices.renewal_failed(subscription, str(message))
