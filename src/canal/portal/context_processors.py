from typing import Any

from django.http import HttpRequest

from canal.accounts.actor import organisations_of
from canal.accounts.models import OrganisationKind
from canal.billing.selectors import support_credit_balance
from canal.core.errors import NotFound
from canal.notifications.selectors import unread_count
from canal.portal.actor import portal_actor
from canal.portal.navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    try:
        actor = portal_actor(request)
    except NotFound:
        return {}
    return {
        "actor": actor,
        "navigation": navigation_for(actor.kind),
        "my_organisations": organisations_of(user),
        "unread_notifications": unread_count(actor),
        # R2.2: customers see their support-credit balance in the header of every page.
        "support_credits": (
            support_credit_balance(actor.organisation) if actor.kind == OrganisationKind.CUSTOMER else None
        ),
    }
