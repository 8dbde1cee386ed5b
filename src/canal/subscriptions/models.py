from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SubscriptionStatus(models.TextChoices):
    TRIAL = "trial", _("Trial")
    PROVISIONING = "provisioning", _("Provisioning")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    EXPIRED = "expired", _("Expired")
    # Spanish agrees with "suscripción" (feminine), unlike an order's "Cancelado".
    CANCELLED = "cancelled", pgettext_lazy("subscription status", "Cancelled")


class Subscription(models.Model):
    """A customer's use of a product on a plan. It lives in the customer's organisation (R4.10)."""

    customer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    payer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("payer"),
        on_delete=models.PROTECT,
        related_name="paid_subscriptions",
    )
    partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("managing partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_subscriptions",
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="subscriptions"
    )
    plan = models.ForeignKey(
        "catalog.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=20, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE
    )
    term_start = models.DateField(_("current term starts"))
    term_end = models.DateField(_("current term ends"), help_text=_("The next term starts on this day."))
    vendor_account_id = models.CharField(_("vendor account id"), max_length=120, blank=True)
    contract_id = models.CharField(_("contract id"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Lifecycle (issue 5). Options are kept as catalog codes, like a Configuration, so a catalog
    # re-import that recreates option rows never breaks a subscription.
    name = models.CharField(
        _("name"), max_length=120, blank=True, help_text=_("How the customer calls it, e.g. a server name.")
    )
    add_ons = models.JSONField(_("add-ons"), default=list, blank=True)
    package = models.CharField(_("onboarding package"), max_length=80, blank=True)
    modules = models.JSONField(_("modules"), default=list, blank=True)
    end_customer_name = models.CharField(_("end-customer contact"), max_length=200, blank=True)
    end_customer_email = models.EmailField(
        _("end-customer corporate e-mail"), blank=True, help_text=_("The login at the vendor (R1.8).")
    )
    trial_ends_on = models.DateField(_("trial ends on"), null=True, blank=True)
    trial_warning_sent_at = models.DateTimeField(_("trial ending warning sent at"), null=True, blank=True)
    # R1.16: what the next term renews with; None keeps the current value, quantity 0 means no renewal.
    renewal_quantity = models.PositiveIntegerField(_("renewal quantity"), null=True, blank=True)
    renewal_add_ons = models.JSONField(_("renewal add-ons"), null=True, blank=True)
    renewal_package = models.CharField(_("renewal onboarding package"), max_length=80, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
    )
    provisioned_at = models.DateTimeField(_("provisioned at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=F("term_start")), name="term_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.customer}"


class SeatPool(models.Model):
    """The licenses of one type a subscription holds (R3.2). The database keeps assigned ≤ total."""

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="seat_pools"
    )
    license_type = models.ForeignKey(
        "catalog.LicenseType", verbose_name=_("license type"), on_delete=models.PROTECT, related_name="+"
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    assigned = models.PositiveIntegerField(_("in use"), default=0)
    contract_minimum = models.PositiveIntegerField(_("contract minimum"), default=0)

    class Meta:
        verbose_name = _("seat pool")
        verbose_name_plural = _("seat pools")
        ordering = ["license_type__position", "license_type__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "license_type"], name="one_pool_per_license_type"
            ),
            # The guarantee behind R3.3: however many requests race, a pool is never oversold.
            models.CheckConstraint(condition=Q(assigned__lte=F("total")), name="seat_pool_never_oversold"),
        ]

    def __str__(self) -> str:
        return f"{self.license_type} ({self.assigned}/{self.total})"

    @property
    def free(self) -> int:
        return self.total - self.assigned


class SeatAssignment(models.Model):
    """One user holding one license of a pool (R3.1: any combination of types per user)."""

    pool = models.ForeignKey(
        SeatPool, verbose_name=_("seat pool"), on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="seat_assignments",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seat assignment")
        verbose_name_plural = _("seat assignments")
        constraints = [models.UniqueConstraint(fields=["pool", "user"], name="one_seat_per_user_and_type")]

    def __str__(self) -> str:
        return f"{self.user} · {self.pool.license_type}"


class SeatCountChange(models.Model):
    """Append-only history of a pool's counts, so usage over time is data, not reconstruction."""

    pool = models.ForeignKey(
        SeatPool, verbose_name=_("seat pool"), on_delete=models.CASCADE, related_name="history"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    total = models.PositiveIntegerField(_("total"))
    assigned = models.PositiveIntegerField(_("in use"))
    reason = models.CharField(_("reason"), max_length=40)

    class Meta:
        verbose_name = _("seat count change")
        verbose_name_plural = _("seat count changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.pool_id} {self.at:%Y-%m-%d %H:%M} {self.assigned}/{self.total}"


class ProvisioningStatus(models.TextChoices):
    """The flow vendors know from CloudBlue Connect (DESIGN.md), plus cancelled when the order is."""

    PENDING = "pending", _("Pending")
    INQUIRING = "inquiring", _("Waiting for the orderer")
    APPROVED = "approved", _("Done")
    # Spanish agrees with "solicitud" (feminine), like "Completada".
    FAILED = "failed", pgettext_lazy("provisioning status", "Failed")
    CANCELLED = "cancelled", pgettext_lazy("provisioning status", "Cancelled")


class ProvisioningRequest(models.Model):
    """What the vendor must do for one order (create, change, convert or delete an account), by when.

    R1.12: the due time is 48 business hours after placement on the vendor's calendar; a request past
    it is flagged to operators once (`overdue_flagged_at`).
    """

    order = models.OneToOneField(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="provisioning"
    )
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        on_delete=models.PROTECT,
        related_name="provisioning_requests",
    )
    vendor = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30)
    status = models.CharField(
        _("status"), max_length=20, choices=ProvisioningStatus.choices, default=ProvisioningStatus.PENDING
    )
    due_at = models.DateTimeField(_("due by"), db_index=True)
    question = models.TextField(_("vendor's question"), blank=True)
    answer = models.TextField(_("orderer's answer"), blank=True)
    vendor_account_id = models.CharField(_("vendor account id"), max_length=120, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("provisioning request")
        verbose_name_plural = _("provisioning requests")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["vendor", "status"])]

    def __str__(self) -> str:
        return f"{self.order} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (ProvisioningStatus.PENDING, ProvisioningStatus.INQUIRING)
