from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def deliver_email(*, to: list[str], subject: str, text: str, html: str | None = None) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
