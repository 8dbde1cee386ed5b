from datetime import datetime

from ninja import Field, Schema

from canal.api.fields import Code, Input, Text


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None

    # In the language of the request (Accept-Language), whoever's action wrote the notification.
    @staticmethod
    def resolve_title(notification) -> str:
        return notification.heading

    @staticmethod
    def resolve_body(notification) -> str:
        return notification.text


class ReadAllOut(Schema):
    marked: int = Field(..., description="How many notifications were unread.")


class NewWebhook(Input):
    url: Text(500, min_length=1) = Field(..., examples=["https://vendor.example/canal/webhooks"])
    events: list[Code] = Field(
        default_factory=list, max_length=100, description="Event names; empty means every event."
    )


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(..., description="Signing secret, shown only this once.")


class DeliveryOut(Schema):
    id: int
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str = Field(
        ...,
        description="Why the last attempt failed: blocked_address, timeout, connection_failed, http_status.",
    )
    last_duration_ms: int | None
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None
