"""Billing tables: the double-entry ledger, invoices and credit notes, payments, recurring charges.

Rules the database itself keeps (so no code path can break them):
- a value-holding account (prepaid wallet, cashback, support credits) never goes below zero (CHECK);
- an invoice number is unique per series and year, and a recurring charge is billed once per period;
- an issued invoice and its lines cannot change (triggers installed by migration 0002; see docs/billing.md).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from canal.core import stored_text
from canal.core.fields import amount_field, currency_field

# Support credits (R2.12-R2.14) are counted in credits, not money: they use this unit code in the ledger.
CREDITS = "CRD"


class AccountKind(models.TextChoices):
    # Held by an organisation: value it owns and spends, never negative.
    WALLET = "wallet", _("Prepaid wallet")
    CASHBACK = "cashback", _("Cashback")
    SUPPORT_CREDITS = "support_credits", _("Support credits")
    # The operator's claim on one organisation: negative while it owes money.
    RECEIVABLE = "receivable", _("Receivable")
    # The operator's own books ("house" accounts, no organisation).
    REVENUE = "revenue", _("Revenue")
    TAX = "tax", _("Tax payable")
    BANK = "bank", _("Bank clearing")
    CARD = "card", _("Card clearing")
    PARTNER_CASHBACK = "partner_cashback", _("Partner cashback expense")
    CREDITS_ISSUED = "credits_issued", _("Support credits issued")


VALUE_KINDS = frozenset({AccountKind.WALLET, AccountKind.CASHBACK, AccountKind.SUPPORT_CREDITS})
ORGANISATION_KINDS = VALUE_KINDS | {AccountKind.RECEIVABLE}


class Account(models.Model):
    """One ledger account. Balances use one sign convention: positive is value held for the owner.

    Organisation accounts keep their balance on the row, updated under a row lock with every posting.
    House accounts (no organisation) are touched by every invoice, so a maintained balance would make
    every billing transaction wait for one row; their balance is the sum of their postings instead.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    currency = currency_field(_("currency"))
    balance = amount_field(_("balance"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["organisation_id", "kind", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "currency"],
                condition=Q(organisation__isnull=False),
                name="ledger_account_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["kind", "currency"],
                condition=Q(organisation__isnull=True),
                name="ledger_house_account_unique",
            ),
            # The guarantee behind "a balance never goes negative", whatever races above it.
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(VALUE_KINDS)) | Q(balance__gte=0),
                name="ledger_value_account_never_negative",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(kind__in=sorted(ORGANISATION_KINDS)),
                name="ledger_organisation_kinds_have_an_organisation",
            ),
        ]

    def __str__(self) -> str:
        owner = self.organisation or _("house")
        return f"{owner} · {self.get_kind_display()} · {self.currency}"

    @property
    def holds_value(self) -> bool:
        return self.kind in VALUE_KINDS


class EntryReason(models.TextChoices):
    INVOICE = "invoice", _("Invoice issued")
    CREDIT_NOTE = "credit_note", _("Credit note issued")
    PAYMENT = "payment", _("Payment")
    TOP_UP = "top_up", _("Wallet top-up")
    REFUND_TO_WALLET = "refund_to_wallet", _("Refund to wallet")
    CASHBACK = "cashback", _("Partner cashback")
    CASHBACK_REVERSAL = "cashback_reversal", _("Cashback reversed")
    SUPPORT_CREDITS = "support_credits", _("Support credits")
    ADJUSTMENT = "adjustment", _("Adjustment")


class JournalEntry(models.Model):
    """One balanced movement: its postings sum to zero per currency. Append-only."""

    reason = models.CharField(_("reason"), max_length=30, choices=EntryReason.choices)
    # A msgid and its parameters, rendered in the reader's language (`memo_text`); rows booked before
    # memos kept parameters hold their words as written.
    memo = models.CharField(_("memo"), max_length=300)
    memo_params = models.JSONField(_("memo parameters"), default=dict, blank=True)
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True, db_index=True)
    invoice = models.ForeignKey(
        "Invoice",
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journal_entries",
    )
    payment = models.ForeignKey(
        "Payment",
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journal_entries",
    )
    # Documents of other apps (a support ticket, an order) without billing knowing their models.
    document_type = models.CharField(_("document type"), max_length=60, blank=True)
    document_id = models.CharField(_("document id"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-booked_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.memo_text}"

    @property
    def memo_text(self) -> str:
        return stored_text.render(self.memo, self.memo_params)


class Posting(models.Model):
    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("journal entry"), on_delete=models.PROTECT, related_name="postings"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="postings"
    )
    # Signed: positive adds value to the account's owner (see Account).
    amount = amount_field(_("amount"))
    currency = currency_field(_("currency"))

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="ledger_posting_not_zero")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"


class TaxRate(models.Model):
    """The tax charged to buyers in one country, and whether businesses there self-assess it."""

    country = models.CharField(
        _("country"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2 code")
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("As printed on invoices, e.g. IVA."))
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4, help_text=_("0.21 is 21 %."))
    reverse_charge_for_business = models.BooleanField(
        _("reverse charge for businesses abroad"),
        default=False,
        help_text=_(
            "Business buyers in this country with a tax id, invoiced from another country, pay no tax on the "
            "invoice and account for it themselves."
        ),
    )

    class Meta:
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        ordering = ["country"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lt=1), name="tax_rate_between_0_and_1")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.name} {self.rate:%}"


class InvoiceCounter(models.Model):
    """The last number used in one series and year; locked while the next number is taken."""

    series = models.CharField(_("series"), max_length=10)
    year = models.PositiveIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="invoice_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series}{self.year}: {self.last_number}"


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")


class Invoice(models.Model):
    """An invoice or credit note. It lives in the paying organisation (R4.10). Credit notes carry negative
    amounts, so sums over a period net out. Once issued, only the settlement fields may change."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("paid by"), on_delete=models.PROTECT, related_name="invoices"
    )
    customer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("for client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation whose products the invoice is for, when someone else pays."),
    )
    series = models.CharField(_("series"), max_length=10, blank=True)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    code = models.CharField(_("invoice number"), max_length=30, unique=True, null=True, blank=True)
    currency = currency_field(_("currency"))
    language = models.CharField(_("language"), max_length=5, default="es")
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    net = amount_field(_("net"), default=0)
    tax = amount_field(_("tax"), default=0)
    total = amount_field(_("total"), default=0)
    amount_paid = amount_field(_("paid"), default=0)
    amount_credited = amount_field(_("credited"), default=0)
    tax_name = models.CharField(_("tax"), max_length=60, blank=True)
    reverse_charge = models.BooleanField(_("reverse charge"), default=False)
    buyer_name = models.CharField(_("buyer"), max_length=200, blank=True)
    buyer_legal_id = models.CharField(_("buyer tax id"), max_length=40, blank=True)
    buyer_country = models.CharField(_("buyer country"), max_length=2, blank=True)
    seller_name = models.CharField(_("seller"), max_length=200, blank=True)
    seller_legal_id = models.CharField(_("seller tax id"), max_length=40, blank=True)
    seller_country = models.CharField(_("seller country"), max_length=2, blank=True)
    reference = models.CharField(
        _("reference"), max_length=120, blank=True, help_text=_("A contract id or order reference (R1.11).")
    )
    credited_invoice = models.ForeignKey(
        "self",
        verbose_name=_("corrects invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
    )
    # Set by callers that must not invoice twice (a billing run, a purchase retried with its key).
    # Unique per payer only, so a key tells nothing about other organisations' purchases.
    origin_key = models.CharField(_("origin key"), max_length=120, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "origin_key"],
                condition=Q(origin_key__isnull=False),
                name="invoice_origin_key_unique_per_payer",
            ),
            models.UniqueConstraint(
                fields=["series", "year", "number"],
                condition=Q(number__isnull=False),
                name="invoice_number_unique_per_series_and_year",
            ),
            models.CheckConstraint(
                condition=Q(kind="credit_note", total__lte=0) | Q(kind="invoice", total__gte=0),
                name="invoice_total_sign_follows_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False), name="issued_invoice_has_a_number"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            # Lists scoped to organisations page newest first (issue 15): this index answers
            # `organisation_id IN (...) ORDER BY id DESC LIMIT n` by reading only the page's rows.
            models.Index(fields=["organisation", "id"], name="billing_invoice_org_id"),
        ]

    def __str__(self) -> str:
        return self.code or _("Draft %(id)s") % {"id": self.pk}

    @property
    def amount_due(self) -> Decimal:
        return self.total - self.amount_paid - self.amount_credited

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE


class InvoiceLine(models.Model):
    """One line: quantity, list unit price, the pricing breakdown it went through, and its tax."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="lines"
    )
    position = models.PositiveIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=300)
    code = models.CharField(_("code"), max_length=120, blank=True)
    quantity = models.IntegerField(_("quantity"))
    unit_price = amount_field(_("unit price"))
    net_amount = amount_field(_("net amount"))
    tax_rate = models.DecimalField(_("tax rate"), max_digits=6, decimal_places=4, default=0)
    tax_amount = amount_field(_("tax amount"), default=0)
    total_amount = amount_field(_("total amount"))
    # The pricing engine's rounded steps: list amount, partner discount, volume discount, proration.
    steps = models.JSONField(_("price breakdown"), default=list, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    product_code = models.CharField(_("product code"), max_length=80, blank=True)
    beneficiary = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("for client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_app = models.CharField(_("source app"), max_length=40, blank=True)
    source_id = models.CharField(_("source id"), max_length=60, blank=True)
    recurring_charge = models.ForeignKey(
        "RecurringCharge",
        verbose_name=_("recurring charge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )
    cashback_partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("cashback to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cashback_amount = amount_field(_("cashback"), default=0)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position_unique"),
            # A billing run killed half-way and run again cannot bill the same period twice.
            models.UniqueConstraint(
                fields=["recurring_charge", "period_start"],
                condition=Q(recurring_charge__isnull=False),
                name="recurring_charge_billed_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(cashback_amount__gte=0), name="invoice_line_cashback_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class PaymentMethod(models.TextChoices):
    WALLET = "wallet", _("Prepaid wallet")
    CASHBACK = "cashback", _("Cashback balance")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CARD = "card", _("Card")


class PaymentPurpose(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    TOP_UP = "top_up", _("Wallet top-up")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


def receipt_path(payment: "Payment", filename: str) -> str:
    return f"billing/receipts/{payment.organisation_id}/{filename}"


class Payment(models.Model):
    """Money in: for an invoice (partly, fully or more, the excess going to the wallet) or a top-up."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("paid by"), on_delete=models.PROTECT, related_name="payments"
    )
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=PaymentPurpose.choices)
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    amount = amount_field(_("amount"))
    currency = currency_field(_("currency"))
    applied_amount = amount_field(_("applied to the invoice"), default=0)
    to_wallet_amount = amount_field(_("credited to the wallet"), default=0)
    reference = models.CharField(_("payer's reference"), max_length=140, blank=True)
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, blank=True)
    provider = models.CharField(_("provider"), max_length=40, blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=120, blank=True)
    failure_message = models.CharField(_("failure"), max_length=300, blank=True)
    # A card payment is first recorded as an intent (pending, with the key the provider deduplicates on),
    # then charged outside any transaction, then settled: a crash between the two leaves an intent that
    # `reconcile_card_intents` completes by asking the provider again with the same key.
    intent_key = models.CharField(_("provider idempotency key"), max_length=120, blank=True)
    card_token = models.CharField(_("card token"), max_length=200, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(purpose="top_up", invoice__isnull=True)
                | Q(purpose="invoice", invoice__isnull=False),
                name="payment_invoice_matches_purpose",
            ),
            models.UniqueConstraint(
                fields=["organisation", "intent_key"],
                condition=~Q(intent_key=""),
                name="payment_intent_key_per_payer",
            ),
        ]
        indexes = [models.Index(fields=["status", "method"])]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.currency} {self.amount}"


class EInvoiceFormat(models.TextChoices):
    PDF = "pdf", _("PDF only")
    UBL = "ubl", _("UBL 2.1 (Peppol BIS Billing 3.0)")
    FACTURX = "facturx", _("Factur-X (PDF with CII XML)")
    FACTURAE = "facturae", _("Facturae 3.2.2 (Spain)")


class BillingAccount(models.Model):
    """A paying organisation's billing settings: the day its cycles start and how it pays."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="billing_account",
    )
    cycle_anchor_day = models.PositiveSmallIntegerField(
        _("cycle starts on day"), default=1, help_text=_("Day of the month, 1 to 28.")
    )
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=14)
    pay_from_wallet = models.BooleanField(
        _("pay invoices from the wallet"),
        default=True,
        help_text=_("Renewal invoices are paid from the prepaid wallet as far as its balance goes."),
    )
    # Structured invoices (billing.einvoices): the format the payer's accounting reads, and the postal
    # address those formats carry (Facturae cannot be produced without one).
    einvoice_format = models.CharField(
        _("preferred e-invoice format"),
        max_length=10,
        choices=EInvoiceFormat.choices,
        default=EInvoiceFormat.PDF,
        help_text=_(
            "The format of your documents in the period export; every format stays downloadable on each "
            "invoice."
        ),
    )
    address = models.CharField(_("street address"), max_length=80, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    province = models.CharField(_("province or region"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("billing account")
        verbose_name_plural = _("billing accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(cycle_anchor_day__gte=1, cycle_anchor_day__lte=28),
                name="cycle_anchor_day_1_to_28",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class RecurringCharge(models.Model):
    """Something billed every period until ended: created by orders, subscriptions and seat pools.

    Billing does not know those apps; `source_app` and `source_id` point back to the owner, which may
    change quantity and price before each renewal through an end-of-cycle action (billing.cycles).
    """

    payer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        related_name="recurring_charges",
    )
    beneficiary = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("for client"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=300)
    code = models.CharField(_("code"), max_length=120, blank=True)
    product_code = models.CharField(_("product code"), max_length=80, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = amount_field(_("unit price"))
    amount = amount_field(_("amount per period"))
    steps = models.JSONField(_("price breakdown"), default=list, blank=True)
    currency = currency_field(_("currency"))
    period_months = models.PositiveSmallIntegerField(_("period (months)"), default=1)
    next_billing_date = models.DateField(_("next billing date"), db_index=True)
    cashback_partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("cashback to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cashback_amount = amount_field(_("cashback per period"), default=0)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    source_app = models.CharField(_("source app"), max_length=40, blank=True)
    source_id = models.CharField(_("source id"), max_length=60, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recurring charge")
        verbose_name_plural = _("recurring charges")
        ordering = ["next_billing_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="recurring_charge_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(period_months__in=[1, 3, 6, 12]), name="recurring_charge_period_known"
            ),
        ]
        indexes = [
            models.Index(fields=["source_app", "source_id"]),
            # The billing run walks the payers with charges due in payer order (cycles.due_payers_after):
            # a partial index of the active charges only, so ended ones cost nothing.
            models.Index(
                fields=["payer", "next_billing_date"], condition=Q(active=True), name="recurring_charge_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} · {self.payer}"


class BillingRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    INTERRUPTED = "interrupted", _("Interrupted")


class BillingRun(models.Model):
    """One execution of `canal billing-run` (or the daily job): what it did, for the back office. A run
    split into parts is billed by several workers at once; each adds its counts to this row."""

    run_date = models.DateField(_("billing date"))
    status = models.CharField(
        _("status"), max_length=12, choices=BillingRunStatus.choices, default=BillingRunStatus.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # Written after every batch: a running run whose heartbeat stopped was killed (see mark_interrupted).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    resumes = models.ForeignKey(
        "self",
        verbose_name=_("resumes"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resumed_by",
    )
    invoices_issued = models.PositiveIntegerField(_("invoices issued"), default=0)
    charges_billed = models.PositiveIntegerField(_("charges billed"), default=0)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    worker = models.CharField(_("worker"), max_length=80, blank=True)
    # Progress: the payers due when the run started, and those billed or failed since.
    payers_due = models.PositiveIntegerField(_("payers due"), default=0)
    payers_done = models.PositiveIntegerField(_("payers done"), default=0)
    # A run split through the task queue: how many parts (tasks) bill it, and how many have ended.
    parts = models.PositiveSmallIntegerField(_("parts"), default=1)
    parts_done = models.PositiveSmallIntegerField(_("parts done"), default=0)

    class Meta:
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.run_date} ({self.invoices_issued})"

    @property
    def percent_done(self) -> int:
        if not self.payers_due:
            return 100 if self.status == BillingRunStatus.FINISHED else 0
        return min(100, self.payers_done * 100 // self.payers_due)


# Tamper-evident billing records (VeriFactu, Royal Decree 1007/2023 and Orden HAC/1177/2024): see
# canal.billing.records and docs/billing.md, "Billing records".


class InvoiceTypeCode(models.TextChoices):
    """The regulation's TipoFactura: a complete invoice, or a corrective one (credit note)."""

    F1 = "F1", _("Invoice (F1)")
    R1 = "R1", _("Corrective invoice (R1)")


class RecordState(models.TextChoices):
    PENDING = "pending", _("Not sent yet")
    SENT = "sent", _("Sent to the agency")
    FAILED = "failed", _("Sending failed")


class RecordChain(models.Model):
    """The head of one issuer's chain of records: locked while a record is appended, so two issuances
    in parallel get consecutive links instead of both chaining to the same predecessor."""

    issuer_nif = models.CharField(_("issuer tax id"), max_length=20, unique=True)
    last_sequence = models.PositiveIntegerField(_("last record"), default=0)
    last_fingerprint = models.CharField(_("last fingerprint"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("billing record chain")
        verbose_name_plural = _("billing record chains")

    def __str__(self) -> str:
        return f"{self.issuer_nif}: {self.last_sequence}"


class BillingRecord(models.Model):
    """The billing record (registro de facturación de alta) of one issued invoice or credit note.

    Append-only: the fields below `fingerprint` are the record as hashed and never change (the service
    has no update, and a trigger installed by migration 0006 refuses changing them or deleting a row);
    only the sending state (state, sent at, agency reference, last error) moves afterwards.
    """

    issuer_nif = models.CharField(_("issuer tax id"), max_length=20)
    sequence = models.PositiveIntegerField(_("position in the chain"))
    invoice = models.OneToOneField(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="billing_record"
    )
    issuer_name = models.CharField(_("issuer"), max_length=200)
    invoice_number = models.CharField(_("invoice number"), max_length=60)
    issue_date = models.DateField(_("issue date"))
    invoice_type = models.CharField(_("invoice type"), max_length=2, choices=InvoiceTypeCode.choices)
    # A corrective record names the invoice it corrects (FacturasRectificadas) and corrects by difference.
    corrected_number = models.CharField(_("corrects invoice"), max_length=60, blank=True)
    corrected_issue_date = models.DateField(_("date of the corrected invoice"), null=True, blank=True)
    description = models.CharField(_("description of the operation"), max_length=500)
    buyer_name = models.CharField(_("buyer"), max_length=200, blank=True)
    buyer_tax_id = models.CharField(_("buyer tax id"), max_length=40, blank=True)
    buyer_country = models.CharField(_("buyer country"), max_length=2, blank=True)
    # Desglose: one row per tax rate (regime key, qualification, rate, base, tax).
    breakdown = models.JSONField(_("tax breakdown"), default=list)
    currency = currency_field(_("currency"))
    total_tax = amount_field(_("total tax"))
    total_amount = amount_field(_("total amount"))
    previous_sequence = models.PositiveIntegerField(_("previous record"), null=True, blank=True)
    previous_number = models.CharField(_("previous invoice number"), max_length=60, blank=True)
    previous_issue_date = models.DateField(_("previous invoice date"), null=True, blank=True)
    previous_fingerprint = models.CharField(_("previous fingerprint"), max_length=64, blank=True)
    # FechaHoraHusoGenRegistro exactly as hashed: ISO 8601 to the second with the UTC offset.
    generated_at = models.CharField(_("generated at"), max_length=25)
    system = models.JSONField(_("billing system"), default=dict)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    # Sending to the tax agency: the only columns that change after the record is written.
    state = models.CharField(
        _("state"), max_length=10, choices=RecordState.choices, default=RecordState.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    agency_reference = models.CharField(_("agency reference"), max_length=120, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("billing record")
        verbose_name_plural = _("billing records")
        ordering = ["issuer_nif", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["issuer_nif", "sequence"], name="billing_record_one_per_link"),
        ]
        indexes = [models.Index(fields=["state", "issuer_nif", "sequence"])]

    def __str__(self) -> str:
        return f"{self.issuer_nif} #{self.sequence} {self.invoice_number}"


class RecordEventKind(models.TextChoices):
    CREATED = "created", _("Record created")
    CORRECTION = "correction", _("Corrective record created")
    SENT = "sent", _("Sent to the tax agency")
    SEND_FAILED = "send_failed", _("Sending failed")
    CHAIN_VERIFIED = "chain_verified", _("Chain verified")
    CHAIN_BROKEN = "chain_broken", _("Chain broken")
    EXPORTED = "exported", _("Records exported")


class RecordEvent(models.Model):
    """The event log of billing records: every creation, correction, export, sending and failure,
    and every verification of the chains. Append-only; its text is a msgid with parameters."""

    kind = models.CharField(_("event"), max_length=20, choices=RecordEventKind.choices)
    record = models.ForeignKey(
        BillingRecord,
        verbose_name=_("billing record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    issuer_nif = models.CharField(_("issuer tax id"), max_length=20, blank=True)
    message = models.CharField(_("message"), max_length=300)
    message_params = models.JSONField(_("message parameters"), default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("billing record event")
        verbose_name_plural = _("billing record events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def text(self) -> str:
        return stored_text.render(self.message, self.message_params)
