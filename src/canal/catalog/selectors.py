"""Reads of the catalog, scoped to the actor, and the plain `Offer` the rules and the pricing work on.

The catalog is public to buyers: partners and customers see every product on sale. A vendor sees its
own products (on sale or not), the operator everything. Products outside that answer 404.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import AccessLevel, ClientRelationship, Organisation, OrganisationKind
from canal.accounts.scope import active_relationships, clients_of, visible_organisations
from canal.core.errors import NotFound
from canal.core.money import Money
from canal.partners.models import ProgrammeLevel
from canal.partners.selectors import programme_level_of
from canal.pricing import (
    DiscountTier,
    Flat,
    Graduated,
    PerUnit,
    PriceTier,
    PricingModel,
    Volume,
    VolumeDiscount,
)

from .models import (
    AddOn,
    OnboardingPackage,
    Price,
    PriceList,
    PriceModel,
    Product,
    ProductKind,
    TicketCategory,
)
from .offer import Offer, Option, PlanRules


def products_visible_to(actor: Actor) -> QuerySet[Product]:
    products = Product.objects.select_related("vendor")
    if actor.is_operator:
        return products
    if actor.kind == OrganisationKind.VENDOR:
        return products.filter(vendor=actor.organisation)
    return products.filter(is_active=True)


def _detailed(products: QuerySet[Product]) -> QuerySet[Product]:
    return products.prefetch_related(
        "plans__suggest_over_maximum",
        Prefetch("add_ons", queryset=AddOn.objects.prefetch_related("plans")),
        Prefetch("packages", queryset=OnboardingPackage.objects.prefetch_related("plans")),
        "modules",
        "license_types",
        "support_packs",
        "ticket_categories",
        Prefetch("price_lists", queryset=PriceList.objects.prefetch_related("prices")),
    )


def product_for(actor: Actor, code: str) -> Product:
    """The product with all its plans, options and prices, or 404."""
    product = _detailed(products_visible_to(actor)).filter(code=code).first()
    if product is None:
        raise NotFound(_("No product with the code “%(code)s”.") % {"code": code}, field="product")
    return product


# Offers built from the catalog tables, by product id and update time. An Offer is immutable and every
# import touches Product.updated_at, so a stale entry is never returned; any process may hold a copy.
_OFFERS: dict[tuple[int, object], Offer] = {}
_OFFERS_KEPT = 256


def offer_for(actor: Actor, code: str) -> Offer:
    """The product's Offer, scoped like `product_for`; built once per catalog version and process."""
    row = products_visible_to(actor).filter(code=code).values_list("pk", "updated_at").first()
    if row is None:
        raise NotFound(_("No product with the code “%(code)s”.") % {"code": code}, field="product")
    offer = _OFFERS.get(row)
    if offer is None:
        offer = offer_of(_detailed(Product.objects.filter(pk=row[0])).get())
        if len(_OFFERS) >= _OFFERS_KEPT:
            _OFFERS.clear()
        _OFFERS[row] = offer
    return offer


def support_products_visible_to(actor: Actor) -> QuerySet[Product]:
    """Products selling support credits, with their packs and ticket cost tables (R2.13, R2.14)."""
    return _detailed(products_visible_to(actor).filter(kind=ProductKind.SUPPORT_CREDITS))


def ticket_categories_of(product: Product) -> list[TicketCategory]:
    return list(product.ticket_categories.all())


def customers_for_quotes(actor: Actor) -> QuerySet[Organisation]:
    """The customers the actor may price a configuration for: itself, or a partner's clients."""
    return visible_organisations(actor).filter(kind=OrganisationKind.CUSTOMER)


def customer_for_quote(actor: Actor, customer_id: int) -> Organisation:
    if actor.kind == OrganisationKind.PARTNER:
        # A partner prices for its clients only: the request's client list has them, no query needed.
        relationship = clients_of(actor).relationship_with(customer_id)
        customer = relationship.client if relationship is not None else None
    else:
        customer = customers_for_quotes(actor).filter(pk=customer_id).first()
    if customer is None or customer.kind != OrganisationKind.CUSTOMER:
        raise NotFound(_("No customer with this id."), field="customer")
    return customer


def default_customer_for(actor: Actor, product_code: str) -> Organisation | None:
    """A partner's first client it may order `product_code` for (full access, or the product granted)."""
    relationships = active_relationships(actor).select_related("client").prefetch_related("grants")
    for relationship in relationships.order_by("client__name", "client_id"):
        granted = {grant.product_code for grant in relationship.grants.all()}
        if relationship.access == AccessLevel.FULL or product_code in granted:
            return relationship.client
    return None


def products_to_order_for(actor: Actor, customer_id: int | None) -> QuerySet[Product]:
    """What the order form offers: for a partner's client under limited access, only the products the
    client granted (R4.5); otherwise every product the actor sees."""
    products = products_visible_to(actor)
    if actor.kind != OrganisationKind.PARTNER or not customer_id:
        return products
    relationship = (
        active_relationships(actor).filter(client_id=customer_id).prefetch_related("grants").first()
    )
    if relationship is None or relationship.access == AccessLevel.FULL:
        return products
    return products.filter(code__in=[grant.product_code for grant in relationship.grants.all()])


def relationship_with(actor: Actor, client: Organisation) -> ClientRelationship | None:
    """The actor's active relationship with `client` (the actor being the partner)."""
    return clients_of(actor).relationship_with(client.pk)


def products_granted(actor: Actor, relationship: ClientRelationship) -> frozenset[str]:
    """The product codes the client let the partner manage under limited access (R4.5)."""
    return clients_of(actor).granted.get(relationship.pk, frozenset())


def programme_level_for(actor: Actor) -> ProgrammeLevel | None:
    if actor.kind != OrganisationKind.PARTNER:
        return None
    return programme_level_of(actor.organisation)


def price_rows_by_currency(product: Product) -> dict[str, dict[tuple[str, str], Price]]:
    return {
        price_list.currency: {(price.item_kind, price.item_code): price for price in price_list.prices.all()}
        for price_list in product.price_lists.all()
    }


def engine_pricing(price: Price, currency: str) -> PricingModel | tuple[PriceTier, ...]:
    """The pricing engine's model for a price row; client-count tiers stay tiers (the quote adds modules)."""

    def money(value: object) -> Money:
        return Money(str(value), currency)

    price_tiers = tuple(
        PriceTier(tier["up_to"], money(tier.get("price"))) for tier in price.tiers if "price" in tier
    )
    match price.model:
        case PriceModel.PER_UNIT:
            return PerUnit(money(price.amount))
        case PriceModel.FLAT:
            return Flat(money(price.amount))
        case PriceModel.VOLUME:
            return Volume(price_tiers)
        case PriceModel.GRADUATED:
            return Graduated(price_tiers)
        case PriceModel.VOLUME_DISCOUNT:
            rates = tuple(DiscountTier(tier["up_to"], Decimal(tier["rate"])) for tier in price.tiers)
            return VolumeDiscount(money(price.amount), rates)
        case PriceModel.CLIENT_TIERS:
            return price_tiers
    raise ValueError(f"Unknown price model {price.model!r}.")


def offer_of(product: Product) -> Offer:
    """The plain view of a product (fetched by `product_for`, so nothing here queries again)."""

    def options(items: object, **extra: object) -> tuple[Option, ...]:
        return tuple(Option(code=item.code, name=item.name, **extra) for item in items.all())  # type: ignore[attr-defined]

    plans = tuple(
        PlanRules(
            code=plan.code,
            name=plan.name,
            rank=plan.rank,
            term=plan.term,
            trial_days=plan.trial_days,
            min_quantity=plan.min_quantity,
            max_quantity=plan.max_quantity,
            quantity_step=plan.quantity_step,
            allowed_quantities=tuple(plan.allowed_quantities),
            suggest_over_maximum=plan.suggest_over_maximum.code if plan.suggest_over_maximum else None,
            package_required_above=plan.package_required_above,
            includes_all_modules=plan.includes_all_modules,
            renewable=plan.renewable,
            quantity_changeable=plan.quantity_changeable,
        )
        for plan in product.plans.all()
    )
    return Offer(
        code=product.code,
        name=product.name,
        kind=product.kind,
        unit=product.unit,
        vendor_id=product.vendor_id,
        plans=plans,
        add_ons=tuple(
            Option(a.code, a.name, plans=frozenset(p.code for p in a.plans.all()))
            for a in product.add_ons.all()
        ),
        packages=tuple(
            Option(
                p.code, p.name, plans=frozenset(plan.code for plan in p.plans.all()), seat_limit=p.seat_limit
            )
            for p in product.packages.all()
        ),
        modules=options(product.modules),
        license_types=options(product.license_types),
        support_packs=tuple(Option(p.code, p.name, credits=p.credits) for p in product.support_packs.all()),
        prices={
            currency: {key: engine_pricing(price, currency) for key, price in rows.items()}
            for currency, rows in price_rows_by_currency(product).items()
        },
    )
