"""R5.7 end to end: the aiosmtpd listener runs in this process on a free port, real mail goes to it with
smtplib, and the ticket, then the threaded reply, then an ignored auto-reply are seen in the database."""

import smtplib
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
from django.core import mail

from canal.support.models import Ticket, TicketMail
from canal.support.smtp import listener
from canal.support.tests.intake_setup import EUROPE, intake  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port(intake: Any) -> Iterator[int]:  # noqa: F811
    port = free_port()
    controller = listener("127.0.0.1", port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def send(port: int, sender: str, subject: str, body: str, to: str = EUROPE, **headers: str) -> str:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = make_msgid(domain="partner.example")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.send_message(message)
    return message["Message-ID"]


def test_r5_7_mail_over_smtp_opens_a_ticket_a_reply_threads_and_an_auto_reply_creates_nothing(
    intake: Any,  # noqa: F811
    smtp_port: int,
) -> None:
    partner = intake.partner.user.email
    first = send(
        smtp_port, partner, "All users locked out", "Organisation id: ORG-4711\n\nNobody can log in."
    )

    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.severity, ticket.large_account) == ("email", "s1", True)
    assert ticket.title == "All users locked out"
    # The vendor's agents were told by e-mail, each mail with its own Message-ID and the number.
    notice = next(m for m in mail.outbox if intake.desk.vendor_agent.user.email in m.to)
    assert ticket.number in notice.subject
    assert notice.extra_headers["References"] == first

    send(smtp_port, partner, "Re: All users locked out", "Now also the API.", In_Reply_To=first)

    assert Ticket.objects.count() == 1
    assert [m.body for m in ticket.messages.all()] == ["Now also the API."]

    send(
        smtp_port,
        partner,
        "Out of office",
        "Back on Monday.",
        In_Reply_To=first,
        Auto_Submitted="auto-replied",
    )

    assert Ticket.objects.count() == 1
    assert ticket.messages.count() == 1
    assert TicketMail.objects.filter(outcome="ignored").count() == 1


def test_r5_7_the_listener_refuses_other_recipients_and_oversized_mail(
    intake: Any,  # noqa: F811
    smtp_port: int,
    settings: Any,
) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(smtp_port, intake.partner.user.email, "Hi", "Hello", to="someone@else.example")
    settings.MAIL_INTAKE_MAX_BYTES = 1000

    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(smtp_port, intake.partner.user.email, "Big", "x" * 2000)

    assert refused.value.smtp_code == 552
    assert not Ticket.objects.exists()
