"""Tells the other side of a ticket what happened: an in-app notification kept as a message id and its
parameters (shown in the language of whoever reads it) and an e-mail written in the recipient's own
language (the user's, else its organisation's), after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from canal.accounts.models import Membership, User
from canal.notifications.email import send_email
from canal.notifications.services import notify
from canal.support import mail_ids
from canal.support.models import Ticket

NEW_TICKET = gettext_noop("New ticket %(number)s: %(title)s")
QUOTED = gettext_noop("Ticket %(number)s was quoted at %(credits)s credits: accept or reject the quote.")
ACCEPTED = gettext_noop("Ticket %(number)s was accepted; %(credits)s credits were debited.")
REJECTED_BY_CUSTOMER = gettext_noop("The customer rejected the quote of ticket %(number)s.")
REFUSED = gettext_noop("Support refused ticket %(number)s; %(credits)s credits were given back.")
PUBLIC_REPLY = gettext_noop("New reply on ticket %(number)s: %(title)s")
ASSIGNED = gettext_noop("Ticket %(number)s was assigned to you.")
FINISHED = gettext_noop(
    "Support marked ticket %(number)s finished. Close it if the problem is solved, or reopen it."
)
CLOSED = gettext_noop("Ticket %(number)s was closed.")
REOPENED = gettext_noop("Ticket %(number)s was reopened.")
WAITING = gettext_noop(
    "Ticket %(number)s is waiting for your answer: reply on the ticket and support takes it up again."
)


def _language(user: User) -> str:
    if user.language:
        return user.language
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    return membership.organisation.language if membership else settings.LANGUAGE_CODE


def tell(
    users: Iterable[User], *, ticket: Ticket, message: str, params: dict[str, Any], body: str = ""
) -> None:
    """Notifies each user once, in its language; `message` is a msgid marked with gettext_noop."""
    url = reverse("support:ticket", args=[ticket.pk])
    seen: set[int] = set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        language = _language(user)
        organisation = Membership.objects.filter(user=user).select_related("organisation").first()
        with translation.override(language):
            text = gettext(message) % params
        if organisation is not None:
            notify(
                recipient=user,
                organisation=organisation.organisation,
                message=message,
                params=params,
                body=body,  # what a person wrote stays as written
                url=url,
            )
        send_email(
            to=[user.email],
            template="support/email/ticket_event",
            context={
                "user": user,
                "ticket": ticket,
                "text": text,
                "body": body,
                "url": settings.SITE_URL + url,
            },
            language=language,
            headers=mail_ids.outgoing_headers(ticket),  # replies thread back to the ticket (R5.7)
        )
