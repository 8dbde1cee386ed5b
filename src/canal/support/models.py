"""The support desk: tickets paid in credits (R2.10-R2.12, R2.17, R2.18), their conversation and files,
help that solved a problem before a ticket was opened (R2.11), and support packs bought (R2.13).

Credits never live here: the balance is billing's support-credit ledger account, and a ticket only
remembers what it was quoted and what was debited for it. Severity, due times and the inbound channel
are columns already so that priority support (SLA) can build on the same ticket and state machine.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TicketStatus(models.TextChoices):
    """R2.10. Pending covers both "waiting for a quote" and "quoted, waiting for the customer"."""

    PENDING = "pending", _("Pending")
    ASSIGNED = "assigned", _("Assigned")
    FINISHED = "finished", _("Finished")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    REJECTED = "rejected", _("Rejected")
    # R5.6: on hold while support waits for the customer or partner; the SLA clock is paused.
    WAITING = "waiting", _("Waiting for the customer")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")


class Ticket(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    customer = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="tickets"
    )
    vendor = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        related_name="support_tickets",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "catalog.TicketCategory", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    subscription = models.ForeignKey(
        "subscriptions.Subscription",
        verbose_name=_("server or subscription"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.PENDING, db_index=True
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned agent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    licensed = models.BooleanField(_("licensed customer when opened"), default=False)
    quoted_credits = models.PositiveIntegerField(_("quoted credits"), null=True, blank=True)
    quote_reason = models.CharField(_("reason for a non-standard quote"), max_length=300, blank=True)
    quoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quoted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quoted_at = models.DateTimeField(_("quoted at"), null=True, blank=True)
    charged_credits = models.PositiveIntegerField(_("credits debited"), default=0)
    refunded_credits = models.PositiveIntegerField(_("credits given back"), default=0)
    channel = models.CharField(_("opened through"), max_length=20, choices=Channel.choices, default="portal")
    # Priority support (SLA) fills these; the support desk itself leaves them empty.
    severity = models.CharField(_("severity"), max_length=30, blank=True)
    first_response_due_at = models.DateTimeField(_("first response due by"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due by"), null=True, blank=True)
    determination_due_at = models.DateTimeField(_("problem determination due by"), null=True, blank=True)
    # R5.6: warnings at the document's lower bounds, the next public update due ("timely updates"), and
    # the pause while the ticket waits for the customer (resuming shifts every due time by the pause).
    first_response_warn_at = models.DateTimeField(_("first response warning at"), null=True, blank=True)
    determination_warn_at = models.DateTimeField(_("problem determination warning at"), null=True, blank=True)
    resolution_warn_at = models.DateTimeField(_("resolution warning at"), null=True, blank=True)
    update_due_at = models.DateTimeField(_("next public update due by"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first public reply of support at"), null=True, blank=True)
    sla_paused_at = models.DateTimeField(_("SLA clock paused since"), null=True, blank=True)
    held_status = models.CharField(_("status before waiting"), max_length=20, blank=True)
    # Priority support (issue 13, R5.2, R5.4, R5.5): who the ticket is about and what was found.
    customer_email = models.EmailField(_("customer's primary e-mail"), max_length=254, blank=True)
    account_ref = models.CharField(_("organisation or group id"), max_length=120, blank=True)
    large_account = models.BooleanField(_("priority customer: large account"), default=False)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    last_public_reply_at = models.DateTimeField(_("last public reply at"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer", "status"]), models.Index(fields=["vendor", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded_credits__lte=models.F("charged_credits")), name="ticket_refund_le_charge"
            )
        ]

    def __str__(self) -> str:
        return self.number or f"TCK-{self.pk}"

    @property
    def is_quoted(self) -> bool:
        return self.quoted_credits is not None

    def get_severity_label(self) -> str:
        """The severity's name ("S1-Critical"), or empty while the ticket is unclassified."""
        return str(Severity(self.severity).label) if self.severity in Severity.values else ""


class MessageKind(models.TextChoices):
    PUBLIC = "public", _("Public reply")
    INTERNAL = "internal", _("Internal note")


class TicketMessage(models.Model):
    """R2.17: one entry of the conversation; internal notes are never shown to the customer."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    from_support = models.BooleanField(_("written by support"), default=False)
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices, default=MessageKind.PUBLIC)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket} #{self.pk}"


def attachment_path(attachment: "Attachment", filename: str) -> str:
    return f"support/{attachment.ticket.customer_id}/{attachment.ticket_id}/{filename}"


class Attachment(models.Model):
    """A checked file on a ticket or one of its messages, served only as a download to those who see it."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        TicketMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class Deflection(models.Model):
    """R2.11: a category's help solved the problem, so no ticket was opened."""

    category = models.ForeignKey(
        "catalog.TicketCategory", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("solved by the help")
        verbose_name_plural = _("solved by the help")

    def __str__(self) -> str:
        return f"{self.category} ({self.organisation})"


class PackPurchaseStatus(models.TextChoices):
    # "una compra": Spanish needs the feminine ("Cancelada"), and "Credited" here means credits added.
    AWAITING_PAYMENT = "awaiting_payment", pgettext_lazy("pack purchase status", "Awaiting payment")
    CREDITED = "credited", pgettext_lazy("pack purchase status", "Credited")
    CANCELLED = "cancelled", pgettext_lazy("pack purchase status", "Cancelled")


class PackPurchase(models.Model):
    """R2.13: a support pack bought through checkout; its credits arrive once, when the invoice is paid."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="support_pack_purchases",
    )
    pack = models.ForeignKey(
        "catalog.SupportPack", verbose_name=_("pack"), on_delete=models.PROTECT, related_name="+"
    )
    credits = models.PositiveIntegerField(_("credits"))
    invoice = models.ForeignKey(
        "billing.Invoice",
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pay_with = models.CharField(_("paid with"), max_length=20)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PackPurchaseStatus.choices,
        default=PackPurchaseStatus.AWAITING_PAYMENT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bought by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("bought at"), auto_now_add=True)
    credited_at = models.DateTimeField(_("credited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("support pack purchase")
        verbose_name_plural = _("support pack purchases")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pack} ({self.organisation})"


class Severity(models.TextChoices):
    """R5.4: a large account's ticket is S1 on receipt; the others take the vendor's default."""

    S1 = "s1", _("S1-Critical")
    S2 = "s2", _("S2-High")
    S3 = "s3", _("S3-Medium")
    S4 = "s4", _("S4-Low")


class PrioritySupport(models.Model):
    """A vendor's priority support configuration (R5.1, R5.3): its default severity and the products whose
    licenses do not count (billed by contacts, rows, visitors, credits...)."""

    vendor = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("vendor"),
        on_delete=models.CASCADE,
        related_name="priority_support_config",
    )
    default_severity = models.CharField(
        _("default severity"), max_length=30, choices=Severity.choices, default=Severity.S3
    )
    excluded_products = models.ManyToManyField(
        "catalog.Product",
        verbose_name=_("products excluded from priority support"),
        blank=True,
        related_name="+",
    )
    # The business calendar SLA targets may count on (R5.6): seven entries, Monday first, each
    # ["HH:MM", "HH:MM" or null for midnight] or null for a closed day; holidays from ``country``.
    time_zone = models.CharField(_("time zone"), max_length=60, default="UTC")
    opening_hours = models.JSONField(_("opening hours"), default=list, blank=True)
    country = models.CharField(_("country for public holidays"), max_length=2, blank=True)
    # Extra closed dates of the calendar (ISO dates), besides the country's public holidays.
    closed_dates = models.JSONField(_("extra closed dates"), default=list, blank=True)
    # R5.6: who hears about breaches, in the app and by e-mail; empty: the vendor's agents and admins.
    escalation_contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("escalation contacts"), blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("priority support configuration")
        verbose_name_plural = _("priority support configurations")

    def __str__(self) -> str:
        return str(self.vendor)


class RegionTier(models.Model):
    """R5.1: the user-license count from which a customer of ``region`` is a large account. An empty
    region is the tier of every region without its own."""

    config = models.ForeignKey(
        PrioritySupport, verbose_name=_("configuration"), on_delete=models.CASCADE, related_name="tiers"
    )
    region = models.CharField(_("region"), max_length=40, blank=True)
    threshold = models.PositiveIntegerField(_("user licenses from"))

    class Meta:
        verbose_name = _("region tier")
        verbose_name_plural = _("region tiers")
        ordering = ["region"]
        constraints = [models.UniqueConstraint(fields=["config", "region"], name="region_tier_unique")]

    def __str__(self) -> str:
        return f"{self.region or '*'} ≥ {self.threshold}"


class SlaTarget(models.Model):
    """R5.6: the three targets of one severity, in minutes, on the 24x7 clock or the vendor's business
    calendar. The document's S1 upper bounds: first response 3 h, determination 8 h, resolution 48 h."""

    config = models.ForeignKey(
        PrioritySupport, verbose_name=_("configuration"), on_delete=models.CASCADE, related_name="targets"
    )
    severity = models.CharField(_("severity"), max_length=30, choices=Severity.choices)
    first_response_minutes = models.PositiveIntegerField(_("first response within (minutes)"))
    determination_minutes = models.PositiveIntegerField(_("problem determination within (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (minutes)"))
    business_hours = models.BooleanField(_("counted in business hours"), default=False)
    # Warnings at the lower bounds (the document's S1: 1 h, 2 h, 24 h); null: no warning.
    first_response_warn_minutes = models.PositiveIntegerField(
        _("first response warning after (minutes)"), null=True, blank=True
    )
    determination_warn_minutes = models.PositiveIntegerField(
        _("problem determination warning after (minutes)"), null=True, blank=True
    )
    resolution_warn_minutes = models.PositiveIntegerField(
        _("resolution warning after (minutes)"), null=True, blank=True
    )
    # "Timely updates": an open ticket gets a public reply from support at least this often; null: none.
    update_minutes = models.PositiveIntegerField(
        _("public update at least every (minutes)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["severity"]
        constraints = [models.UniqueConstraint(fields=["config", "severity"], name="sla_target_unique")]

    def __str__(self) -> str:
        return f"{self.config} {self.severity}"


class SlaPhase(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    DETERMINATION = "determination", _("Problem determination")
    RESOLUTION = "resolution", _("Resolution")
    UPDATE = "update", _("Timely update")


class SlaEventKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    BREACH = "breach", _("Breach")


class SlaBreach(models.Model):
    """R5.6: one phase of one ticket reached its warning or missed its due time. The unique constraints
    make flagging happen once: per ticket, phase and kind; for timely updates, once per missed due time."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="breaches"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=SlaPhase.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=SlaEventKind.choices, default="breach")
    due_at = models.DateTimeField(_("was due by"))
    flagged_at = models.DateTimeField(_("flagged at"))

    class Meta:
        verbose_name = _("SLA breach")
        verbose_name_plural = _("SLA breaches")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "phase", "kind"], condition=~Q(phase="update"), name="sla_event_once"
            ),
            models.UniqueConstraint(
                fields=["ticket", "phase", "kind", "due_at"],
                condition=Q(phase="update"),
                name="sla_update_event_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.phase} {self.kind}"


class PriorityAccess(models.Model):
    """R5.8: a partner user whom the partner's legal representative allowed to use the priority support
    centre. Legal representatives always may; everyone else still has the general form."""

    partner = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("priority support access")
        verbose_name_plural = _("priority support access")
        constraints = [models.UniqueConstraint(fields=["partner", "user"], name="priority_access_once")]

    def __str__(self) -> str:
        return f"{self.partner} {self.user}"


class SupportAddress(models.Model):
    """R5.7: a vendor's regional support address (e.g. one for the Americas and Asia, one for the EU).
    Mail to it becomes a ticket of that vendor; ``regions`` tells partners which address is theirs."""

    vendor = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("vendor"),
        on_delete=models.CASCADE,
        related_name="support_addresses",
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    regions = models.CharField(
        _("regions it serves"), max_length=300, blank=True, help_text=_("Empty: every other region.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support address")
        verbose_name_plural = _("support addresses")
        ordering = ["vendor", "name", "id"]

    def __str__(self) -> str:
        return self.email


class MailOutcome(models.TextChoices):
    TICKET = "ticket", _("New ticket")
    REPLY = "reply", _("Reply on a ticket")
    IGNORED = "ignored", _("Ignored (automatic reply or loop)")
    ANSWERED = "answered", _("Answered, no ticket")
    SENT = "sent", _("Sent by us")


class TicketMail(models.Model):
    """Every mail received, by its Message-ID, so that the same mail twice makes one ticket; and every
    ticket mail we sent, so that a reply's In-Reply-To or References finds its ticket."""

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=MailOutcome.choices)
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mails",
    )
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket mail")
        verbose_name_plural = _("ticket mails")

    def __str__(self) -> str:
        return self.message_id


class UnknownSenderAnswer(models.Model):
    """When an address that is no user's last got the polite answer, so it gets one, not one a mail."""

    address = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("answer to an unknown sender")
        verbose_name_plural = _("answers to unknown senders")

    def __str__(self) -> str:
        return self.address
