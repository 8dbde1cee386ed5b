"""E-mail intake (R5.7) through `receive_mail` with real message bytes, and the IMAP mailbox reader;
the SMTP listener end to end is in test_smtp_intake.py."""

import logging
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
from django.core import mail
from django.test import TestCase

from canal.accounts.tests.factories import member
from canal.support import mailboxes, tickets
from canal.support.mail_intake import MailRefused, Received, receive_mail
from canal.support.models import Attachment, MailOutcome, Ticket, TicketMail, TicketMessage
from canal.support.tests.intake_setup import AMERICAS, EUROPE, intake  # noqa: F401

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TEMPLATE = (
    "Service: Redwall Server\nOrganisation id: ORG-4711\nCustomer e-mail: \n\nNobody can log in since 9:00."
)


def receive(raw: bytes) -> Received:
    """`receive_mail`, then what it queued after commit (e-mail) runs, as in production."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return receive_mail(raw)


def letter(
    sender: str, to: str = EUROPE, subject: str = "All users locked out", body: str = TEMPLATE, **headers: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="partner.example")
    message.set_content(body)  # before the extra headers: it replaces any Content-* header
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return message


def test_r5_7_a_partners_mail_to_its_regions_address_becomes_an_s1_ticket(intake: Any) -> None:  # noqa: F811
    received = receive(bytes(letter(intake.partner.user.email)))

    ticket = Ticket.objects.get(pk=received.ticket_id)
    assert (received.outcome, ticket.channel, ticket.severity, ticket.large_account) == (
        "ticket",
        "email",
        "s1",
        True,
    )
    assert (ticket.customer, ticket.requester, ticket.account_ref) == (
        intake.desk.customer.organisation,
        intake.partner.user,
        "ORG-4711",
    )
    assert ticket.subscription == intake.server  # "Service: Redwall Server"


def test_r5_7_the_same_mail_twice_makes_one_ticket(intake: Any) -> None:  # noqa: F811
    raw = bytes(letter(intake.partner.user.email))

    first, second = receive(raw), receive(raw)

    assert second.duplicate
    assert first.ticket_id == second.ticket_id
    assert Ticket.objects.count() == 1


def test_r5_7_a_reply_threads_by_the_ticket_number_in_the_subject(intake: Any) -> None:  # noqa: F811
    ticket = Ticket.objects.get(pk=receive(bytes(letter(intake.partner.user.email))).ticket_id)

    for subject in (f"Re: [{ticket.number}] All users locked out", f"More details [#{ticket.pk}]"):
        received = receive(bytes(letter(intake.partner.user.email, subject=subject, body="It is back.")))

        assert (received.outcome, received.ticket_id) == ("reply", ticket.pk)
    assert Ticket.objects.count() == 1
    assert [m.body for m in TicketMessage.objects.filter(ticket=ticket)] == ["It is back.", "It is back."]


def test_r5_7_outgoing_ticket_mail_carries_a_message_id_and_the_number_and_a_reply_to_it_threads(
    intake: Any,  # noqa: F811
) -> None:
    ticket = tickets.open_ticket(
        actor=intake.desk.customer, category_id=intake.desk.category().pk, title="Down", description="Down."
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        tickets.reply(actor=intake.desk.agent, ticket_id=ticket.pk, body="Which version?")
    sent = next(m for m in mail.outbox if m.to == [intake.desk.customer.user.email])
    assert ticket.number in sent.subject
    message_id = sent.extra_headers["Message-ID"]

    answer = letter(
        intake.desk.customer.user.email,
        subject="Re: your ticket",
        body="Version 7.2\n\nOn Monday support wrote:\n> Which version?",
        In_Reply_To=message_id,
    )
    received = receive(bytes(answer))

    assert (received.outcome, received.ticket_id) == ("reply", ticket.pk)
    assert ticket.messages.last().body == "Version 7.2"


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"X_Autoreply": "yes"},
    ],
)
def test_r5_7_automatic_replies_create_nothing_and_get_no_answer(intake: Any, headers: dict) -> None:  # noqa: F811
    received = receive(bytes(letter(intake.partner.user.email, **headers)))

    assert received.outcome == MailOutcome.IGNORED
    assert not Ticket.objects.exists()
    assert mail.outbox == []


def test_r5_7_mail_with_our_own_message_id_is_a_loop_and_ignored(intake: Any, settings: Any) -> None:  # noqa: F811
    message = letter(intake.partner.user.email)
    message.replace_header("Message-ID", make_msgid(domain=settings.MAIL_MESSAGE_ID_DOMAIN))

    assert receive(bytes(message)).outcome == MailOutcome.IGNORED
    assert not Ticket.objects.exists()


def test_r5_7_an_unknown_sender_gets_one_polite_answer_and_no_ticket(intake: Any) -> None:  # noqa: F811
    for _ in range(3):
        received = receive(bytes(letter("stranger@elsewhere.example")))
        assert received.outcome == MailOutcome.ANSWERED

    assert not Ticket.objects.exists()
    assert [m.to for m in mail.outbox] == [["stranger@elsewhere.example"]]
    answer = mail.outbox[0]
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"  # so its responder does not answer back
    assert answer.extra_headers["Message-ID"].endswith("@canal.test>")  # and a bounce of it is a loop
    assert "no pertenece a ningún usuario" in answer.body  # the site's language: the sender has none


def test_r5_7_the_unknown_senders_answer_is_in_the_language_of_the_mail(intake: Any) -> None:  # noqa: F811
    receive(bytes(letter("extrano@otra.example", Content_Language="en")))

    assert "does not belong to any user" in mail.outbox[0].body


def test_r5_7_oversized_mail_is_refused_with_a_log_line_and_nothing_stored(
    intake: Any,  # noqa: F811
    settings: Any,
    caplog: Any,
) -> None:
    settings.MAIL_INTAKE_MAX_BYTES = 2000
    raw = bytes(letter(intake.partner.user.email, body="x" * 3000))

    with caplog.at_level(logging.WARNING, logger="canal.support.mail"), pytest.raises(MailRefused) as refused:
        receive(raw)

    assert refused.value.smtp_code == 552
    assert "MAIL_INTAKE_MAX_BYTES" in caplog.text
    assert not Ticket.objects.exists()
    assert not TicketMail.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [b"this is not a mail at all", b"From: a@b.example, c@d.example\r\nSubject: x\r\n\r\nbody", b"\x00\xff"],
)
def test_r5_7_malformed_mail_is_refused_and_nothing_stored(intake: Any, raw: bytes, caplog: Any) -> None:  # noqa: F811
    with caplog.at_level(logging.WARNING, logger="canal.support.mail"), pytest.raises(MailRefused):
        receive(raw)

    assert "mail refused" in caplog.text
    assert not Ticket.objects.exists()
    assert not TicketMail.objects.exists()


def test_r5_7_an_attachment_that_passes_the_upload_checks_is_kept(intake: Any) -> None:  # noqa: F811
    message = letter(intake.partner.user.email)
    message.add_attachment(PNG, maintype="image", subtype="png", filename="screen.png")

    ticket_id = receive(bytes(message)).ticket_id

    attachment = Attachment.objects.get(ticket_id=ticket_id)
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "screen.png",
        "image/png",
        len(PNG),
    )


def test_r5_7_an_attachment_the_upload_checks_refuse_creates_nothing_and_the_sender_is_told(
    intake: Any,  # noqa: F811
) -> None:
    message = letter(intake.partner.user.email)
    message.add_attachment(
        b"MZ\x90\x00binary", maintype="application", subtype="octet-stream", filename="fix.exe"
    )

    received = receive(bytes(message))

    assert received.outcome == MailOutcome.ANSWERED
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    assert mail.outbox[0].to == [intake.partner.user.email]
    assert "este archivo no lo es" in mail.outbox[0].body  # the partner reads Spanish


def test_r5_7_a_partners_mail_naming_no_client_of_its_own_is_answered_with_what_to_write(
    intake: Any,  # noqa: F811
) -> None:
    received = receive(bytes(letter(intake.partner.user.email, body="Help, it is down.")))

    assert received.outcome == MailOutcome.ANSWERED
    assert not Ticket.objects.exists()
    assert "ID de organización o de grupo" in mail.outbox[0].body  # in the partner's Spanish


def test_r5_7_a_reply_to_a_ticket_the_sender_does_not_see_is_refused(intake: Any) -> None:  # noqa: F811
    ticket = Ticket.objects.get(pk=receive(bytes(letter(intake.partner.user.email))).ticket_id)
    customer = intake.desk.customer.user.email  # the ticket's customer
    agent = intake.desk.vendor_agent.user.email  # Redwall's own support agent
    nosy = member().email  # a user of another customer
    for sender, outcome in ((customer, "reply"), (agent, "reply"), (nosy, "answered")):
        received = receive(bytes(letter(sender, subject=f"Re: [{ticket.number}]", body="Me too.")))
        assert received.outcome == outcome
    assert ticket.messages.count() == 2


class FakeMailbox:
    """An IMAP4 folder holding real message bytes, answering the UID commands the reader sends."""

    def __init__(self, messages: list[bytes]) -> None:
        self.messages = {str(uid): raw for uid, raw in enumerate(messages, start=1)}
        self.seen: set[str] = set()

    def uid(self, command: str, *args: str) -> tuple[str, list]:
        if command == "SEARCH":
            unseen = [uid for uid in self.messages if uid not in self.seen]
            return "OK", [" ".join(unseen).encode()]
        if command == "FETCH":
            return "OK", [(f"{args[0]} (UID {args[0]} BODY[] {{n}}".encode(), self.messages[args[0]]), b")"]
        if command == "STORE":
            self.seen.add(args[0])
            return "OK", []
        raise AssertionError(command)


def test_r5_7_fetch_mail_handles_each_unseen_mail_once_and_marks_it_seen(intake: Any) -> None:  # noqa: F811
    mailbox = FakeMailbox([bytes(letter(intake.partner.user.email)), b"garbage without headers"])

    assert mailboxes.process_mailbox(mailbox) == (1, 1)
    assert mailboxes.process_mailbox(mailbox) == (0, 0)

    assert mailbox.seen == {"1", "2"}
    assert Ticket.objects.count() == 1
