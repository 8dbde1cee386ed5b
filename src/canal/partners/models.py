from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from canal.accounts.models import AccessLevel, PaymentMode

MAX_PARTNER_RATE = Decimal("0.35")  # R4.3: discounts of up to 35 %
RATE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_PARTNER_RATE)]


class ProgrammeLevel(models.Model):
    """A level of the partner programme (R4.3): the partner discount and the cashback rate it gives."""

    operator = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("operator"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    discount_rate = models.DecimalField(
        _("partner discount rate"),
        max_digits=5,
        decimal_places=4,
        validators=RATE_VALIDATORS,
        help_text=_("A fraction: 0.20 is 20 %."),
    )
    cashback_rate = models.DecimalField(
        _("cashback rate"),
        max_digits=5,
        decimal_places=4,
        validators=RATE_VALIDATORS,
        help_text=_("A fraction: 0.10 is 10 %."),
    )
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)

    class Meta:
        verbose_name = _("programme level")
        verbose_name_plural = _("programme levels")
        ordering = ["rank", "code"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "code"], name="programme_level_code_unique"),
            models.CheckConstraint(
                condition=models.Q(discount_rate__gte=0, discount_rate__lte=MAX_PARTNER_RATE),
                name="programme_level_discount_within_35_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(cashback_rate__gte=0, cashback_rate__lte=MAX_PARTNER_RATE),
                name="programme_level_cashback_within_35_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerProfile(models.Model):
    """A partner organisation's place in the programme."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="partner_profile",
    )
    level = models.ForeignKey(
        ProgrammeLevel, verbose_name=_("programme level"), on_delete=models.PROTECT, related_name="partners"
    )
    website = models.URLField(_("website"), blank=True)
    listed_in_directory = models.BooleanField(_("listed in the partner directory"), default=False)
    receives_tenders = models.BooleanField(_("receives tenders"), default=False)
    # R4.15: what the public directory shows and searches.
    description = models.TextField(_("description"), blank=True, max_length=2000)
    regions = models.CharField(_("regions served"), max_length=200, blank=True)
    languages = models.CharField(_("languages spoken"), max_length=100, blank=True)
    products = models.CharField(_("products offered"), max_length=300, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner profile")
        verbose_name_plural = _("partner profiles")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.level})"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PartnerApplication(models.Model):
    """R4.1: a company asks to join the partner programme; the operator approves it with a level or
    rejects it with a reason."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="partner_applications",
    )
    registered_id = models.CharField(_("registered company id"), max_length=40)
    website = models.URLField(_("website"), max_length=200)
    yearly_volume = models.DecimalField(_("expected yearly volume"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    terms_accepted_at = models.DateTimeField(_("reseller terms accepted at"))
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    level = models.ForeignKey(
        ProgrammeLevel,
        verbose_name=_("programme level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner application")
        verbose_name_plural = _("partner applications")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(status="pending"), name="one_pending_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"


class AffiliateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class Affiliate(models.Model):
    """An organisation in the affiliate programme: it earns on referrals through its code. R4.2: an
    affiliate cannot be a partner, nor the other way round."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("affiliate"),
        on_delete=models.CASCADE,
        related_name="affiliate",
    )
    referral_code = models.CharField(_("referral code"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AffiliateStatus.choices, default=AffiliateStatus.ACTIVE
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("affiliate")
        verbose_name_plural = _("affiliates")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.referral_code})"


class InvitationDirection(models.TextChoices):
    TO_CLIENT = "to_client", _("Partner invites a client")
    TO_PARTNER = "to_partner", _("Client invites a partner")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """R4.4: a proposed partnership, from the partner to a client (by e-mail) or from a client to a
    partner found in the directory. The link carries a single-use token; only its digest is stored."""

    direction = models.CharField(_("direction"), max_length=12, choices=InvitationDirection.choices)
    partner = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    client = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    email = models.EmailField(_("invited e-mail"))
    access = models.CharField(_("access"), max_length=10, choices=AccessLevel.choices)
    payment_mode = models.CharField(_("who pays"), max_length=10, choices=PaymentMode.choices)
    product_codes = models.JSONField(_("products"), default=list, blank=True)
    message = models.CharField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    sent_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    last_sent_at = models.DateTimeField(_("last sent at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    relationship = models.ForeignKey(
        "accounts.ClientRelationship",
        verbose_name=_("relationship"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner} ↔ {self.client or self.email}"


class TenderStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    # A status, not the verb: "Abierta" (una licitación), not "Abrir".
    OPEN = "open", pgettext_lazy("tender status", "Open")
    WITHDRAWN = "withdrawn", pgettext_lazy("tender status", "Withdrawn")
    CLOSED = "closed", pgettext_lazy("tender status", "Closed")


class Tender(models.Model):
    """R4.14: a request for offers anyone posts for free; opted-in partners get an excerpt, and the
    contact details only while it is open. The author withdraws it with the link sent by e-mail."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    region = models.CharField(_("region"), max_length=80, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    author_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TenderStatus.choices, default=TenderStatus.UNCONFIRMED
    )
    confirm_digest = models.CharField(_("confirmation token digest"), max_length=64, unique=True)
    withdraw_digest = models.CharField(_("withdrawal token digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProposalStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    CHOSEN = "chosen", _("Chosen")


class Proposal(models.Model):
    """R4.18: a partner's answer to a tender, adapted to the request; the author chooses among them."""

    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="proposals"
    )
    partner = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("proposal"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.SENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["tender", "partner"], name="one_proposal_per_partner")]

    def __str__(self) -> str:
        return f"{self.partner} → {self.tender}"


class SupportAccess(models.Model):
    """R4.16: a customer lets support staff into its services for a number of hours; revocable."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="support_accesses",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(_("until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support access")
        verbose_name_plural = _("support accesses")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.expires_at:%Y-%m-%d %H:%M}"
