"""REST endpoints of the catalog (browse products and prices, import a catalog file) and of quotes."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import CursorPagination, paginate

from canal.api.fields import Code, Text
from canal.catalog import presenters, selectors, services
from canal.catalog.catalog_file import CatalogFileError
from canal.catalog.offer import Configuration
from canal.catalog.schemas import CatalogImportOut, ProductOut, ProductSummaryOut, QuoteIn, QuoteOut
from canal.core.errors import RuleViolation
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


MAX_CATALOG_FILE_BYTES = 2 * 1024 * 1024


class CatalogFileRefused(RuleViolation):
    """Every problem of the file, each as "file: path: message", like `canal import-catalog` prints."""

    default_code = "catalog_file_invalid"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            _("The catalog file cannot be imported: %(problem)s") % {"problem": problems[0]},
            field="file",
            suggestion=_(
                "Correct every listed line (docs/catalog.md describes the file) and upload it again."
            ),
        )
        self.problems = problems

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": [{"field": "file", "message": line} for line in self.problems]}


@router.post(
    "/imports",
    response=CatalogImportOut,
    summary="Vendor or operator: import a catalog file (YAML, docs/catalog.md); all of it or nothing",
    description="Products the file names are created or replaced; products it does not name are left alone. "
    "Importing the same file again changes nothing.",
)
def import_catalog_file(request: HttpRequest, file: File[UploadedFile]) -> dict:
    name = (file.name or "catalog.yaml").rsplit("/", 1)[-1]
    if file.size is None or file.size > MAX_CATALOG_FILE_BYTES:
        raise CatalogFileRefused([f"{name}: larger than {MAX_CATALOG_FILE_BYTES // 1024} KiB"])
    try:
        text = file.read().decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogFileRefused([f"{name}: not UTF-8 text"]) from None
    try:
        result = services.import_catalog(actor=request.actor, text=text, source=name)  # type: ignore[attr-defined]
    except CatalogFileError as error:
        raise CatalogFileRefused(error.errors) from None
    return {
        "vendor_id": result.vendor.pk,
        "vendor": result.vendor.name,
        "created": result.created,
        "updated": result.updated,
    }


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
