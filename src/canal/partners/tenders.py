"""R4.14, R4.18: requests for offers. Anyone posts one for free (confirmed by e-mail, rate-limited, with
a honeypot against robots); partners who opted in get an excerpt; a partner opening it sees the contact
details only while it is open and may send one proposal; the author withdraws it with the e-mailed link,
effective at once, and chooses among proposals with the same link."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind
from canal.core import audit
from canal.core.errors import Conflict, NotFound, RuleViolation
from canal.core.state_machine import machine
from canal.partners import notices
from canal.partners.models import PartnerProfile, Proposal, ProposalStatus, Tender, TenderStatus

# At most this many requests per contact e-mail in a day: posting is free, so it must not be a spam relay.
TENDERS_PER_EMAIL_PER_DAY = 3
EXCERPT_LENGTH = 200

TENDER = machine(
    "tender",
    {
        TenderStatus.UNCONFIRMED: {TenderStatus.OPEN, TenderStatus.WITHDRAWN},
        TenderStatus.OPEN: {TenderStatus.WITHDRAWN, TenderStatus.CLOSED},
    },
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def excerpt(tender: Tender) -> str:
    text = " ".join(tender.description.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def post_tender(
    *,
    actor: Actor | None,
    title: str,
    description: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    region: str = "",
    language: str = "",
    honeypot: str = "",
) -> Tender | None:
    """Stores the request unconfirmed and mails its author the confirmation and withdrawal links.
    A filled honeypot (a field people never see) means a robot: nothing is stored, and nothing tells it."""
    if honeypot:
        return None
    title, description = title.strip(), description.strip()
    contact_email = contact_email.strip().lower()
    for field, value in (("title", title), ("description", description), ("contact_name", contact_name)):
        if not value.strip():
            raise RuleViolation(_("This field is required."), field=field)
    if "@" not in contact_email:
        raise RuleViolation(
            _("Give an e-mail address: the confirmation link is sent there."), field="contact_email"
        )
    since = timezone.now() - timedelta(days=1)
    if (
        Tender.objects.filter(contact_email=contact_email, created_at__gte=since).count()
        >= TENDERS_PER_EMAIL_PER_DAY
    ):
        raise RuleViolation(
            _("You posted %(count)s requests today; post again tomorrow or withdraw one.")
            % {"count": TENDERS_PER_EMAIL_PER_DAY},
            code="rate_limited",
            field="contact_email",
        )
    confirm, withdraw_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with transaction.atomic():
        tender = Tender.objects.create(
            title=title,
            description=description,
            contact_name=contact_name.strip(),
            contact_email=contact_email,
            contact_phone=contact_phone.strip(),
            region=region.strip(),
            language=language.strip(),
            author_organisation=actor.organisation if actor is not None else None,
            confirm_digest=_digest(confirm),
            withdraw_digest=_digest(withdraw_token),
        )
        audit.record(actor=actor, action="tender.posted", obj=tender, after={"title": title})
        language_code = notices.language_of(
            actor.user if actor else None, actor.organisation if actor else None
        )
        notices.mail_address(
            contact_email,
            "tender_posted",
            {
                "tender": tender,
                "confirm_link": notices.absolute(reverse("partners:tender_confirm", args=[confirm])),
                "author_link": notices.absolute(reverse("partners:tender_author", args=[withdraw_token])),
            },
            language or language_code,
        )
    return tender


def confirm_tender(*, token: str) -> Tender:
    """The author's e-mail confirms the request; it opens and opted-in partners get the excerpt."""
    with transaction.atomic():
        tender = Tender.objects.select_for_update().filter(confirm_digest=_digest(token)).first()
        if tender is None:
            raise NotFound(_("This confirmation link is not valid."), field="token")
        if tender.status != TenderStatus.UNCONFIRMED:
            return tender
        publish(tender)
    return tender


def publish(tender: Tender) -> None:
    """Opens a confirmed request and sends the excerpt to the partners who opted in (inside the caller's
    transaction)."""
    TENDER.transition(tender, TenderStatus.OPEN, actor=None, extra={"opened_at": timezone.now()})
    for profile in PartnerProfile.objects.filter(
        receives_tenders=True, organisation__kind=OrganisationKind.PARTNER
    ).select_related("organisation"):
        notices.tell(
            profile.organisation,
            "tender_excerpt",
            {"tender": tender, "excerpt": excerpt(tender)},
            message=gettext_noop("A new request for offers"),
            url=reverse("partners:tender", args=[tender.pk]),
        )


def _tender_for_author(token: str) -> Tender:
    tender = Tender.objects.select_for_update().filter(withdraw_digest=_digest(token)).first()
    if tender is None:
        raise NotFound(_("This link is not valid."), field="token")
    return tender


def tender_for_author(token: str) -> Tender:
    with transaction.atomic():
        return _tender_for_author(token)


def withdraw_tender(*, token: str) -> Tender:
    """Effective at once: partners no longer see it, nor its contact details."""
    with transaction.atomic():
        tender = _tender_for_author(token)
        TENDER.transition(tender, TenderStatus.WITHDRAWN, actor=None, extra={"closed_at": timezone.now()})
    return tender


def _open_tender_for_partner(actor: Actor, tender_id: int) -> Tender:
    if (
        actor.kind != OrganisationKind.PARTNER
        or not PartnerProfile.objects.filter(organisation=actor.organisation).exists()
    ):
        raise NotFound(_("No tender with this id."), field="tender")
    tender = Tender.objects.filter(pk=tender_id, status=TenderStatus.OPEN).first()
    if tender is None:
        raise NotFound(_("No open tender with this id."), field="tender")
    return tender


def send_proposal(*, actor: Actor, tender_id: int, message: str) -> Proposal:
    """R4.18: one proposal per partner and tender, while it is open; the author is mailed it."""
    message = message.strip()
    if not message:
        raise RuleViolation(_("Write your proposal, adapted to the request."), field="message")
    with transaction.atomic():
        tender = _open_tender_for_partner(actor, tender_id)
        if Proposal.objects.filter(tender=tender, partner=actor.organisation).exists():
            raise Conflict(_("You already sent a proposal for this request."), field="tender")
        proposal = Proposal.objects.create(
            tender=tender, partner=actor.organisation, message=message, created_by=actor.user
        )
        audit.record(actor=actor, action="proposal.sent", obj=proposal, after={"tender": tender.pk})
        notices.mail_address(
            tender.contact_email,
            "proposal_received",
            {"tender": tender, "proposal": proposal, "partner": actor.organisation},
            tender.language or notices.language_of(None, tender.author_organisation),
        )
    return proposal


def choose_proposal(*, token: str, proposal_id: int) -> Proposal:
    """R4.18: the author decides the next step: it picks a partner's proposal; the request closes."""
    with transaction.atomic():
        tender = _tender_for_author(token)
        proposal = tender.proposals.select_related("partner").filter(pk=proposal_id).first()
        if proposal is None:
            raise NotFound(_("No proposal with this id."), field="proposal")
        TENDER.transition(tender, TenderStatus.CLOSED, actor=None, extra={"closed_at": timezone.now()})
        proposal.status = ProposalStatus.CHOSEN
        proposal.save(update_fields=["status"])
        audit.record(
            actor=None, action="proposal.chosen", obj=proposal, after={"status": ProposalStatus.CHOSEN}
        )
        notices.tell(
            proposal.partner,
            "proposal_chosen",
            {"tender": tender, "proposal": proposal},
            message=gettext_noop("Your proposal was chosen"),
            url=reverse("partners:tender", args=[tender.pk]),
        )
    return proposal
