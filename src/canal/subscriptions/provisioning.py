"""Provisioning requests (R1.12): the vendor creates, changes, converts or deletes the account of an order.

Every order of a product the vendor provisions opens one request, due 48 business hours after placement
on the vendor's business calendar. The vendor hears about it by a signed webhook
(`provisioning.requested`, with retries and a delivery log) and by e-mail, and completes it by hand in the
vendor console or by calling back `POST /api/v1/provisioning-requests/{id}/complete` with the account id.
A vendor missing data asks the orderer (inquiring) and the answer puts the request back in the queue.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation, Role
from canal.core import audit
from canal.core.calendar import BusinessCalendar
from canal.core.errors import PermissionDenied, RuleViolation
from canal.notifications.services import emit_event
from canal.orders import notices, windows
from canal.orders.effects import complete_order
from canal.orders.invoicing import credit_order_invoice
from canal.orders.locks import lock_order_and_request
from canal.orders.models import Order, OrderKind, OrderStatus
from canal.orders.permissions import check_may_order
from canal.orders.states import ORDER_MACHINE
from canal.subscriptions.models import (
    ProvisioningRequest,
    ProvisioningStatus,
    Subscription,
    SubscriptionStatus,
)
from canal.subscriptions.selectors import provisioning_request_for
from canal.subscriptions.states import PROVISIONING_MACHINE, SUBSCRIPTION_MACHINE

VENDOR_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.TECHNICAL)
# Operator staff who may complete or fail a request in the vendor's place.
OPERATOR_ROLES = (Role.ADMIN, Role.TECHNICAL)
# The time zone of a vendor's office by its country; holidays come from the country itself.
COUNTRY_ZONES = {
    "ES": "Europe/Madrid",
    "US": "America/New_York",
    "CH": "Europe/Zurich",
    "GB": "Europe/London",
    "DE": "Europe/Berlin",
    "FR": "Europe/Paris",
    "IT": "Europe/Rome",
    "PT": "Europe/Lisbon",
    "MX": "America/Mexico_City",
    "AR": "America/Argentina/Buenos_Aires",
    "CO": "America/Bogota",
}
# What the vendor is asked to do, by order type.
ACTIONS = {
    OrderKind.NEW: "create",
    OrderKind.TRIAL: "create_trial",
    OrderKind.CONVERSION: "convert_trial",
    OrderKind.CHANGE: "change",
    OrderKind.TRIAL_CHANGE: "change_trial",
    OrderKind.UPGRADE: "upgrade",
    OrderKind.TRIAL_TERMINATION: "delete_trial",
}


ACTION_LABELS = {
    "create": gettext_lazy("Create the account"),
    "create_trial": gettext_lazy("Create a trial account"),
    "convert_trial": gettext_lazy("Convert the trial to paid"),
    "change": gettext_lazy("Change the account"),
    "change_trial": gettext_lazy("Change the trial"),
    "upgrade": gettext_lazy("Move the account to a higher plan"),
    "delete_trial": gettext_lazy("Delete the trial and its data"),
}


def vendor_calendar(vendor: Organisation) -> BusinessCalendar:
    """R1.12: the vendor's working hours (09:00-18:00, Monday to Friday) and its country's holidays."""
    zone = COUNTRY_ZONES.get(vendor.country)
    if zone is None:
        return BusinessCalendar.default()
    try:
        return BusinessCalendar(
            time_zone=zone,
            opens=time(9),
            closes=time(18),
            working_days=frozenset(range(5)),
            country=vendor.country,
        )
    except ValueError:
        return BusinessCalendar.default()


def needs_provisioning(order: Order) -> bool:
    return order.product.provisioning_hours is not None and order.kind in ACTIONS


def request_payload(request: ProvisioningRequest) -> dict[str, object]:
    """What the vendor's system receives (docs/orders.md, "Webhook and callback")."""
    order = request.order
    subscription = request.subscription
    return {
        "request_id": request.pk,
        "action": request.action,
        "status": request.status,
        "due_at": request.due_at.isoformat(),
        "order": {
            "id": order.pk,
            "reference": order.reference,
            "kind": order.kind,
            "placed_at": order.placed_at.isoformat(),
            "contract_id": order.contract_id,
        },
        "customer": {"id": order.customer_id, "name": order.customer.name, "country": order.customer.country},
        "end_customer": {"name": order.end_customer_name, "email": order.end_customer_email},
        "product": order.product.code,
        "configuration": order.configuration,
        "subscription_id": subscription.pk,
        "vendor_account_id": subscription.vendor_account_id or order.vendor_account_id,
        "question": request.question,
        "answer": request.answer,
        # Absolute, because the vendor's system calls them from outside (settings.SITE_URL).
        "callback": {
            "complete": notices.absolute(reverse("api:complete_provisioning", args=[request.pk])),
            "fail": notices.absolute(reverse("api:fail_provisioning", args=[request.pk])),
            "inquire": notices.absolute(reverse("api:inquire_provisioning", args=[request.pk])),
        },
    }


def open_request(
    *, actor: Actor | None, order: Order, subscription: Subscription, now: datetime
) -> ProvisioningRequest:
    """Opens the order's request, due on the vendor's calendar, and tells the vendor (in the caller's
    transaction; the webhook and the e-mails leave on commit)."""
    vendor = order.product.vendor
    hours = order.product.provisioning_hours or windows.DEFAULT_PROVISIONING_HOURS
    request = ProvisioningRequest.objects.create(
        order=order,
        subscription=subscription,
        vendor=vendor,
        action=ACTIONS[OrderKind(order.kind)],
        due_at=windows.provisioning_due(vendor_calendar(vendor), now, hours),
    )
    audit.record(
        actor=actor,
        action="provisioning request.pending",
        obj=request,
        after={"status": request.status, "due_at": request.due_at.isoformat(), "order": order.reference},
    )
    ORDER_MACHINE.transition(order, OrderStatus.PROVISIONING, actor=actor)
    emit_event(organisation=vendor, event="provisioning.requested", payload=request_payload(request))
    notices.provisioning_requested(request)
    return request


def _for_vendor(actor: Actor, request_id: int) -> tuple[Order, ProvisioningRequest]:
    """The order and its request, locked (order first, `orders.locks`), if the actor is the request's
    vendor with a fulfilling role, or operator staff with the Admin or Technical role."""
    request = provisioning_request_for(actor, request_id)
    if actor.is_operator:
        actor.require_role(*OPERATOR_ROLES)
    else:
        if request.vendor_id != actor.organisation.pk:
            raise PermissionDenied(_("Only the vendor of the product fulfils its provisioning requests."))
        actor.require_role(*VENDOR_ROLES)
    order, locked = lock_order_and_request(order_id=request.order_id)
    assert locked is not None  # a request is never deleted
    return order, locked


def complete_request(
    *, actor: Actor, request_id: int, vendor_account_id: str = "", now: datetime | None = None
) -> ProvisioningRequest:
    """The vendor has done it: the order is processed, the end customer and the reseller are told."""
    now = now or timezone.now()
    account = vendor_account_id.strip()
    with transaction.atomic():
        order, request = _for_vendor(actor, request_id)
        subscription = request.subscription
        if not account and not subscription.vendor_account_id:
            raise RuleViolation(
                _("Enter the vendor account id of the new account: the subscription keeps it (R1.9)."),
                code="vendor_account_id_required",
                field="vendor_account_id",
            )
        if account and subscription.vendor_account_id and account != subscription.vendor_account_id:
            raise RuleViolation(
                _(
                    "This subscription's account at the vendor is %(account)s; "
                    "complete the request with that id."
                )
                % {"account": subscription.vendor_account_id},
                code="vendor_account_id_mismatch",
                field="vendor_account_id",
            )
        PROVISIONING_MACHINE.transition(
            request,
            ProvisioningStatus.APPROVED,
            actor=actor,
            extra={"vendor_account_id": account or subscription.vendor_account_id, "completed_at": now},
        )
        complete_order(actor=actor, order=order, now=now, vendor_account_id=account)
        emit_event(
            organisation=request.vendor, event="provisioning.completed", payload=request_payload(request)
        )
    return request


def fail_request(
    *, actor: Actor, request_id: int, reason: str, now: datetime | None = None
) -> ProvisioningRequest:
    """The vendor cannot do it: the order fails, its invoice is credited, the orderer is told why."""
    now = now or timezone.now()
    if not reason.strip():
        raise RuleViolation(
            _("Say why the request cannot be fulfilled."), code="reason_required", field="reason"
        )
    with transaction.atomic():
        order, request = _for_vendor(actor, request_id)
        PROVISIONING_MACHINE.transition(
            request,
            ProvisioningStatus.FAILED,
            actor=actor,
            reason=reason,
            extra={"failure_reason": reason[:300]},
        )
        ORDER_MACHINE.transition(order, OrderStatus.FAILED, actor=actor, reason=reason)
        note = credit_order_invoice(actor=actor, order=order, today=timezone.localdate(now), reason=reason)
        if note is not None:
            order.credit_note_code = note.code or ""
            order.save(update_fields=["credit_note_code"])
        subscription = request.subscription
        if subscription.status == SubscriptionStatus.PROVISIONING:
            SUBSCRIPTION_MACHINE.transition(
                subscription,
                SubscriptionStatus.CANCELLED,
                actor=actor,
                reason=reason,
                extra={"ended_at": now},
            )
        notices.provisioning_failed(request)
        emit_event(
            organisation=order.placed_by,
            event="order.failed",
            payload={"order_id": order.pk, "reason": reason},
        )
    return request


def inquire(*, actor: Actor, request_id: int, question: str) -> ProvisioningRequest:
    """The vendor asks the orderer for missing data; the request waits for the answer."""
    if not question.strip():
        raise RuleViolation(
            _("Write the question for the orderer."), code="question_required", field="question"
        )
    with transaction.atomic():
        request = _for_vendor(actor, request_id)[1]
        PROVISIONING_MACHINE.transition(
            request,
            ProvisioningStatus.INQUIRING,
            actor=actor,
            reason=question,
            extra={"question": question, "answer": ""},
        )
        notices.inquiry(request)
    return request


def answer_inquiry(*, actor: Actor, request_id: int, answer: str) -> ProvisioningRequest:
    """The orderer answers the vendor's question; the request goes back to the vendor's queue."""
    provisioning_request_for(actor, request_id)  # 404 before any role check: nothing leaks
    check_may_order(actor)
    if not answer.strip():
        raise RuleViolation(_("Write the answer for the vendor."), code="answer_required", field="answer")
    with transaction.atomic():
        request = provisioning_request_for(actor, request_id)
        if request.order.placed_by_id != actor.organisation.pk:
            raise PermissionDenied(_("Only the organisation that placed the order answers the vendor."))
        request = lock_order_and_request(order_id=request.order_id)[1]
        assert request is not None
        PROVISIONING_MACHINE.transition(
            request, ProvisioningStatus.PENDING, actor=actor, reason=answer, extra={"answer": answer}
        )
        emit_event(
            organisation=request.vendor, event="provisioning.answered", payload=request_payload(request)
        )
    return request


def cancel_request(*, actor: Actor | None, request: ProvisioningRequest, reason: str) -> None:
    """The order was cancelled in time: provisioning stops and the vendor is told. The caller holds the
    locks (`orders.locks.lock_order_and_request`)."""
    if not request.is_open:
        return
    PROVISIONING_MACHINE.transition(request, ProvisioningStatus.CANCELLED, actor=actor, reason=reason)
    emit_event(organisation=request.vendor, event="provisioning.cancelled", payload=request_payload(request))


def flag_overdue_requests(*, now: datetime | None = None) -> int:
    """R1.12: open requests past their due time are flagged to operators, once each."""
    now = now or timezone.now()
    flagged = 0
    due = ProvisioningRequest.objects.filter(
        status__in=[ProvisioningStatus.PENDING, ProvisioningStatus.INQUIRING],
        due_at__lt=now,
        overdue_flagged_at__isnull=True,
    )
    for request_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            # A conditional update claims the request, so two workers never flag it twice.
            if not ProvisioningRequest.objects.filter(pk=request_id, overdue_flagged_at__isnull=True).update(
                overdue_flagged_at=now
            ):
                continue
            request = ProvisioningRequest.objects.select_related(
                "order__product", "order__customer", "vendor"
            ).get(pk=request_id)
            audit.record(
                actor=None,
                action="provisioning request.overdue",
                obj=request,
                after={"due_at": request.due_at.isoformat()},
                reason="R1.12: past its due time",
            )
            notices.provisioning_overdue(request)
            flagged += 1
    return flagged


def request_of(order: Order) -> ProvisioningRequest | None:
    try:
        return order.provisioning  # type: ignore[attr-defined,no-any-return]
    except ProvisioningRequest.DoesNotExist:
        return None
