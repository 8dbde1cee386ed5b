"""In-app notifications and outgoing signed webhooks."""

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation, Role, User
from canal.core import audit, stored_text
from canal.core.errors import NotFound
from canal.notifications import outbound
from canal.notifications.models import Notification, WebhookDelivery, WebhookEndpoint
from canal.notifications.tasks import deliver_webhook

# Webhooks send the organisation's data to an address of its choosing: only its administrators decide.
WEBHOOK_ADMIN_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN)


def notify(
    *,
    recipient: User,
    organisation: Organisation,
    message: str = "",
    body_message: str = "",
    params: dict[str, Any] | None = None,
    title: str = "",
    body: str = "",
    url: str = "",
) -> Notification:
    """`message` (and `body_message`) are msgids marked with gettext_noop, shown in the reader's language
    with `params` (Money and dates are written the reader's way). `title` and `body` are for words that
    cannot be translated, such as what a person wrote."""
    if not (message or title):
        raise ValueError("A notification needs a message id or a title.")
    return Notification.objects.create(
        recipient=recipient,
        organisation=organisation,
        message=message,
        body_message=body_message,
        params=stored_text.stored_params(params),
        title=title[:200],
        body=body,
        url=url,
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
    outbound.check_destination(url)
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
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, organisation=actor.organisation).first()
        if endpoint is None:
            raise NotFound(_("No webhook with this id."))
        actor.require_role(*WEBHOOK_ADMIN_ROLES)
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
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: [deliver_webhook.enqueue(delivery_id=pk) for pk in ids])
    return deliveries
