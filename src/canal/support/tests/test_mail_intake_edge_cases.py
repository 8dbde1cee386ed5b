"""E-mail intake (R5.7) at its edges: mail to no support address, mail servers' reports, HTML-only and
non-UTF-8 mail, too many attachments, a Message-ID another sender used, a mail to two vendors."""

from typing import Any

import pytest
from django.core import mail

from canal.accounts.actor import actor_for
from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import member
from canal.support import mailboxes
from canal.support.mail_intake import MailRefused, html_text
from canal.support.models import Attachment, MailOutcome, Ticket, TicketMail
from canal.support.tests.intake_setup import EUROPE, intake  # noqa: F401
from canal.support.tests.test_mail_intake import PNG, TEMPLATE, FakeMailbox, letter, receive

pytestmark = pytest.mark.django_db


def raw_mail(sender: str, *, content_type: str, body: bytes, subject: str = "Locked out") -> bytes:
    head = (
        f"From: {sender}\r\nTo: {EUROPE}\r\nSubject: {subject}\r\nMessage-ID: <edge-1@partner.example>\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("ascii") + body


def test_r5_7_a_mail_to_no_support_address_is_answered_in_the_senders_language(intake: Any) -> None:  # noqa: F811
    received = receive(bytes(letter(intake.partner.user.email, to="sales@redwall.test")))

    assert received.outcome == MailOutcome.ANSWERED
    assert not Ticket.objects.exists()
    assert (
        "Escribe a la dirección de soporte de tu región" in mail.outbox[0].body
    )  # the partner reads Spanish


def test_r5_7_a_mail_servers_report_gets_no_answer(intake: Any) -> None:  # noqa: F811
    received = receive(bytes(letter("MAILER-DAEMON@mx.elsewhere.example")))

    assert received.outcome == MailOutcome.IGNORED
    assert mail.outbox == []


def test_r5_7_an_html_only_mail_keeps_the_text_a_reader_sees(intake: Any) -> None:  # noqa: F811
    message = letter(intake.partner.user.email)
    html = (
        "<html><head><style>p {color: red}</style></head><body>"
        + "".join(f"<p>{line}</p>" for line in TEMPLATE.splitlines())
        + "<p>Tom &amp; Jerry see &lt;error&gt;</p><script>alert(1)</script></body></html>"
    )
    message.set_content(html, subtype="html")

    ticket = Ticket.objects.get(pk=receive(bytes(message)).ticket_id)

    assert ticket.account_ref == "ORG-4711"  # the template's lines survive as lines
    assert ticket.description.endswith("Nobody can log in since 9:00.\n\nTom & Jerry see <error>")
    assert "alert" not in ticket.description
    assert "color" not in ticket.description


def test_html_text_fetches_no_entity_and_drops_comments() -> None:
    html = '<!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]><p>a&e;<!-- hidden -->b</p>'

    assert "root:" not in html_text(html)
    assert "hidden" not in html_text(html)


def test_r5_7_a_latin_1_mail_is_read_in_its_charset(intake: Any) -> None:  # noqa: F811
    body = TEMPLATE.replace("Nobody", "Ningún usuario").encode("latin-1")
    raw = raw_mail(intake.partner.user.email, content_type="text/plain; charset=iso-8859-1", body=body)

    ticket = Ticket.objects.get(pk=receive(raw).ticket_id)

    assert "Ningún usuario can log in" in ticket.description


def test_r5_7_a_mail_in_an_unknown_charset_is_read_as_far_as_it_can_be(intake: Any) -> None:  # noqa: F811
    raw = raw_mail(
        intake.partner.user.email, content_type="text/plain; charset=unknown-8bit", body=TEMPLATE.encode()
    )

    ticket = Ticket.objects.get(pk=receive(raw).ticket_id)

    assert ticket.description.endswith("Nobody can log in since 9:00.")


def test_r5_7_a_mail_with_too_many_attachments_creates_nothing_and_the_sender_is_told(
    intake: Any,  # noqa: F811
    settings: Any,
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    message = letter(intake.partner.user.email)
    for number in range(4):
        message.add_attachment(b"a log line\n", maintype="text", subtype="plain", filename=f"log{number}.log")

    received = receive(bytes(message))

    assert received.outcome == MailOutcome.ANSWERED
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    assert "como máximo 3 adjuntos" in mail.outbox[0].body


def test_r5_7_another_senders_mail_with_a_used_message_id_is_still_taken(intake: Any) -> None:  # noqa: F811
    first = letter(intake.partner.user.email)
    receive(bytes(first))
    second = letter(intake.desk.customer.user.email, body="Our server is down.")
    second.replace_header("Message-ID", first["Message-ID"])

    received = receive(bytes(second))

    assert not received.duplicate
    assert Ticket.objects.count() == 2
    assert Ticket.objects.get(pk=received.ticket_id).requester == intake.desk.customer.user
    assert receive(bytes(second)).duplicate  # and that one, twice, is still one ticket


def test_r5_7_a_mail_to_two_vendors_support_creates_nothing_and_the_sender_is_told(intake: Any) -> None:  # noqa: F811
    other = actor_for(member(OrganisationKind.VENDOR, Role.ADMIN, name="Otro Software"))
    mailboxes.set_addresses(actor=other, addresses=[mailboxes.AddressIn(name="All", email="help@otro.test")])

    received = receive(bytes(letter(intake.partner.user.email, to=f"{EUROPE}, help@otro.test")))

    assert received.outcome == MailOutcome.ANSWERED
    assert not Ticket.objects.exists()
    assert "Otro Software" in mail.outbox[0].body


def test_r5_7_a_sender_address_longer_than_smtp_allows_is_refused_and_nothing_stored(intake: Any) -> None:  # noqa: F811
    sender = "x" * 250 + "@elsewhere.example"  # RFC 5321: at most 254 characters

    with pytest.raises(MailRefused):
        receive(bytes(letter(sender)))

    assert not TicketMail.objects.exists()


def test_r5_7_an_attachment_name_with_control_characters_is_kept_without_them(intake: Any) -> None:  # noqa: F811
    message = letter(intake.partner.user.email)
    message.add_attachment(PNG, maintype="image", subtype="png", filename="screen.png")
    # RFC 2231 lets a file name carry any byte, NUL and line breaks included.
    raw = bytes(message).replace(b'filename="screen.png"', b"filename*=utf-8''screen%00%0D%0A.png")

    ticket_id = receive(raw).ticket_id

    assert Attachment.objects.get(ticket_id=ticket_id).name == "screen.png"


def test_r5_7_a_mail_that_cannot_be_handled_now_does_not_hold_up_the_mailbox(
    intake: Any,  # noqa: F811
    settings: Any,
    tmp_path: Any,
) -> None:
    blocked = tmp_path / "media"
    blocked.write_text("a file where the attachments' folder should be")  # as a full or broken disk
    settings.MEDIA_ROOT = str(blocked)
    with_file = letter(intake.partner.user.email)
    with_file.add_attachment(PNG, maintype="image", subtype="png", filename="screen.png")
    mailbox = FakeMailbox([bytes(with_file), bytes(letter(intake.partner.user.email, body=TEMPLATE))])

    assert mailboxes.process_mailbox(mailbox) == (1, 0)

    assert mailbox.seen == {"2"}  # the first waits, unseen, for the next run
    assert Ticket.objects.count() == 1
