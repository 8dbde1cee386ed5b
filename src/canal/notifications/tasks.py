from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from canal.notifications import delivery


@task()
def deliver_email(
    *, to: list[str], subject: str, text: str, html: str | None = None, headers: dict[str, str] | None = None
) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@task()
def deliver_webhook(*, delivery_id: int) -> None:
    delivery.attempt_delivery(delivery_id=delivery_id)


@task()
def retry_webhooks() -> int:
    return delivery.retry_due_deliveries()
