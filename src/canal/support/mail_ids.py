"""Message-IDs of ticket e-mails (R5.7): each e-mail we send about a ticket carries its own Message-ID,
kept with the ticket, and References the ticket's first mail, so that a reply's In-Reply-To or References
finds the ticket again and mail programs show one thread. The ticket number is in every subject too."""

from __future__ import annotations

import re
from email.utils import make_msgid

from django.conf import settings

from canal.support.models import MailOutcome, Ticket, TicketMail

MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")


def message_ids(header: str | None) -> list[str]:
    """The Message-IDs named in a Message-ID, In-Reply-To or References header, in order."""
    return MESSAGE_ID.findall(str(header or ""))


def is_ours(message_id: str) -> bool:
    """Mail whose Message-ID has our domain is our own (a loop), never a ticket."""
    return message_id.lower().endswith("@" + settings.MAIL_MESSAGE_ID_DOMAIN.lower() + ">")


def outgoing_headers(ticket: Ticket) -> dict[str, str]:
    """A new Message-ID for one e-mail about `ticket`, stored for threading, and References to the
    ticket's first mail (the one that opened it, or the first we sent)."""
    message_id = make_msgid(idstring=ticket.number or str(ticket.pk), domain=settings.MAIL_MESSAGE_ID_DOMAIN)
    first = ticket.mails.order_by("created_at", "id").values_list("message_id", flat=True).first()
    TicketMail.objects.create(message_id=message_id, outcome=MailOutcome.SENT, ticket=ticket)
    headers = {"Message-ID": message_id}
    if first:
        headers |= {"In-Reply-To": first, "References": first}
    return headers
