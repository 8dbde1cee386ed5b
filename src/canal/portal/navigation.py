"""The portal's menu per organisation kind; apps append their pages to NAVIGATION."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from canal.accounts.models import OrganisationKind


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    kinds: frozenset[str]
    icon: str = ""


ALL_KINDS = frozenset(OrganisationKind.values)

NAVIGATION: list[NavItem] = [
    NavItem(_("Dashboard"), "portal:dashboard", ALL_KINDS),
    NavItem(_("Clients"), "partners:clients", frozenset({OrganisationKind.PARTNER})),
    NavItem(_("Clients"), "portal:clients", frozenset({OrganisationKind.OPERATOR})),
    NavItem(_("Partners"), "partners:partners", frozenset({OrganisationKind.CUSTOMER})),
    NavItem(
        _("Tenders"), "partners:tenders", frozenset({OrganisationKind.PARTNER, OrganisationKind.OPERATOR})
    ),
    NavItem(_("Partner applications"), "partners:applications", frozenset({OrganisationKind.OPERATOR})),
    NavItem(
        _("Partner programme"),
        "partners:programme",
        frozenset({OrganisationKind.VENDOR, OrganisationKind.OPERATOR}),
    ),
    NavItem(_("Become a partner"), "partners:apply", frozenset({OrganisationKind.CUSTOMER})),
    NavItem(
        _("Support access"),
        "partners:support",
        frozenset({OrganisationKind.CUSTOMER, OrganisationKind.PARTNER, OrganisationKind.OPERATOR}),
    ),
    NavItem(_("Catalog"), "catalog:products", ALL_KINDS),
    NavItem(_("Orders"), "orders:list", ALL_KINDS),
    NavItem(_("Subscriptions"), "lifecycle:list", ALL_KINDS),
    NavItem(
        _("Provisioning"),
        "orders:provisioning_queue",
        frozenset({OrganisationKind.VENDOR, OrganisationKind.OPERATOR}),
    ),
    NavItem(
        _("Support"),
        "support:tickets",
        ALL_KINDS,
    ),
    NavItem(_("Open a ticket for a client"), "support:intake", frozenset({OrganisationKind.PARTNER})),
    NavItem(_("Priority support"), "support:priority", frozenset({OrganisationKind.VENDOR})),
    NavItem(_("Support addresses"), "support:addresses", frozenset({OrganisationKind.VENDOR})),
    NavItem(
        _("Support prices"),
        "catalog:support",
        frozenset({OrganisationKind.CUSTOMER, OrganisationKind.PARTNER, OrganisationKind.OPERATOR}),
    ),
    NavItem(
        _("Licenses"),
        "subscriptions:licenses",
        frozenset({OrganisationKind.CUSTOMER, OrganisationKind.PARTNER, OrganisationKind.OPERATOR}),
    ),
    NavItem(_("Servers"), "licensing:list", ALL_KINDS),
    NavItem(
        _("Releases"), "licensing:releases", frozenset({OrganisationKind.VENDOR, OrganisationKind.OPERATOR})
    ),
    NavItem(
        _("Invoices"),
        "billing:invoices",
        frozenset({OrganisationKind.CUSTOMER, OrganisationKind.PARTNER, OrganisationKind.OPERATOR}),
    ),
    NavItem(
        _("E-invoices"),
        "billing:einvoice_settings",
        frozenset({OrganisationKind.CUSTOMER, OrganisationKind.PARTNER, OrganisationKind.OPERATOR}),
    ),
    NavItem(_("Wallet"), "billing:wallet", frozenset({OrganisationKind.CUSTOMER, OrganisationKind.PARTNER})),
    NavItem(_("Payments to confirm"), "billing:payment_queue", frozenset({OrganisationKind.OPERATOR})),
    NavItem(_("Billing records"), "billing:records", frozenset({OrganisationKind.OPERATOR})),
    NavItem(_("Billing runs"), "billing:runs", frozenset({OrganisationKind.OPERATOR})),
    NavItem(_("Team"), "portal:team", ALL_KINDS),
    NavItem(_("Notifications"), "notifications:list", ALL_KINDS),
    NavItem(_("API tokens"), "tokens", ALL_KINDS),
]


def navigation_for(kind: str) -> list[NavItem]:
    return [item for item in NAVIGATION if kind in item.kinds]


def kinds_allowed(url_name: str) -> frozenset[str] | None:
    """The organisation kinds whose menu has the page `url_name`, or None when it is no menu page."""
    kinds = [item.kinds for item in NAVIGATION if item.url_name == url_name]
    return frozenset().union(*kinds) if kinds else None
