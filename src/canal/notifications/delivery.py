"""Sending queued webhook deliveries: claim one, post it through the outbound guard, record the outcome."""

import json
from datetime import datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from canal.notifications import outbound, retry
from canal.notifications.models import DeliveryStatus, WebhookDelivery
from canal.notifications.signing import SIGNATURE_HEADER, sign

# While one worker is sending, the row is leased so that a second worker does not send it too.
DELIVERY_LEASE = timedelta(minutes=2)


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, endpoint__active=True)
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
    outcome = outbound.post(delivery.endpoint.url, body=body, headers=headers)
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.failure
    delivery.last_duration_ms = outcome.duration_ms
    if outcome.succeeded:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    else:
        wait = retry.wait_before_attempt(delivery.attempts)
        delivery.status = DeliveryStatus.FAILED if wait is None else DeliveryStatus.PENDING
        delivery.next_attempt_at = None if wait is None else now + wait
    delivery.save(
        update_fields=[
            "status",
            "last_status_code",
            "last_error",
            "last_duration_ms",
            "delivered_at",
            "next_attempt_at",
        ]
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
