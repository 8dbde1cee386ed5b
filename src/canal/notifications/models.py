from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canal.core import stored_text


class Notification(models.Model):
    """An in-app notification for one user, shown in the portal header until read. Its words are a message
    id and parameters rendered in the reader's language when shown (`heading`, `text`); `title` and `body`
    hold words nobody can translate (what a person wrote) and rows written before messages were stored."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    message = models.CharField(_("message id"), max_length=300, blank=True)
    body_message = models.TextField(_("text message id"), blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        return stored_text.render(self.message, self.params) if self.message else self.title

    @property
    def text(self) -> str:
        return stored_text.render(self.body_message, self.params) if self.body_message else self.body


class WebhookEndpoint(models.Model):
    """Where an organisation (a vendor, a partner) wants Canal's events, signed with its secret."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="webhooks",
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=80)
    events = models.JSONField(_("events"), default=list, help_text=_("Event names; empty means every event."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event sent to one endpoint: the delivery log, with every attempt's outcome."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=80)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True, db_index=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    # A failure code from canal.notifications.outbound, never the receiver's answer (it could leak an
    # internal service's contents to whoever registered the URL).
    last_error = models.CharField(_("last error"), max_length=40, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("last duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"
