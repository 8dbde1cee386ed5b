from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canal.accounts.codes import random_code


class OrganisationKind(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    VENDOR = "vendor", _("Vendor")
    PARTNER = "partner", _("Partner")
    CUSTOMER = "customer", _("Customer")


class Language(models.TextChoices):
    SPANISH = "es", _("Spanish")
    ENGLISH = "en", _("English")


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    legal_id = models.CharField(_("legal id"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    region = models.CharField(_("region"), max_length=40, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.SPANISH
    )
    premium_support = models.BooleanField(_("premium support"), default=False)
    vip_code = models.CharField(_("VIP code"), max_length=20, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


def new_support_code() -> str:
    return random_code()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, blank=True)
    # R4.16: support staff identify a caller by this code.
    support_code = models.CharField(_("support code"), max_length=20, unique=True, default=new_support_code)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False, help_text=_("May log in to the Django admin."))
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    ADMIN = "admin", _("Administrator")
    BILLING = "billing", _("Billing")
    TECHNICAL = "technical", _("Technical")
    MEMBER = "member", _("Member")
    SUPPORT_AGENT = "support_agent", _("Support agent")


class Membership(models.Model):
    """A user's role in an organisation; a user may hold several roles, one row each."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class ApiToken(models.Model):
    """An organisation's API token. Only a SHA-256 digest is stored; the token is shown once."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    user = models.ForeignKey(
        User, verbose_name=_("acts as"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AccessLevel(models.TextChoices):
    FULL = "full", _("Full access")
    LIMITED = "limited", _("Limited to chosen products")


class PaymentMode(models.TextChoices):
    CUSTOMER = "customer", _("Client's payment means")
    PARTNER = "partner", _("Partner's payment means")


class RelationshipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class ClientRelationship(models.Model):
    """A partner manages a client organisation within the access the client granted (R4.5, R4.6)."""

    partner = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="client_relationships"
    )
    client = models.ForeignKey(
        Organisation, verbose_name=_("client"), on_delete=models.PROTECT, related_name="partner_relationships"
    )
    access = models.CharField(
        _("access"), max_length=10, choices=AccessLevel.choices, default=AccessLevel.FULL
    )
    payment_mode = models.CharField(
        _("who pays"), max_length=10, choices=PaymentMode.choices, default=PaymentMode.CUSTOMER
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RelationshipStatus.choices, default=RelationshipStatus.ACTIVE
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("client relationship")
        verbose_name_plural = _("client relationships")
        ordering = ["client__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "client"],
                condition=~models.Q(status="ended"),
                name="one_open_relationship_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.client}"


class ProductGrant(models.Model):
    """Under limited access, one product (by catalog code) the partner may manage for the client."""

    relationship = models.ForeignKey(
        ClientRelationship, verbose_name=_("relationship"), on_delete=models.CASCADE, related_name="grants"
    )
    product_code = models.CharField(_("product code"), max_length=80)

    class Meta:
        verbose_name = _("product grant")
        verbose_name_plural = _("product grants")
        constraints = [
            models.UniqueConstraint(fields=["relationship", "product_code"], name="product_grant_unique")
        ]

    def __str__(self) -> str:
        return self.product_code


class ClientManager(models.Model):
    """R4.12: one of the partner's users the partner's legal representative chose to manage one client.

    The partner's legal representatives and administrators manage every client; any other partner user
    sees only the clients it is assigned to, and nothing of the others (404 everywhere)."""

    relationship = models.ForeignKey(
        ClientRelationship, verbose_name=_("relationship"), on_delete=models.CASCADE, related_name="managers"
    )
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("client manager")
        verbose_name_plural = _("client managers")
        constraints = [models.UniqueConstraint(fields=["relationship", "user"], name="client_manager_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.relationship}"
