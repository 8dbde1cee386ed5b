"""Reads of license servers, scoped to the actor: the customer, its partners (by grant) and the vendor."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.scope import scoped
from canal.catalog.models import Product, ProductKind
from canal.core.errors import NotFound
from canal.licensing.models import ActivationKey, HardwareChange, Heartbeat, Release, ServerStatus, SigningKey
from canal.subscriptions.models import Subscription, SubscriptionStatus


def servers_visible_to(actor: Actor) -> QuerySet[Subscription]:
    """Every on-premise license the actor may see, with its server when the appliance has one.

    A license is listed from the moment it is ordered (R2.3), so the rows are subscriptions; `server`
    is absent until its first activation key is made."""
    queryset = (
        Subscription.objects.filter(product__kind=ProductKind.ON_PREMISE_LICENSE)
        .exclude(status__in=[SubscriptionStatus.CANCELLED])
        .select_related("server", "customer", "product", "product__vendor", "plan")
        .prefetch_related("product__modules")
        # In the query, so a page of servers does not ask once per row whether it has a key.
        .annotate(
            has_live_key=Exists(
                ActivationKey.objects.filter(server_id=OuterRef("pk"), revoked_at__isnull=True)
            )
        )
        .order_by("customer__name", "name", "pk")
    )
    return scoped(
        queryset,
        actor,
        organisation_field="customer",
        product_field="product__code",
        vendor_field="product__vendor",
    )


@dataclass(frozen=True)
class ServerFilters:
    """The vendor's and operator's filters (issue 11, item 6); empty means all."""

    status: str = ""
    over_licensed: bool = False
    possible_fault: bool = False
    at_limit: bool = False
    customer: str = ""


def filtered_servers(actor: Actor, filters: ServerFilters) -> QuerySet[Subscription]:
    queryset = servers_visible_to(actor)
    if filters.status == ServerStatus.AWAITING_ACTIVATION:
        queryset = queryset.filter(Q(server__isnull=True) | Q(server__status=filters.status))
    elif filters.status:
        queryset = queryset.filter(server__status=filters.status)
    if filters.over_licensed:
        queryset = queryset.filter(server__over_licensed_since__isnull=False)
    if filters.possible_fault:
        queryset = queryset.filter(server__possible_fault_since__isnull=False)
    if filters.at_limit:
        queryset = queryset.filter(server__change_count__gte=F("server__change_limit"))
    if filters.customer:
        queryset = queryset.filter(customer__name__icontains=filters.customer)
    return queryset


def server_license_for(actor: Actor, server_id: int) -> Subscription:
    try:
        return servers_visible_to(actor).get(pk=server_id)
    except Subscription.DoesNotExist:
        raise NotFound(_("No license server with this id."), field="server") from None


def hardware_history_of(actor: Actor, server_id: int) -> QuerySet[HardwareChange]:
    server_license_for(actor, server_id)
    return HardwareChange.objects.filter(server_id=server_id).select_related("by").order_by("-at", "-id")


def heartbeats_of(actor: Actor, server_id: int) -> QuerySet[Heartbeat]:
    server_license_for(actor, server_id)
    return Heartbeat.objects.filter(server_id=server_id).order_by("at", "id")


def releases_visible_to(actor: Actor) -> QuerySet[Release]:
    """Vendors see their own products' releases; customers and partners those of products they license."""
    queryset = Release.objects.select_related("product", "product__vendor")
    if actor.is_operator:
        return queryset
    licensed = servers_visible_to(actor).values("product_id")
    return queryset.filter(Q(product__vendor=actor.organisation) | Q(product_id__in=licensed))


def appliance_products_of(actor: Actor) -> QuerySet[Product]:
    """The on-premise products a vendor (or the operator) may publish releases for."""
    queryset = Product.objects.filter(kind=ProductKind.ON_PREMISE_LICENSE).order_by("name")
    if actor.is_operator:
        return queryset
    return queryset.filter(vendor=actor.organisation)


def published_keys() -> QuerySet[SigningKey]:
    """Public by design: appliance makers fetch these to verify license files offline."""
    return SigningKey.objects.select_related("vendor").order_by("vendor__name")
