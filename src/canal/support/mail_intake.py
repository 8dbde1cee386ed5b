"""E-mail intake (R5.7): one service, `receive_mail(raw_bytes)`, for the SMTP listener (`canal smtp`) and
the IMAP reader (`canal fetch-mail`).

A mail becomes a reply on a ticket when its In-Reply-To or References name a mail of that ticket, or its
subject carries the ticket's number ("[TCK-000123]", "[#123]"); otherwise a new ticket of the vendor
whose regional support address it was sent to. Attachments pass the checks of portal uploads. Automatic
replies and loops are ignored; an address that is no user's gets one polite answer (per
MAIL_UNKNOWN_ANSWER_HOURS) and no ticket; a known sender whose mail cannot be taken (closed ticket, file
refused, customer not identified) is answered with the reason. Malformed or oversized mail raises
`MailRefused` with a log line and stores nothing. Every mail handled keeps its Message-ID, in the same
transaction as what it created, so the same mail twice makes one ticket.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, make_msgid

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import Membership, OrganisationKind, User
from canal.core.errors import CanalError, NotFound, RuleViolation
from canal.notifications.email import send_email
from canal.support import files, intake, mail_ids, tell, tickets
from canal.support.models import (
    Channel,
    MailOutcome,
    SupportAddress,
    Ticket,
    TicketMail,
    UnknownSenderAnswer,
)
from canal.support.selectors import servers_for_ticket, ticket_for

log = logging.getLogger("canal.support.mail")

SUBJECT_NUMBER = re.compile(r"\[#(\d{1,12})\]|\bTCK-(\d{1,12})\b", re.IGNORECASE)
# "Label: value" lines of the partner's template (the document's support e-mail template).
FIELD_LINE = re.compile(
    r"^[ \t]*(?P<label>[^:\n]{2,60}?)[ \t]*:[ \t]*(?P<value>\S[^\n]*?)[ \t]*$", re.MULTILINE
)
QUOTE_HEADER = re.compile(r"^(On .{4,200} wrote:|El .{4,200} escribió:)\s*$", re.MULTILINE)
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTOMATIC_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Reply")
# Bounces and server reports come from these mailboxes (RFC 5321, 4.5.5): answering them makes a loop.
MAIL_SERVER_MAILBOXES = {"mailer-daemon", "postmaster"}
# Elements of an HTML-only mail whose content a reader never sees as text.
HTML_HIDDEN = ("script", "style", "head", "template", etree.Comment, etree.ProcessingInstruction)
HTML_BLOCKS = {
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
}
# No network, no DTD: the HTML of a mail is the sender's, nothing in it is fetched.
HTML_PARSER = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)


class MailRefused(Exception):
    """The mail is malformed or too large: refused whole, nothing stored. `smtp_code` for the listener."""

    def __init__(self, reason: str, smtp_code: int = 550) -> None:
        super().__init__(reason)
        self.reason = reason
        self.smtp_code = smtp_code


@dataclass(frozen=True)
class Received:
    outcome: str
    ticket_id: int | None = None
    duplicate: bool = False


def receive_mail(raw: bytes, *, recipients: tuple[str, ...] = ()) -> Received:
    """Turns one raw mail into a ticket, a reply, an answer or nothing; see the module docstring.
    `recipients` are the SMTP envelope's, counted with To and Cc when looking for a support address."""
    limit = settings.MAIL_INTAKE_MAX_BYTES
    if len(raw) > limit:
        log.warning("mail refused: %s bytes, more than MAIL_INTAKE_MAX_BYTES=%s", len(raw), limit)
        raise MailRefused(f"message of {len(raw)} bytes is larger than {limit}", smtp_code=552)
    message, sender = _parse(raw)
    ids = mail_ids.message_ids(message["Message-ID"])
    message_id = ids[0] if ids else f"<sha256.{hashlib.sha256(raw).hexdigest()}@received>"
    known = TicketMail.objects.filter(message_id=message_id).first()
    if known is not None and known.sender and known.sender != sender:
        # The sender chooses the Message-ID: another sender's mail with the same one is not a copy of it
        # (a careless mailer, or a stranger pre-empting someone's mail), so it is kept under its own key.
        key = hashlib.sha256(f"{sender}\n{message_id}".encode()).hexdigest()
        message_id = f"<sha256.{key}@received>"
        known = TicketMail.objects.filter(message_id=message_id).first()
    if known is not None:
        log.info("mail %s from %s already handled (%s)", message_id, sender, known.outcome)
        return Received(known.outcome, known.ticket_id, duplicate=True)
    automatic = _automatic(message, message_id, sender)
    if automatic:
        log.info("mail %s from %s ignored: %s", message_id, sender, automatic)
        return _record(message_id, MailOutcome.IGNORED, sender)
    user = User.objects.filter(email__iexact=sender, is_active=True).first()
    if user is None:
        _answer_unknown(sender, message)
        log.info("mail %s from unknown sender %s answered, no ticket", message_id, sender)
        return _record(message_id, MailOutcome.ANSWERED, sender)
    try:
        # Errors are worded when raised: in the sender's language, as the answer that carries them.
        with translation.override(_language(message, user)), transaction.atomic():
            mail = TicketMail.objects.create(message_id=message_id, outcome=MailOutcome.TICKET, sender=sender)
            ticket = _thread(message)
            if ticket is not None:
                _reply(user, ticket, message)
                mail.outcome = MailOutcome.REPLY
            else:
                ticket = _new_ticket(user, message, recipients)
            mail.ticket = ticket
            mail.save(update_fields=["outcome", "ticket"])
    except IntegrityError:
        # The same mail arrived twice at once (listener and mailbox): the other one took it.
        return Received(MailOutcome.TICKET, duplicate=True)
    except CanalError as error:
        _answer(user, message, error)
        log.info("mail %s from %s answered, not taken: %s", message_id, sender, error.code)
        return _record(message_id, MailOutcome.ANSWERED, sender)
    log.info("mail %s from %s: %s on ticket %s", message_id, sender, mail.outcome, ticket.number)
    return Received(mail.outcome, ticket.pk)


def _record(message_id: str, outcome: str, sender: str) -> Received:
    try:
        TicketMail.objects.create(message_id=message_id, outcome=outcome, sender=sender)
    except IntegrityError:
        return Received(outcome, duplicate=True)
    return Received(outcome)


def _parse(raw: bytes) -> tuple[EmailMessage, str]:
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        senders = getaddresses([str(value) for value in message.get_all("From", [])])
    except Exception as error:  # the email package raises many kinds on broken headers
        log.warning("mail refused: unreadable headers (%s)", error)
        raise MailRefused("unreadable headers") from None
    addresses = [address.strip().lower() for _name, address in senders if "@" in address]
    # RFC 5321 allows 254 characters: a longer address fits no column and is no real sender.
    if len(addresses) != 1 or len(addresses[0]) > 254 or any(ord(char) < 33 for char in addresses[0]):
        log.warning("mail refused: no single sender address in From (%r)", message.get("From"))
        raise MailRefused("no single sender address in From")
    try:
        _body(message)
    except (LookupError, UnicodeError, AttributeError, KeyError) as error:
        log.warning("mail refused from %s: unreadable body (%s)", addresses[0], error)
        raise MailRefused("unreadable body") from None
    return message, addresses[0]  # type: ignore[return-value]


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except LookupError:
        # A charset Python does not know ("unknown-8bit", a typo): the text is still mostly readable.
        text = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    return html_text(text) if part.get_content_subtype() == "html" else text


def html_text(html: str) -> str:
    """The text a reader sees in an HTML-only mail: no scripts, styles or comments, entities decoded, a
    line per paragraph, break or list item. The result is stored as plain text and escaped when shown."""
    try:
        root = lxml_html.document_fromstring(html, parser=HTML_PARSER)
    except (etree.ParserError, ValueError):  # empty, or only what the parser drops
        return ""
    etree.strip_elements(root, *HTML_HIDDEN, with_tail=False)
    for element in root.iter(etree.Element):
        # Source line breaks are spaces in HTML; <br> and block ends are the lines a reader sees.
        if element.tag != "pre":
            element.text = re.sub(r"\s+", " ", element.text) if element.text else element.text
        element.tail = re.sub(r"\s+", " ", element.tail) if element.tail else element.tail
        if element.tag in HTML_BLOCKS:
            element.text = "\n" + (element.text or "")
        if element.tag == "br" or element.tag in HTML_BLOCKS:
            element.tail = "\n" + (element.tail or "")
        elif element.tag in ("td", "th"):
            element.tail = " " + (element.tail or "")
    lines = (line.strip() for line in root.text_content().splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _automatic(message: EmailMessage, message_id: str, sender: str) -> str:
    """Why the mail is an automatic one or our own (then never a ticket nor an answer), or ""."""
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in AUTOMATIC_PRECEDENCE:
        return f"Precedence: {precedence}"
    for header in AUTOMATIC_HEADERS:
        if message.get(header) is not None:
            return header
    if message.get_content_type() == "multipart/report":
        return "delivery report"
    if mail_ids.is_ours(message_id):
        return "our own Message-ID"
    if sender.partition("@")[0] in MAIL_SERVER_MAILBOXES:
        return "sent by a mail server"
    if SupportAddress.objects.filter(email__iexact=sender).exists():
        return "sent by a support address"
    return ""


def _recipients(message: EmailMessage, envelope: tuple[str, ...]) -> list[str]:
    values = [str(value) for header in ("To", "Cc") for value in message.get_all(header, [])]
    return [address.lower() for _name, address in getaddresses(values) if address] + [
        address.lower() for address in envelope
    ]


def _thread(message: EmailMessage) -> Ticket | None:
    """The ticket the mail answers: by In-Reply-To/References, else by the number in the subject."""
    references = mail_ids.message_ids(message["In-Reply-To"]) + mail_ids.message_ids(message["References"])
    if references:
        mail = (
            TicketMail.objects.filter(message_id__in=references[:100], ticket__isnull=False)
            .select_related("ticket")
            .order_by("-created_at", "-id")
            .first()
        )
        if mail is not None:
            return mail.ticket
    found = SUBJECT_NUMBER.search(str(message.get("Subject", "")))
    if found is None:
        return None
    number = int(found.group(1) or found.group(2))
    ticket = Ticket.objects.filter(number=f"TCK-{number:06d}").first()
    if ticket is None:
        raise NotFound(_("No ticket with this number is yours; write without it to open a new one."))
    return ticket


def _actors(user: User) -> list[Actor]:
    organisation_ids = (
        Membership.objects.filter(user=user).values_list("organisation_id", flat=True).distinct()
    )
    return [actor_for(user, organisation_id) for organisation_id in organisation_ids]


def _reply_text(text: str) -> str:
    """The new part of a reply: without the quoted mail below it."""
    quote = QUOTE_HEADER.search(text)
    if quote is not None:
        text = text[: quote.start()]
    return "\n".join(line for line in text.splitlines() if not line.startswith(">")).strip()


def _attachments(message: EmailMessage) -> list[SimpleUploadedFile]:
    parts = list(message.iter_attachments())
    # The portal's limit of files per request (Django's DATA_UPLOAD_MAX_NUMBER_FILES) holds for mail too.
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    if limit is not None and len(parts) > limit:
        raise RuleViolation(
            _("A mail may carry at most %(max)s attachments; send the others in a reply to the ticket.")
            % {"max": limit},
            code="too_many_attachments",
            field="attachment",
        )
    uploads = []
    for part in parts:
        content = part.get_payload(decode=True) or b""
        # The sender's file name is shown and stored: no NUL (PostgreSQL refuses it) nor line breaks.
        name = "".join(char for char in part.get_filename() or "" if char.isprintable())
        uploads.append(SimpleUploadedFile(name or "attachment", content))
    return uploads


def _reply(user: User, ticket: Ticket, message: EmailMessage) -> None:
    """A public reply by whoever may write in the ticket (support, the customer, the requesting partner)."""
    for actor in _actors(user):
        try:
            ticket_for(actor, ticket.pk)
        except NotFound:
            continue
        tickets.reply(
            actor=actor,
            ticket_id=ticket.pk,
            body=_reply_text(_body(message)),
            attachments=_attachments(message),
        )
        return
    raise NotFound(_("No ticket with this number is yours; write without it to open a new one."))


def _fields(text: str) -> dict[str, str]:
    """The partner template's "Service:", "Organisation id:" and "Customer e-mail:" lines."""
    found: dict[str, str] = {}
    for match in FIELD_LINE.finditer(text):
        label, value = match["label"].lower(), match["value"]
        if "mail" in label or "correo" in label:
            found.setdefault("customer_email", value)
        elif label.endswith("id") or " id " in f"{label} ":
            found.setdefault("account_ref", value)
        elif "servic" in label:
            found.setdefault("service", value)
    return found


def _new_ticket(user: User, message: EmailMessage, envelope: tuple[str, ...]) -> Ticket:
    addresses = _recipients(message, envelope)
    found = list(SupportAddress.objects.filter(email__in=addresses).select_related("vendor"))
    vendors = sorted({row.vendor.name for row in found})
    if len(vendors) > 1:
        # A ticket belongs to one vendor: choosing one would silently drop the mail for the others.
        raise RuleViolation(
            _(
                "This mail is addressed to the support of several vendors (%(vendors)s); "
                "write to each separately."
            )
            % {"vendors": ", ".join(vendors)},
            code="several_vendors",
        )
    address = found[0] if found else None
    if address is None:
        raise RuleViolation(
            _("Write to your region's support address to open a ticket."), code="no_support_address"
        )
    vendor = address.vendor
    text = _body(message).strip()
    title = str(message.get("Subject", "")).strip() or (text.splitlines() or [""])[0]
    actors = _actors(user)
    partner = next((actor for actor in actors if actor.kind == OrganisationKind.PARTNER), None)
    if partner is not None:
        return _partner_ticket(partner, vendor.pk, title[:200], text, _attachments(message))
    customer = next(
        (
            actor
            for actor in actors
            if actor.kind == OrganisationKind.CUSTOMER
            and servers_for_ticket(actor.organisation.pk, vendor.pk).exists()
        ),
        None,
    )
    if customer is None:
        raise RuleViolation(
            _("Tickets by e-mail are opened by %(vendor)s's customers and partners.")
            % {"vendor": vendor.name},
            code="not_a_customer",
        )
    category = intake.intake_category(vendor)
    uploads = _attachments(message)
    servers = list(servers_for_ticket(customer.organisation.pk, vendor.pk)[:2])
    return tickets.create_ticket(
        actor=customer,
        attachments=_checked(uploads),
        customer=customer.organisation,
        vendor_id=vendor.pk,
        category=category,
        subscription=servers[0] if len(servers) == 1 else None,
        title=tickets._text(title[:200], field="title", required=_("Enter a subject."), max_length=200),
        description=tickets._text(
            text, field="description", required=_("Describe the problem."), max_length=tickets.MAX_TEXT
        ),
        channel=Channel.EMAIL,
    )


def _checked(uploads: list[SimpleUploadedFile]) -> list[SimpleUploadedFile]:
    for upload in uploads:
        files.check_attachment(upload)
    return uploads


def _partner_ticket(actor: Actor, vendor_id: int, title: str, text: str, uploads: list) -> Ticket:
    """R5.7: a partner's mail names its client in the template's lines, like the form's fields."""
    fields = _fields(text)
    service = fields.get("service", "").strip().lower()
    products = intake.services_for(actor).filter(vendor_id=vendor_id)
    product = (
        next(
            (item for item in products if service and service in {item.name.lower(), item.code.lower()}), None
        )
        or products.first()
    )  # without a "Service:" line the ticket is about the vendor, not one product
    if product is None:
        raise RuleViolation(_("No service with this id."), code="not_found")
    return intake.open_partner_ticket(
        actor=actor,
        product_id=product.pk,
        account_ref=fields.get("account_ref", ""),
        customer_email=fields.get("customer_email", ""),
        title=title,
        description=text,
        centre=intake.GENERAL,  # the document: every user of the partner may write to the address
        attachments=uploads,
        channel=Channel.EMAIL,
    )


def _language(message: EmailMessage, user: User | None = None) -> str:
    if user is not None:
        return tell._language(user)
    wanted = str(message.get("Content-Language", "")).strip().lower()[:2]
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _answer_headers(message: EmailMessage) -> dict[str, str]:
    # RFC 3834: an automatic answer says so, so that the other side's responders do not answer it back.
    # Our domain in its Message-ID: should it come back (a responder quoting it), it is seen as a loop.
    headers = {
        "Auto-Submitted": "auto-replied",
        "Message-ID": make_msgid(domain=settings.MAIL_MESSAGE_ID_DOMAIN),
    }
    original = mail_ids.message_ids(message["Message-ID"])
    if original:
        headers |= {"In-Reply-To": original[0], "References": original[0]}
    return headers


def _answer(user: User, message: EmailMessage, error: CanalError) -> None:
    language = _language(message, user)
    with translation.override(language):
        reason = str(error.message)
    send_email(
        to=[user.email],
        template="support/email/intake_not_taken",
        context={"user": user, "subject": str(message.get("Subject", "")), "reason": reason},
        language=language,
        headers=_answer_headers(message),
    )


def _answer_unknown(address: str, message: EmailMessage) -> bool:
    """One polite answer per address and MAIL_UNKNOWN_ANSWER_HOURS; True when one was sent."""
    now = timezone.now()
    with transaction.atomic():
        row, created = UnknownSenderAnswer.objects.select_for_update().get_or_create(
            address=address, defaults={"answered_at": now}
        )
        if not created:
            if now - row.answered_at < timedelta(hours=settings.MAIL_UNKNOWN_ANSWER_HOURS):
                return False
            row.answered_at = now
            row.save(update_fields=["answered_at"])
        send_email(
            to=[address],
            template="support/email/intake_unknown_sender",
            context={"subject": str(message.get("Subject", "")), "site": settings.SITE_URL},
            language=_language(message),
            headers=_answer_headers(message),
        )
    return True
