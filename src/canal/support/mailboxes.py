"""Regional support addresses (R5.7) and the mailboxes mail arrives in.

A vendor keeps one support address per region (the document: one for the Americas and Asia, one for the
EU); mail to it becomes a ticket of that vendor, and the partner form tells each partner its region's.
In production `canal fetch-mail` reads the IMAP mailbox those addresses deliver to; in development the
SMTP listener (`canal smtp`, `canal.support.smtp`) receives the mail directly. Both hand each mail to
`mail_intake.receive_mail`.
"""

from __future__ import annotations

import imaplib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind, Role
from canal.core import audit
from canal.core.errors import NotFound, RuleViolation
from canal.support.intake import clean_email
from canal.support.mail_intake import MailRefused, receive_mail
from canal.support.models import SupportAddress

log = logging.getLogger("canal.support.mail")
CONFIGURING_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN)
MAX_ADDRESSES = 20


@dataclass(frozen=True)
class AddressIn:
    name: str
    email: str
    regions: str = ""


def addresses_of(actor: Actor) -> QuerySet[SupportAddress]:
    """The acting vendor's support addresses (404 for anyone who is not a vendor)."""
    if actor.kind != OrganisationKind.VENDOR:
        raise NotFound(_("Only a vendor has support addresses."), field="organisation")
    return SupportAddress.objects.filter(vendor=actor.organisation)


def set_addresses(*, actor: Actor, addresses: Sequence[AddressIn]) -> list[SupportAddress]:
    """R5.7: the vendor replaces its regional support addresses; an address belongs to one vendor."""
    current = addresses_of(actor)
    actor.require_role(*CONFIGURING_ROLES)
    if len(addresses) > MAX_ADDRESSES:
        raise RuleViolation(
            _("At most %(max)s support addresses.") % {"max": MAX_ADDRESSES},
            code="too_many",
            field="addresses",
        )
    cleaned: dict[str, AddressIn] = {}
    for item in addresses:
        email = clean_email(item.email, field="addresses")
        name, regions = item.name.strip()[:100], ",".join(part.strip() for part in item.regions.split(","))
        if not email or not name:
            raise RuleViolation(
                _("Give each support address a name (e.g. Americas and Asia) and an e-mail address."),
                code="required",
                field="addresses",
            )
        if email in cleaned:
            raise RuleViolation(
                _("%(email)s is listed twice: keep one.") % {"email": email},
                code="duplicate",
                field="addresses",
            )
        cleaned[email] = AddressIn(name=name, email=email, regions=regions.strip(",")[:300])
    taken = SupportAddress.objects.filter(email__in=cleaned).exclude(vendor=actor.organisation)
    if taken.exists():
        raise RuleViolation(
            _("%(email)s is another vendor's support address: choose an address of your own.")
            % {"email": taken.first().email},
            code="address_taken",
            field="addresses",
        )
    with transaction.atomic():
        before = sorted(current.values_list("email", flat=True))
        current.delete()
        rows = SupportAddress.objects.bulk_create(
            SupportAddress(vendor=actor.organisation, name=item.name, email=item.email, regions=item.regions)
            for item in cleaned.values()
        )
        audit.record(
            actor=actor,
            action="support.addresses_set",
            obj=actor.organisation,
            before={"addresses": before},
            after={"addresses": sorted(cleaned)},
        )
    return rows


class Mailbox(Protocol):
    """The part of `imaplib.IMAP4` that reading a mailbox uses."""

    def uid(self, command: str, *args: str) -> tuple[str, list]: ...


def process_mailbox(mailbox: Mailbox) -> tuple[int, int]:
    """Hands every unseen mail of the selected folder to `receive_mail` and marks it seen once handled
    (refused mail too, with its log line, so it is not refused again each run). A mail whose handling
    failed otherwise stays unseen for the next run. Returns (handled, refused)."""
    handled = refused = 0
    _status, data = mailbox.uid("SEARCH", "UNSEEN")
    for uid in (data[0] or b"").split():
        # PEEK: fetching alone does not mark the mail seen; only handling it does.
        _status, parts = mailbox.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
        raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
        if raw is None:
            continue
        try:
            receive_mail(raw)
        except MailRefused:
            refused += 1
        except Exception:
            # One mail that cannot be handled now (a full disk, a bug) must not hold up the mail behind it
            # on every run: it stays unseen for the next one, its traceback in the log.
            log.exception("mail %s of the mailbox could not be handled; left unseen", uid.decode())
            continue
        else:
            handled += 1
        mailbox.uid("STORE", uid.decode(), "+FLAGS", "(\\Seen)")
    return handled, refused


def fetch_mail() -> tuple[int, int]:
    """Reads the IMAP mailbox of the settings (IMAP_HOST, IMAP_USER, IMAP_PASSWORD, IMAP_FOLDER)."""
    if not settings.IMAP_HOST:
        raise RuleViolation(_("Set IMAP_HOST, IMAP_USER and IMAP_PASSWORD to read a mailbox."), code="imap")
    connect = imaplib.IMAP4_SSL if settings.IMAP_SSL else imaplib.IMAP4
    with connect(settings.IMAP_HOST, settings.IMAP_PORT) as mailbox:
        mailbox.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
        mailbox.select(settings.IMAP_FOLDER)
        handled, refused = process_mailbox(mailbox)
        log.info("fetch-mail: %s handled, %s refused from %s", handled, refused, settings.IMAP_FOLDER)
        return handled, refused
