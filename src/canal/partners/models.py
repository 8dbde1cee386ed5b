from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner profile")
        verbose_name_plural = _("partner profiles")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.level})"
