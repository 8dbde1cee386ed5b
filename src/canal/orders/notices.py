"""Who hears about an order or a subscription, and how: e-mails in the recipient's language (sent on
commit by notifications) and in-app notifications. Services decide *when*; this module only *how*."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_noop

from canal.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from canal.notifications.email import send_email
from canal.notifications.services import notify
from canal.orders.models import Order
from canal.subscriptions.models import ProvisioningRequest, Subscription

CONTACT_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.BILLING)
VENDOR_ROLES = (Role.ADMIN, Role.TECHNICAL)


def language_of(user: User | None, organisation: Organisation | None = None) -> str:
    if user is not None and user.language:
        return user.language
    if organisation is not None and organisation.language:
        return organisation.language
    return settings.LANGUAGE_CODE


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def order_url(order: Order) -> str:
    return reverse("orders:detail", args=[order.pk])


def subscription_url(subscription: Subscription) -> str:
    return reverse("lifecycle:detail", args=[subscription.pk])


def users_with_roles(organisation: Organisation | None, roles: Iterable[str]) -> list[User]:
    if organisation is None:
        return []
    ids = Membership.objects.filter(organisation=organisation, role__in=list(roles)).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("email"))


def subscription_contacts(subscription: Subscription) -> list[tuple[User, Organisation]]:
    """The customer's administrators and, when a partner manages the subscription, the partner's."""
    contacts = [
        (user, subscription.customer) for user in users_with_roles(subscription.customer, CONTACT_ROLES)
    ]
    contacts += [
        (user, subscription.partner) for user in users_with_roles(subscription.partner, CONTACT_ROLES)
    ]
    return contacts


def _mail(user: User, organisation: Organisation | None, template: str, context: dict[str, Any]) -> None:
    send_email(
        to=[user.email],
        template=f"orders/email/{template}",
        context={"recipient": user, **context},
        language=language_of(user, organisation),
    )


PROVISIONED = gettext_noop("%(product)s for %(customer)s is provisioned")
PROVISIONED_BODY = gettext_noop("Order %(order)s is done. Vendor account: %(account)s.")
INQUIRY = gettext_noop("The vendor asks about order %(order)s")
NOT_PROVISIONED = gettext_noop("Order %(order)s could not be provisioned")
OVERDUE = gettext_noop("Provisioning overdue: %(order)s")
OVERDUE_BODY = gettext_noop("%(vendor)s was due to provision %(product)s for %(customer)s by %(due)s.")
RENEWAL_FAILED = gettext_noop("Renewal failed: %(subscription)s")
RENEWAL_FAILED_BODY = gettext_noop("The renewal of %(product)s for %(customer)s failed: %(reason)s")


def _in_app(
    user: User,
    organisation: Organisation,
    url: str,
    message: str,
    params: dict[str, Any],
    body_message: str = "",
    body: str = "",
) -> None:
    """Stored as message ids, rendered in the reader's language when shown; `body` is a person's words."""
    notify(
        recipient=user,
        organisation=organisation,
        message=message,
        body_message=body_message,
        params=params,
        body=body,
        url=url,
    )


def order_placed(order: Order, request: ProvisioningRequest | None) -> None:
    if order.placed_by_user is None:
        return
    _mail(
        order.placed_by_user,
        order.placed_by,
        "order_placed",
        {"order": order, "request": request, "url": absolute(order_url(order))},
    )


def provisioning_requested(request: ProvisioningRequest) -> None:
    url = reverse("orders:provisioning_detail", args=[request.pk])
    for user in users_with_roles(request.vendor, VENDOR_ROLES):
        _mail(
            user,
            request.vendor,
            "provisioning_requested",
            {"request": request, "order": request.order, "url": absolute(url)},
        )


def provisioning_done(order: Order, subscription: Subscription) -> None:
    """R1.12: the end customer is told to set up the account; R1.10: the reseller, if it asked."""
    if subscription.end_customer_email:
        language = language_of(None, subscription.customer)
        send_email(
            to=[subscription.end_customer_email],
            template="orders/email/account_ready",
            context={"order": order, "subscription": subscription, "vendor": subscription.product.vendor},
            language=language,
        )
    user = order.placed_by_user
    if order.notify_me and user is not None:
        url = order_url(order)
        _mail(
            user,
            order.placed_by,
            "provisioning_done",
            {"order": order, "subscription": subscription, "url": absolute(url)},
        )
        params = {
            "product": subscription.product.name,
            "customer": subscription.customer.name,
            "order": order.reference,
            "account": subscription.vendor_account_id or "-",
        }
        _in_app(user, order.placed_by, url, PROVISIONED, params, PROVISIONED_BODY)


def inquiry(request: ProvisioningRequest) -> None:
    order = request.order
    user = order.placed_by_user
    if user is None:
        return
    params = {"order": order.reference}
    _in_app(user, order.placed_by, order_url(order), INQUIRY, params, body=request.question)


def provisioning_failed(request: ProvisioningRequest) -> None:
    order = request.order
    user = order.placed_by_user
    if user is None:
        return
    params = {"order": order.reference}
    _in_app(user, order.placed_by, order_url(order), NOT_PROVISIONED, params, body=request.failure_reason)


def provisioning_overdue(request: ProvisioningRequest) -> None:
    """R1.12: an order past its due time is flagged to operators (in the app and by e-mail)."""
    url = reverse("orders:provisioning_detail", args=[request.pk])
    for operator in Organisation.objects.filter(kind=OrganisationKind.OPERATOR):
        for user in users_with_roles(operator, (Role.ADMIN, Role.SUPPORT_AGENT, Role.LEGAL_REPRESENTATIVE)):
            params = {
                "order": request.order.reference,
                "vendor": request.vendor.name,
                "product": request.order.product.name,
                "customer": request.order.customer.name,
                "due": request.due_at,
            }
            _in_app(user, operator, url, OVERDUE, params, OVERDUE_BODY)
            _mail(
                user,
                operator,
                "provisioning_overdue",
                {"request": request, "order": request.order, "url": absolute(url)},
            )


def trial_ending_soon(subscription: Subscription) -> None:
    url = absolute(subscription_url(subscription))
    for user, organisation in subscription_contacts(subscription):
        _mail(user, organisation, "trial_ending_soon", {"subscription": subscription, "url": url})


def trial_expired(subscription: Subscription) -> None:
    url = absolute(subscription_url(subscription))
    for user, organisation in subscription_contacts(subscription):
        _mail(user, organisation, "trial_expired", {"subscription": subscription, "url": url})


def renewal_done(order: Order, subscription: Subscription) -> None:
    url = absolute(order_url(order))
    for user, organisation in subscription_contacts(subscription):
        _mail(user, organisation, "renewal_done", {"order": order, "subscription": subscription, "url": url})


def renewal_failed(subscription: Subscription, reason: str) -> None:
    """R1.16: an automatic renewal that failed is flagged to operators (in the app and by e-mail)."""
    url = subscription_url(subscription)
    for operator in Organisation.objects.filter(kind=OrganisationKind.OPERATOR):
        for user in users_with_roles(operator, (Role.ADMIN, Role.SUPPORT_AGENT, Role.LEGAL_REPRESENTATIVE)):
            params = {
                "subscription": subscription.name or subscription.product.name,
                "product": subscription.product.name,
                "customer": subscription.customer.name,
                "reason": reason,
            }
            _in_app(user, operator, url, RENEWAL_FAILED, params, RENEWAL_FAILED_BODY)
            _mail(
                user,
                operator,
                "renewal_failed",
                {"subscription": subscription, "reason": reason, "url": absolute(url)},
            )
