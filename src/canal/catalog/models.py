"""What vendors sell and under which ordering rules: products, plans, options and price lists.

Rows are written only by the catalog import (a declarative YAML file per vendor, docs/catalog.md), so
these tables hold no logic: validation of a configuration lives in `rules.py`, prices in `canal.pricing`.
Codes are slugs, unique within their product; a product's code is unique across the catalog because
partner access grants name products by it (ProductGrant.product_code).
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from canal.core.fields import amount_field, currency_field


class ProductKind(models.TextChoices):
    SAAS = "saas", _("SaaS subscription")
    SEAT_LICENSES = "seat_licenses", _("Seat-licensed service")
    ON_PREMISE_LICENSE = "on_premise_license", _("On-premise license")
    HOSTING = "hosting", _("Hosting")
    SUPPORT_CREDITS = "support_credits", _("Support credits")


class BillingUnit(models.TextChoices):
    """What the quantity counts. R5.3: products billed by other units than users get no priority."""

    SEAT = "seat", _("seats")
    USER = "user", _("users")
    LICENSE = "license", _("licenses")
    CLIENT = "client", _("clients")
    HOSTING = "hosting", _("hostings")
    PACK = "pack", _("packs")
    CONTACT = "contact", _("contacts")
    ROW = "row", _("rows processed")
    VISITOR = "visitor", _("visitors")
    AUTOMATION_CREDIT = "automation_credit", _("automation credits")


class Term(models.TextChoices):
    ANNUAL_PREPAID = "annual_prepaid", _("Annual, prepaid")
    MONTHLY = "monthly", _("Monthly")


class PriceModel(models.TextChoices):
    PER_UNIT = "per_unit", _("Per unit")
    FLAT = "flat", _("Flat")
    VOLUME = "volume", _("Volume (all units at the tier's price)")
    VOLUME_DISCOUNT = "volume_discount", _("Volume discount (degressive rate)")
    GRADUATED = "graduated", _("Graduated (each unit at its tier's price)")
    CLIENT_TIERS = "client_tiers", _("Client-count tiers plus modules")


class ItemKind(models.TextChoices):
    PLAN = "plan", _("Plan")
    ADD_ON = "add_on", _("Add-on")
    PACKAGE = "package", _("Onboarding package")
    MODULE = "module", _("Module")
    LICENSE_TYPE = "license_type", _("License type")
    SUPPORT_PACK = "support_pack", _("Support pack")


class Translated(models.Model):
    """Catalog text in the reader's language (issue 14): the plain columns hold the catalog file's own
    text (English), `translations` the other languages' ({"es": {"description": "..."}}); `shown()` picks
    the active language's and falls back to the plain column."""

    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def shown(self, field: str) -> str:
        language = (get_language() or "")[:2]
        return self.translations.get(language, {}).get(field) or getattr(self, field)

    @property
    def shown_name(self) -> str:
        return self.shown("name")

    @property
    def shown_description(self) -> str:
        return self.shown("description")


class Product(Translated):
    vendor = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="products"
    )
    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ProductKind.choices)
    unit = models.CharField(_("billing unit"), max_length=30, choices=BillingUnit.choices)
    category = models.CharField(
        _("category"), max_length=80, blank=True, help_text=_("Groups products for limited access grants.")
    )
    # R5.3: services billed by contacts, rows, visitors or credits are excluded from priority support.
    priority_support = models.BooleanField(_("counts for priority support"), default=True)
    requires_terms_acceptance = models.BooleanField(_("requires accepting the vendor's terms"), default=False)
    terms_url = models.URLField(_("terms and conditions"), blank=True)
    requires_end_customer = models.BooleanField(_("requires end-customer details"), default=False)
    provisioning_hours = models.PositiveIntegerField(
        _("provisioning time (business hours)"),
        null=True,
        blank=True,
        help_text=_("Empty when the product is usable at once."),
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Every import saves the product, so this also tells when its plans or prices may have changed.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["vendor__name", "position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_category(self) -> str:
        return self.shown("category")


class ProductItem(Translated):
    """What every option of a product shares: a code unique in the product, a name, an order."""

    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta(Translated.Meta):
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Plan(ProductItem):
    """A base plan with its quantity rules (R1.1-R1.4, R2.5)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="plans"
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("Higher ranks are upgrades; moving to a lower rank is a downgrade.")
    )
    term = models.CharField(_("term"), max_length=20, choices=Term.choices, default=Term.ANNUAL_PREPAID)
    trial_days = models.PositiveSmallIntegerField(_("trial length (days)"), default=0)
    min_quantity = models.PositiveIntegerField(_("minimum quantity"), default=1)
    max_quantity = models.PositiveIntegerField(_("maximum quantity"), null=True, blank=True)
    quantity_step = models.PositiveIntegerField(_("quantity step"), default=1)
    allowed_quantities = models.JSONField(
        _("allowed quantities"), default=list, blank=True, help_text=_("When set, only these quantities.")
    )
    suggest_over_maximum = models.ForeignKey(
        "self",
        verbose_name=_("plan to suggest above the maximum"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    package_required_above = models.PositiveIntegerField(
        _("onboarding package required above"), null=True, blank=True
    )
    includes_all_modules = models.BooleanField(_("includes every module"), default=False)
    renewable = models.BooleanField(_("renewable"), default=True)
    quantity_changeable = models.BooleanField(_("quantity can be increased"), default=True)

    class Meta(ProductItem.Meta):
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["rank", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="plan_code_unique")]


class AddOn(ProductItem):
    """An add-on (R1.6: vertical packages) that only the listed plans allow."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="add_ons"
    )
    plans = models.ManyToManyField(Plan, verbose_name=_("plans that allow it"), related_name="add_ons")

    class Meta(ProductItem.Meta):
        verbose_name = _("add-on")
        verbose_name_plural = _("add-ons")
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="add_on_code_unique")]


class OnboardingPackage(ProductItem):
    """An onboarding (implementation) package chosen by seat count (R1.5)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="packages"
    )
    seat_limit = models.PositiveIntegerField(
        _("seat limit"), null=True, blank=True, help_text=_("Empty for a custom package without a limit.")
    )
    plans = models.ManyToManyField(Plan, verbose_name=_("plans that offer it"), related_name="packages")

    class Meta(ProductItem.Meta):
        verbose_name = _("onboarding package")
        verbose_name_plural = _("onboarding packages")
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="package_code_unique")]


class Module(ProductItem):
    """A module of an on-premise license (R2.5, R2.6)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="modules"
    )

    class Meta(ProductItem.Meta):
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="module_code_unique")]


class LicenseType(ProductItem):
    """A kind of seat license a user can hold, in any combination with the others (R3.1)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="license_types"
    )

    class Meta(ProductItem.Meta):
        verbose_name = _("license type")
        verbose_name_plural = _("license types")
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="license_type_code_unique")]


class SupportPack(ProductItem):
    """A pack of support credits (R2.13)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="support_packs"
    )
    credits = models.PositiveIntegerField(_("credits"))

    class Meta(ProductItem.Meta):
        verbose_name = _("support pack")
        verbose_name_plural = _("support packs")
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="support_pack_code_unique")]


class TicketCategory(ProductItem):
    """A support ticket category and what a ticket in it costs in credits (R2.11, R2.14)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="ticket_categories"
    )
    help_text = models.TextField(_("help shown when chosen"), blank=True)
    cost_licensed = models.PositiveIntegerField(_("cost for licensed customers (credits)"))
    cost_unlicensed = models.PositiveIntegerField(_("cost for unlicensed customers (credits)"))

    class Meta(ProductItem.Meta):
        verbose_name = _("ticket category")
        verbose_name_plural = _("ticket categories")
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="ticket_category_code_unique")
        ]

    @property
    def shown_help(self) -> str:
        return self.shown("help_text")


class PriceList(models.Model):
    """A product's prices in one currency."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="price_lists"
    )
    currency = currency_field(_("currency"))

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["product", "currency"]
        constraints = [models.UniqueConstraint(fields=["product", "currency"], name="price_list_unique")]

    def __str__(self) -> str:
        return f"{self.product} · {self.currency}"


class Price(models.Model):
    """The price of one item of the product (named by kind and code) in the list's currency.

    `amount` is the unit or flat price; `tiers` holds `{"up_to": n|null, "price": "9.80"}` (volume,
    graduated, client tiers) or `{"up_to": n|null, "rate": "0.25"}` (volume discount) as strings.
    """

    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.CASCADE, related_name="prices"
    )
    item_kind = models.CharField(_("item kind"), max_length=20, choices=ItemKind.choices)
    item_code = models.SlugField(_("item code"), max_length=80)
    model = models.CharField(_("price model"), max_length=20, choices=PriceModel.choices)
    amount = amount_field(_("amount"), null=True, blank=True)
    tiers = models.JSONField(_("tiers"), default=list, blank=True)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["price_list", "item_kind", "item_code"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "item_kind", "item_code"], name="price_unique"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) | models.Q(amount__isnull=True), name="price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_kind}:{self.item_code} ({self.price_list.currency})"
