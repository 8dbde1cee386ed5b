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
    NavItem(_("Clients"), "portal:clients", frozenset({OrganisationKind.PARTNER, OrganisationKind.OPERATOR})),
    NavItem(_("Partners"), "portal:partners", frozenset({OrganisationKind.CUSTOMER})),
    NavItem(_("Team"), "portal:team", ALL_KINDS),
    NavItem(_("Notifications"), "notifications:list", ALL_KINDS),
    NavItem(_("API tokens"), "tokens", ALL_KINDS),
]


def navigation_for(kind: str) -> list[NavItem]:
    return [item for item in NAVIGATION if kind in item.kinds]
