"""REST endpoints of the catalog (browse products and prices) and of quotes (price a configuration)."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import CursorPagination, paginate

from canal.api.fields import Code, Text
from canal.catalog import presenters, selectors, services
from canal.catalog.offer import Configuration
from canal.catalog.schemas import ProductOut, ProductSummaryOut, QuoteIn, QuoteOut
from canal.pricing import Proration

router = Router(tags=["catalog"])
quotes_router = Router(tags=["quotes"])


class ProductFilters(Schema):
    kind: Text(64) | None = None
    vendor_id: int | None = None


@router.get("/products", response=list[ProductSummaryOut], summary="Products you may see and order")
@paginate(CursorPagination, ordering=("id",))
def list_products(request: HttpRequest, filters: Query[ProductFilters]):
    products = selectors.products_visible_to(request.actor)  # type: ignore[attr-defined]
    if filters.kind:
        products = products.filter(kind=filters.kind)
    if filters.vendor_id:
        products = products.filter(vendor_id=filters.vendor_id)
    return products


@router.get("/products/{code}", response=ProductOut, summary="A product's plans, options, rules and prices")
def get_product(request: HttpRequest, code: Code) -> dict:
    actor = request.actor  # type: ignore[attr-defined]
    level = selectors.programme_level_for(actor)
    return presenters.product_detail(
        selectors.product_for(actor, code), level.discount_rate.normalize() if level else None
    )


@quotes_router.post(
    "",
    response=QuoteOut,
    summary="Validate and price a configuration for a customer, without ordering",
    description="422 with every broken ordering rule in `violations` when the configuration is refused.",
)
def create_quote(request: HttpRequest, payload: QuoteIn) -> dict:
    dates = (payload.purchase_date, payload.cycle_start, payload.next_cycle_start)
    proration = Proration(*dates) if all(dates) else None  # type: ignore[arg-type]
    priced = services.quote_configuration(
        actor=request.actor,  # type: ignore[attr-defined]
        configuration=Configuration(
            product=payload.product,
            plan=payload.plan,
            quantity=payload.quantity,
            add_ons=tuple(payload.add_ons),
            package=payload.package,
            modules=tuple(payload.modules),
            license_types=tuple(sorted(payload.license_types.items())),
            support_pack=payload.support_pack,
        ),
        customer_id=payload.customer_id,
        currency=payload.currency,
        proration=proration,
    )
    return presenters.quote_body(priced)
