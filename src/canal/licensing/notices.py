"""Who hears about a license server and in which words: in-app notifications kept as message ids and
parameters, shown in each reader's language. Services decide when; this module only how. Sent on
commit, so a change that is rolled back tells nobody."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from canal.accounts.models import Organisation, User
from canal.notifications.services import notify
from canal.orders.notices import VENDOR_ROLES, subscription_contacts, users_with_roles
from canal.subscriptions.models import Subscription

LAST_CHANGE_LEFT = (
    gettext_noop("%(server)s can change its hardware code only once more"),
    gettext_noop(
        "%(server)s has used %(used)s of its %(limit)s hardware-code changes. Open a support ticket "
        "asking for a reset of the code-change counter before the next hardware change."
    ),
)
POSSIBLE_FAULT = (
    gettext_noop("%(server)s may have a hardware fault"),
    gettext_noop(
        "The license code of %(server)s (%(customer)s) changed twice within %(days)s days. "
        "Repeated changes usually mean failing hardware: please have it checked."
    ),
)
LIMIT_REACHED = (
    gettext_noop("%(server)s cannot activate: hardware-code change limit reached"),
    gettext_noop(
        "%(server)s reported new hardware but has used all %(limit)s changes. Open a support ticket "
        "asking for a reset of the code-change counter; the server activates again once it is reset."
    ),
)
OVER_LICENSED = (
    gettext_noop("%(server)s serves more clients than licensed"),
    gettext_noop(
        "%(server)s (%(customer)s) reports %(in_use)s clients in use; its license is for %(licensed)s. "
        "Increase the client count to stay within the license."
    ),
)
COUNTER_RESET = (
    gettext_noop("The hardware-code counter of %(server)s was reset"),
    gettext_noop("Support reset the counter: %(limit)s changes are available again. Reason: %(reason)s"),
)


def server_url(subscription: Subscription) -> str:
    return reverse("licensing:detail", args=[subscription.pk])


def _send(
    recipients: list[tuple[User, Organisation]], message: tuple[str, str], params: dict[str, Any], url: str
) -> None:
    """Stored as message ids with their parameters, so each reader sees them in its own language."""

    def deliver() -> None:
        for user, organisation in recipients:
            notify(
                recipient=user,
                organisation=organisation,
                message=message[0],
                body_message=message[1],
                params=params,
                url=url,
            )

    transaction.on_commit(deliver)


def _customer(subscription: Subscription) -> list[tuple[User, Organisation]]:
    return subscription_contacts(subscription)


def _vendor(subscription: Subscription) -> list[tuple[User, Organisation]]:
    vendor = subscription.product.vendor
    return [(user, vendor) for user in users_with_roles(vendor, VENDOR_ROLES)]


def _params(subscription: Subscription, **more: Any) -> dict[str, Any]:
    return {
        "server": subscription.name or f"#{subscription.pk}",
        "customer": subscription.customer.name,
        **more,
    }


def last_change_left(subscription: Subscription, *, used: int, limit: int) -> None:
    """R2.19: one change before the limit, so the customer asks for a reset in time."""
    _send(
        _customer(subscription),
        LAST_CHANGE_LEFT,
        _params(subscription, used=used, limit=limit),
        server_url(subscription),
    )


def possible_fault(subscription: Subscription, *, days: int) -> None:
    params = _params(subscription, days=days)
    _send(_customer(subscription) + _vendor(subscription), POSSIBLE_FAULT, params, server_url(subscription))


def limit_reached(subscription: Subscription, *, limit: int) -> None:
    _send(
        _customer(subscription), LIMIT_REACHED, _params(subscription, limit=limit), server_url(subscription)
    )


def over_licensed(subscription: Subscription, *, in_use: int) -> None:
    params = _params(subscription, in_use=in_use, licensed=subscription.quantity)
    _send(_customer(subscription) + _vendor(subscription), OVER_LICENSED, params, server_url(subscription))


def counter_reset(subscription: Subscription, *, limit: int, reason: str) -> None:
    params = _params(subscription, limit=limit, reason=reason)
    _send(_customer(subscription), COUNTER_RESET, params, server_url(subscription))
