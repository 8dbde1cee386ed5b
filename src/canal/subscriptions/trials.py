"""Trials (R1.17): modified (base plan, add-ons), terminated early with a reason and the acknowledgement
that all trial data will be deleted, or simply left to expire; they never convert by themselves (a new
order converts them, R1.9). "Ending soon" and expiry run as scheduled jobs."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canal.accounts.actor import Actor
from canal.catalog.offer import Configuration
from canal.core.errors import Conflict, RuleViolation
from canal.notifications.services import emit_event
from canal.orders import notices, windows
from canal.orders.models import Order, OrderKind, OrderStatus
from canal.orders.permissions import check_may_order
from canal.orders.placement import Draft, OrderDetails, record_order, summary_of
from canal.orders.services import price_order
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.subscriptions.selectors import subscription_for
from canal.subscriptions.states import SUBSCRIPTION_MACHINE


class TerminationReason(TextChoices):
    """R1.17: the reasons offered when a trial is terminated before its end."""

    NOT_NEEDED_BY_CUSTOMER = "not_needed_by_customer", gettext_lazy("The customer says it is not needed")
    NOT_NEEDED_BY_RESELLER = "not_needed_by_reseller", gettext_lazy("The reseller says it is not needed")
    ORDERED_BY_MISTAKE = "ordered_by_mistake", gettext_lazy("Ordered by mistake")
    CHOSE_ANOTHER_PRODUCT = "chose_another_product", gettext_lazy("The customer chose another product")


def _trial(actor: Actor, subscription_id: int) -> Subscription:
    subscription = subscription_for(actor, subscription_id)
    if subscription.status != SubscriptionStatus.TRIAL:
        raise Conflict(
            _("This subscription is not a running trial (it is %(status)s).")
            % {"status": subscription.get_status_display().lower()},
            code="not_a_trial",
        )
    return subscription


def _pending_trial_order(subscription: Subscription) -> Order | None:
    """A conversion or trial change of `subscription` the vendor has not processed yet."""
    return subscription.orders.filter(
        kind__in=[OrderKind.TRIAL_CHANGE, OrderKind.CONVERSION],
        status__in=[OrderStatus.PLACED, OrderStatus.PROVISIONING],
    ).first()


def modify_trial(
    *,
    actor: Actor,
    subscription_id: int,
    plan: str,
    add_ons: list[str] | None = None,
    now: datetime | None = None,
) -> Order:
    """R1.17: another base plan or other add-ons for the rest of the trial (the vendor applies it)."""
    now = now or timezone.now()
    subscription = _trial(actor, subscription_id)  # 404 before any role check: nothing leaks
    check_may_order(actor)
    target = subscription.product.plans.filter(code=plan).first()
    quantity = subscription.quantity
    if target is not None:
        quantity = (
            min(target.allowed_quantities) if target.allowed_quantities else max(target.min_quantity, 1)
        )
    configuration = Configuration(
        product=subscription.product.code, plan=plan, quantity=quantity, add_ons=tuple(add_ons or ())
    )
    if target == subscription.plan and sorted(configuration.add_ons) == sorted(subscription.add_ons):
        raise RuleViolation(_("Nothing changes: choose another plan or other add-ons."), code="no_change")
    priced = price_order(
        actor=actor,
        configuration=configuration,
        customer_id=subscription.customer_id,
        currency=subscription.currency,
    )
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if _pending_trial_order(subscription) is not None:
            raise Conflict(
                _("A change of this trial is being provisioned; wait for it."), code="change_pending"
            )
        draft = Draft(
            kind=OrderKind.TRIAL_CHANGE,
            customer=subscription.customer,
            product=subscription.product,
            plan=priced.plan,
            configuration=configuration,
            currency=subscription.currency,
            terms=priced.terms,
            charges=[],
            summary=summary_of(priced.offer, configuration),
            subscription=subscription,
            previous={
                "plan": subscription.plan.code if subscription.plan else "",
                "add_ons": subscription.add_ons,
            },
        )
        return record_order(actor=actor, draft=draft, now=now)


def terminate_trial(
    *,
    actor: Actor,
    subscription_id: int,
    reason: str,
    acknowledge_data_deletion: bool,
    now: datetime | None = None,
) -> Order:
    """R1.17: ends the trial now. A reason from the list and the acknowledgement are required; the vendor
    is asked to delete the account and its data."""
    _trial(actor, subscription_id)  # 404 before any role check: nothing leaks
    check_may_order(actor)
    now = now or timezone.now()
    if reason not in TerminationReason.values:
        raise RuleViolation(
            _("Choose why the trial is terminated from the list."), code="reason_required", field="reason"
        )
    if not acknowledge_data_deletion:
        raise RuleViolation(
            _("Tick the box to confirm you understand that terminating the trial deletes all its data."),
            code="acknowledgement_required",
            field="acknowledge_data_deletion",
        )
    subscription = _trial(actor, subscription_id)
    priced_terms = price_order(
        actor=actor,
        configuration=Configuration(
            product=subscription.product.code,
            plan=subscription.plan.code if subscription.plan else "",
            quantity=subscription.quantity,
            add_ons=tuple(subscription.add_ons),
        ),
        customer_id=subscription.customer_id,
        currency=subscription.currency,
    )
    label = str(TerminationReason(reason).label)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        pending = _pending_trial_order(subscription)
        if pending is not None:
            raise Conflict(
                _(
                    "Order %(order)s for this trial is not processed yet, so the trial cannot be "
                    "terminated now. Wait for it, or cancel that order first."
                )
                % {"order": pending.reference},
                code="change_pending",
            )
        SUBSCRIPTION_MACHINE.transition(
            subscription,
            SubscriptionStatus.CANCELLED,
            actor=actor,
            reason=label,
            extra={"ended_at": now, "end_reason": reason},
        )
        draft = Draft(
            kind=OrderKind.TRIAL_TERMINATION,
            customer=subscription.customer,
            product=subscription.product,
            plan=subscription.plan,
            configuration=Configuration(
                product=subscription.product.code, plan=priced_terms.priced.configuration.plan
            ),
            currency=subscription.currency,
            terms=priced_terms.terms,
            charges=[],
            summary=label,
            subscription=subscription,
            details=OrderDetails(),
            reason=label,
        )
        return record_order(actor=actor, draft=draft, now=now)


def warn_trials_ending(*, now: datetime | None = None) -> int:
    """The "trial ending soon" e-mail, once per trial, a few days before its end."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    warned = 0
    for subscription in Subscription.objects.filter(
        status=SubscriptionStatus.TRIAL, trial_warning_sent_at__isnull=True, trial_ends_on__isnull=False
    ).select_related("product", "customer", "partner"):
        if not windows.trial_warning_due(subscription.trial_ends_on, today):
            continue
        with transaction.atomic():
            # Claimed by a conditional update, so two workers never send it twice.
            if Subscription.objects.filter(pk=subscription.pk, trial_warning_sent_at__isnull=True).update(
                trial_warning_sent_at=now
            ):
                notices.trial_ending_soon(subscription)
                warned += 1
    return warned


def expire_trials(*, now: datetime | None = None) -> int:
    """R1.17: a trial not converted by its end expires (a conversion being provisioned keeps it alive)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expired = 0
    # A subquery: with `.exclude(orders__kind=..., orders__status__in=...)` the two conditions could
    # match different orders (a cancelled conversion and a pending trial change).
    converting = Order.objects.filter(
        kind=OrderKind.CONVERSION, status__in=[OrderStatus.PLACED, OrderStatus.PROVISIONING]
    ).values("subscription_id")
    due = Subscription.objects.filter(status=SubscriptionStatus.TRIAL, trial_ends_on__lte=today).exclude(
        pk__in=converting
    )
    for subscription_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            subscription = (
                Subscription.objects.select_for_update(of=("self",))
                .select_related("product")
                .get(pk=subscription_id)
            )
            if subscription.status != SubscriptionStatus.TRIAL:
                continue
            SUBSCRIPTION_MACHINE.transition(
                subscription,
                SubscriptionStatus.EXPIRED,
                actor=None,
                reason="R1.17: the trial ended without a conversion",
                extra={"ended_at": now, "end_reason": "trial expired"},
            )
            notices.trial_expired(subscription)
            emit_event(
                organisation=subscription.product.vendor,
                event="trial.expired",
                payload={
                    "subscription_id": subscription.pk,
                    "vendor_account_id": subscription.vendor_account_id,
                },
            )
            expired += 1
    return expired
