"""In-app notifications and outgoing signed webhooks."""

import json
import secrets
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation, Role, User
from canal.core import audit
from canal.core.errors import NotFound, RuleViolation
from canal.notifications import retry
from canal.notifications.models import DeliveryStatus, Notification, WebhookDelivery, WebhookEndpoint
from canal.notifications.signing import SIGNATURE_HEADER, sign

DELIVERY_TIMEOUT_SECONDS = 10
# While one worker is sending, the row is leased so that a second worker does not send it too.
DELIVERY_LEASE = timedelta(minutes=2)
WEBHOOK_ADMIN_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.TECHNICAL)


def notify(
    *, recipient: User, organisation: Organisation, title: str, body: str = "", url: str = ""
) -> Notification:
    return Notification.objects.create(
        recipient=recipient, organisation=organisation, title=title, body=body, url=url
    )


def mark_read(*, actor: Actor, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, recipient=actor.user).first()
    if notification is None:
        raise NotFound(_("No notification with this id."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, actor: Actor) -> int:
    return Notification.objects.filter(recipient=actor.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def register_webhook(*, actor: Actor, url: str, events: list[str]) -> tuple[WebhookEndpoint, str]:
    """A new endpoint for the actor's organisation; the signing secret is returned once."""
    actor.require_role(*WEBHOOK_ADMIN_ROLES)
    if not url.startswith(("https://", "http://")):
        raise RuleViolation(
            _("The webhook URL must start with https:// (or http:// for testing)."), field="url"
        )
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            organisation=actor.organisation, url=url, secret=secret, events=sorted(set(events))
        )
        audit.record(
            actor=actor, action="webhook.registered", obj=endpoint, after={"url": url, "events": events}
        )
    return endpoint, secret


def remove_webhook(*, actor: Actor, endpoint_id: int) -> None:
    actor.require_role(*WEBHOOK_ADMIN_ROLES)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, organisation=actor.organisation).first()
        if endpoint is None:
            raise NotFound(_("No webhook with this id."))
        endpoint.active = False
        endpoint.save(update_fields=["active"])
        audit.record(actor=actor, action="webhook.removed", obj=endpoint, before={"active": True})


def emit_event(*, organisation: Organisation, event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """Queues `event` for every endpoint of `organisation` that wants it; sending starts after commit."""
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, payload=payload, next_attempt_at=timezone.now()
        )
        for endpoint in WebhookEndpoint.objects.filter(organisation=organisation, active=True)
        if endpoint.wants(event)
    ]
    if deliveries:
        from canal.notifications.tasks import deliver_webhook

        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: [deliver_webhook.enqueue(delivery_id=pk) for pk in ids])
    return deliveries


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + DELIVERY_LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def attempt_delivery(*, delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """Sends one due delivery (outside any transaction) and records the outcome and the next try."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    body = json.dumps(
        {
            "id": delivery.pk,
            "event": delivery.event,
            "created_at": delivery.created_at,
            "data": delivery.payload,
        },
        cls=DjangoJSONEncoder,
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Canal-Webhooks/1",
        "Canal-Event": delivery.event,
        "Canal-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(secret=delivery.endpoint.secret, timestamp=int(now.timestamp()), body=body),
    }
    status_code, error = None, ""
    try:
        response = httpx.post(
            delivery.endpoint.url, content=body, headers=headers, timeout=DELIVERY_TIMEOUT_SECONDS
        )
        status_code = response.status_code
        if not response.is_success:
            error = response.text[:500]
    except httpx.HTTPError as failure:
        error = f"{type(failure).__name__}: {failure}"[:500]
    delivery.last_status_code = status_code
    delivery.last_error = error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    else:
        wait = retry.wait_before_attempt(delivery.attempts)
        delivery.status = DeliveryStatus.FAILED if wait is None else DeliveryStatus.PENDING
        delivery.next_attempt_at = None if wait is None else now + wait
    delivery.save(
        update_fields=["status", "last_status_code", "last_error", "delivered_at", "next_attempt_at"]
    )
    return delivery


def retry_due_deliveries(*, now: datetime | None = None) -> int:
    """Retries every pending delivery whose wait is over; returns how many were attempted."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    attempted = 0
    for delivery_id in due.values_list("pk", flat=True)[:500]:
        if attempt_delivery(delivery_id=delivery_id, now=now) is not None:
            attempted += 1
    return attempted
