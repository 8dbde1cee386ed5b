from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import CursorPagination, paginate

from canal.api.idempotency import idempotent
from canal.notifications import selectors, services
from canal.notifications.schemas import (
    DeliveryOut,
    NewWebhook,
    NotificationOut,
    ReadAllOut,
    WebhookCreated,
    WebhookOut,
)

router = Router(tags=["notifications"])


@router.get("/notifications", response=list[NotificationOut], summary="Your in-app notifications")
@paginate(CursorPagination, ordering=("-id",))
def list_notifications(request: HttpRequest):
    return selectors.notifications_of(request.actor)  # type: ignore[attr-defined]


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def read_notification(request: HttpRequest, notification_id: int):
    return services.mark_read(actor=request.actor, notification_id=notification_id)  # type: ignore[attr-defined]


@router.post("/notifications/read-all", response=ReadAllOut, summary="Mark all your notifications read")
def read_all_notifications(request: HttpRequest) -> dict:
    return {"marked": services.mark_all_read(actor=request.actor)}  # type: ignore[attr-defined]


@router.get("/webhooks", response=list[WebhookOut], summary="Your organisation's webhook endpoints")
@paginate(CursorPagination, ordering=("id",))
def list_webhooks(request: HttpRequest):
    return selectors.webhooks_of(request.actor)  # type: ignore[attr-defined]


@router.post("/webhooks", response={201: WebhookCreated}, summary="Register a webhook endpoint")
def create_webhook(request: HttpRequest, payload: NewWebhook) -> Status:
    def action() -> tuple[int, dict]:
        endpoint, secret = services.register_webhook(
            actor=request.actor,  # type: ignore[attr-defined]
            url=payload.url,
            events=payload.events,
        )
        return 201, {
            "id": endpoint.pk,
            "url": endpoint.url,
            "events": endpoint.events,
            "created_at": endpoint.created_at,
            "secret": secret,
        }

    return idempotent(request, operation="webhooks.create", payload=payload.dict(), action=action)


@router.delete("/webhooks/{endpoint_id}", response={204: None}, summary="Stop sending to an endpoint")
def delete_webhook(request: HttpRequest, endpoint_id: int) -> Status:
    services.remove_webhook(actor=request.actor, endpoint_id=endpoint_id)  # type: ignore[attr-defined]
    return Status(204, None)


@router.get("/webhooks/{endpoint_id}/deliveries", response=list[DeliveryOut], summary="The delivery log")
@paginate(CursorPagination, ordering=("-id",))
def list_deliveries(request: HttpRequest, endpoint_id: int):
    return selectors.deliveries_of(request.actor, endpoint_id)  # type: ignore[attr-defined]
