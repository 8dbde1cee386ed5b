"""E-mail leaves only after the transaction that caused it commits, through the task queue.

Templates live in `notifications/email/<name>_subject.txt`, `<name>.txt` and optionally `<name>.html`,
and are rendered in the recipient's language.
"""

from typing import Any

from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from canal.notifications.tasks import deliver_email


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str | None]:
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        try:
            html: str | None = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    return subject, text, html


def send_email(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    language: str,
    headers: dict[str, str] | None = None,
) -> None:
    """Renders now (in the caller's data) and queues the delivery for when the transaction commits.
    `headers` are extra ones such as Message-ID and References, so that replies thread."""
    subject, text, html = render_email(template, context, language)
    send_email_rendered(to=to, subject=subject, text=text, html=html, headers=headers)


def send_email_rendered(
    *, to: list[str], subject: str, text: str, html: str | None = None, headers: dict[str, str] | None = None
) -> None:
    transaction.on_commit(
        lambda: deliver_email.enqueue(to=to, subject=subject, text=text, html=html, headers=headers)
    )
