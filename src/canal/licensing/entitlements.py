"""Entitlements (issue 11, item 5; R3.5, R3.6): which license types a user holds, as a vendor's
application asks for them. One indexed query: the user by its unique e-mail, its seat assignments by
user, joined to pools and subscriptions of the asking vendor's products."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind
from canal.core.errors import PermissionDenied
from canal.subscriptions.models import SeatAssignment, SubscriptionStatus

LIVE = (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIAL)


def entitlements_of(*, actor: Actor, email: str) -> dict[str, Any]:
    """The answer for one e-mail. A user holding no license of the vendor's products is inactive (R3.5);
    a released license is absent at once (R3.6). Other vendors' licenses are never shown."""
    if actor.kind not in (OrganisationKind.VENDOR, OrganisationKind.OPERATOR):
        raise PermissionDenied(_("Entitlements are answered to vendors about their own products."))
    email = email.strip().lower()
    rows = SeatAssignment.objects.filter(user__email=email, pool__subscription__status__in=LIVE)
    if not actor.is_operator:
        rows = rows.filter(pool__subscription__product__vendor=actor.organisation)
    grouped: dict[int, dict[str, Any]] = {}
    for subscription_id, customer_id, product, license_type in rows.values_list(
        "pool__subscription_id",
        "pool__subscription__customer_id",
        "pool__subscription__product__code",
        "pool__license_type__code",
    ).order_by("pool__subscription_id", "pool__license_type__position", "pool__license_type__code"):
        entry = grouped.setdefault(
            subscription_id,
            {
                "subscription_id": subscription_id,
                "customer_id": customer_id,
                "product": product,
                "license_types": [],
            },
        )
        entry["license_types"].append(license_type)
    return {"email": email, "active": bool(grouped), "subscriptions": list(grouped.values())}
