"""Orders of every type: what was asked for, for whom, at what price, and where it stands.

An order is immutable once placed except for its state (through `ORDER_MACHINE`) and the processing
dates; the price lines it was placed with are kept as the pricing engine gave them, so the order shows
exactly what was invoiced. Billing lives in another app: the invoice is referenced by id.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canal.core.fields import amount_field, currency_field


class OrderKind(models.TextChoices):
    NEW = "new", _("New subscription")
    TRIAL = "trial", _("Trial")
    TRIAL_CHANGE = "trial_change", _("Trial change")
    TRIAL_TERMINATION = "trial_termination", _("Trial termination")
    CONVERSION = "conversion", _("Trial conversion")
    CHANGE = "change", _("Change")
    UPGRADE = "upgrade", _("Upgrade")
    RENEWAL_SETTINGS = "renewal_settings", _("Renewal settings")
    RENEWAL = "renewal", _("Renewal")


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed, not processed yet")
    PROVISIONING = "provisioning", _("Being provisioned")
    COMPLETED = "completed", _("Processed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    kind = models.CharField(_("order type"), max_length=30, choices=OrderKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    placed_by = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        related_name="placed_orders",
    )
    placed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placed_orders",
    )
    customer = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders"
    )
    partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_orders",
    )
    payer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        related_name="paid_orders",
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="orders"
    )
    plan = models.ForeignKey(
        "catalog.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subscription = models.ForeignKey(
        "subscriptions.Subscription",
        verbose_name=_("subscription"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    configuration = models.JSONField(_("configuration"), default=dict)
    previous_configuration = models.JSONField(_("configuration before"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    subscription_name = models.CharField(_("name"), max_length=120, blank=True)
    currency = currency_field(_("currency"))
    net_total = amount_field(_("price before tax"), default=0)
    free_plan = models.BooleanField(_("free plan"), default=False)
    # The pricing engine's lines with their rounded steps, as invoiced.
    lines = models.JSONField(_("price lines"), default=list, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)
    terms_url = models.URLField(_("terms accepted"), blank=True)
    end_customer_name = models.CharField(_("end-customer contact"), max_length=200, blank=True)
    end_customer_email = models.EmailField(_("end-customer corporate e-mail"), blank=True)
    notify_me = models.BooleanField(_("notify me when provisioned"), default=False)
    contract_id = models.CharField(_("contract id"), max_length=120, blank=True)
    vendor_account_id = models.CharField(_("vendor account id"), max_length=120, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    invoice_id = models.PositiveBigIntegerField(_("invoice"), null=True, blank=True)
    invoice_code = models.CharField(_("invoice number"), max_length=30, blank=True)
    credit_note_code = models.CharField(_("credit note number"), max_length=30, blank=True)
    placed_at = models.DateTimeField(_("placed at"), db_index=True)
    cancellable_until = models.DateTimeField(_("cancellable until"), null=True, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.CharField(_("cancellation reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["placed_by", "status"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"ORD-{self.pk:06d}" if self.pk else "ORD-new"

    @property
    def processed(self) -> bool:
        return self.status == OrderStatus.COMPLETED
