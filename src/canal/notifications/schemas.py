from datetime import datetime

from ninja import Field, Schema


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NewWebhook(Schema):
    url: str = Field(..., examples=["https://vendor.example/canal/webhooks"])
    events: list[str] = Field(default_factory=list, description="Event names; empty means every event.")


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
