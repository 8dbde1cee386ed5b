from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import User
from canal.accounts.scope import scoped
from canal.core.errors import NotFound
from canal.subscriptions.models import (
    ProvisioningRequest,
    SeatAssignment,
    SeatCountChange,
    SeatPool,
    Subscription,
)


def subscriptions_visible_to(actor: Actor) -> QuerySet[Subscription]:
    """The customer's own subscriptions, those a partner manages within its grants, a vendor's sales."""
    queryset = Subscription.objects.select_related("customer", "payer", "partner", "product", "plan")
    return scoped(
        queryset,
        actor,
        organisation_field="customer",
        product_field="product__code",
        vendor_field="product__vendor",
    )


def subscription_for(actor: Actor, subscription_id: int) -> Subscription:
    try:
        return subscriptions_visible_to(actor).get(pk=subscription_id)
    except Subscription.DoesNotExist:
        raise NotFound(_("No subscription with this id.")) from None


def seat_pools_of(actor: Actor, subscription_id: int) -> QuerySet[SeatPool]:
    subscription = subscription_for(actor, subscription_id)
    return subscription.seat_pools.select_related("license_type").order_by(
        "license_type__position", "license_type__code"
    )


def seat_pool_for(actor: Actor, subscription_id: int, license_type_code: str) -> SeatPool:
    """One pool of a subscription the actor may see, in a single query (the hot path of assignment)."""
    pools = scoped(
        # The product and its vendor come along: assigning tells the vendor (seats._tell_vendor).
        SeatPool.objects.select_related("subscription__product__vendor", "license_type"),
        actor,
        organisation_field="subscription__customer",
        product_field="subscription__product__code",
        vendor_field="subscription__product__vendor",
    )
    pool = pools.filter(subscription_id=subscription_id, license_type__code=license_type_code).first()
    if pool is None:
        if not subscriptions_visible_to(actor).filter(pk=subscription_id).exists():
            raise NotFound(_("No subscription with this id."))
        raise NotFound(_("This subscription has no license of that type."), field="license_type")
    return pool


def customer_user_for(subscription: Subscription, user_id: int) -> User:
    """A user of the subscription's customer; users of other organisations answer 404."""
    user = User.objects.filter(pk=user_id, memberships__organisation_id=subscription.customer_id).first()
    if user is None:
        raise NotFound(_("No user with this id in the customer's organisation."), field="user")
    return user


def seat_users_of(actor: Actor, subscription_id: int) -> QuerySet[User]:
    """The customer's users with the licenses each holds in this subscription (R3.1, R3.5)."""
    subscription = subscription_for(actor, subscription_id)
    held = SeatAssignment.objects.filter(pool__subscription=subscription).select_related("pool__license_type")
    return (
        User.objects.filter(memberships__organisation=subscription.customer)
        .distinct()
        .annotate(
            license_count=Count(
                "seat_assignments", filter=Q(seat_assignments__pool__subscription=subscription)
            )
        )
        .prefetch_related(Prefetch("seat_assignments", queryset=held, to_attr="held_seats"))
        .order_by("full_name", "email")
    )


def seat_history_of(actor: Actor, subscription_id: int) -> QuerySet[SeatCountChange]:
    subscription = subscription_for(actor, subscription_id)
    return SeatCountChange.objects.filter(pool__subscription=subscription).select_related(
        "pool__license_type"
    )


# --- provisioning requests (issue 5) ---------------------------------------------------------------


def provisioning_requests_visible_to(actor: Actor) -> QuerySet[ProvisioningRequest]:
    """A vendor's queue (its own products), the orderer's and the customer's requests, everything for
    operators; other organisations' requests are absent (404)."""
    queryset = ProvisioningRequest.objects.select_related(
        "order__product", "order__customer", "order__placed_by", "order__plan", "subscription", "vendor"
    )
    if actor.is_operator:
        return queryset
    mine = actor.organisation
    return queryset.filter(Q(vendor=mine) | Q(order__placed_by=mine) | Q(order__customer=mine))


def provisioning_request_for(actor: Actor, request_id: int) -> ProvisioningRequest:
    request = provisioning_requests_visible_to(actor).filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("No provisioning request with this id."))
    return request
