from django.db.models import QuerySet
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.core.errors import NotFound
from canal.notifications.models import Notification, WebhookDelivery, WebhookEndpoint


def notifications_of(actor: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=actor.user, organisation=actor.organisation)


def unread_count(actor: Actor) -> int:
    return notifications_of(actor).filter(read_at__isnull=True).count()


def webhooks_of(actor: Actor) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organisation=actor.organisation, active=True)


def deliveries_of(actor: Actor, endpoint_id: int) -> QuerySet[WebhookDelivery]:
    if not webhooks_of(actor).filter(pk=endpoint_id).exists():
        raise NotFound(_("No webhook with this id."))
    return WebhookDelivery.objects.filter(endpoint_id=endpoint_id)
