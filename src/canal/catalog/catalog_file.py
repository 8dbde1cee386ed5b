"""The declarative catalog file (YAML, docs/catalog.md): its schema, its checks, reading and writing.

`parse()` reads a file and returns a `CatalogFile` or raises `CatalogFileError` listing every problem
as "file: path.to.field: what is wrong". Amounts are read as Decimal straight from the text (numbers in
YAML never pass through float). `dump()` writes a `CatalogFile` back in the same shape. No database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PositiveInt, StringConstraints
from pydantic import ValidationError as SchemaError

from canal.core.money import check_currency

CODE_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN, max_length=80)]
Currency = Annotated[str, AfterValidator(check_currency)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=19, decimal_places=4)]
Rate = Annotated[Decimal, Field(ge=0, le=1, decimal_places=4)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

PriceModelName = Literal["per_unit", "flat", "volume", "volume_discount", "graduated", "client_tiers"]
KindName = Literal["saas", "seat_licenses", "on_premise_license", "hosting", "support_credits"]
UnitName = Literal[
    "seat", "user", "license", "client", "hosting", "pack", "contact", "row", "visitor", "automation_credit"
]
TermName = Literal["annual_prepaid", "monthly"]


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextsSpec(Spec):
    """One language's version of an entry's texts; what is left out shows the entry's own text."""

    name: Text = ""
    description: Text = ""
    category: Text = ""
    help: Text = ""


# The other languages' texts of an entry: {"es": {"description": "..."}} (the file's own text is English).
Translations = dict[Literal["es", "en"], TextsSpec]


class TierSpec(Spec):
    up_to: PositiveInt | None
    price: dict[Currency, Amount] | None = None
    rate: Rate | None = None


class PriceSpec(Spec):
    model: PriceModelName
    amount: dict[Currency, Amount] | None = None
    tiers: list[TierSpec] = []


class QuantitySpec(Spec):
    minimum: Annotated[int, Field(ge=0)] = 1
    maximum: PositiveInt | None = None
    step: PositiveInt = 1
    allowed: list[PositiveInt] = []
    suggest_over_maximum: Code | None = None


class PlanSpec(Spec):
    code: Code
    name: Name
    description: Text = ""
    translations: Translations = {}
    rank: Annotated[int, Field(ge=0)] = 0
    term: TermName = "annual_prepaid"
    trial_days: Annotated[int, Field(ge=0, le=365)] = 0
    quantity: QuantitySpec = QuantitySpec()
    package_required_above: PositiveInt | None = None
    includes_all_modules: bool = False
    renewable: bool = True
    quantity_changeable: bool = True
    price: PriceSpec | None = None


class AddOnSpec(Spec):
    code: Code
    name: Name
    description: Text = ""
    translations: Translations = {}
    plans: list[Code] = []
    price: PriceSpec


class PackageSpec(Spec):
    code: Code
    name: Name
    description: Text = ""
    translations: Translations = {}
    seat_limit: PositiveInt | None = None
    plans: list[Code] = []
    price: PriceSpec


class OptionSpec(Spec):
    code: Code
    name: Name
    description: Text = ""
    translations: Translations = {}
    price: PriceSpec


class SupportPackSpec(Spec):
    code: Code
    name: Name
    description: Text = ""
    translations: Translations = {}
    credits: PositiveInt
    price: PriceSpec


class CostSpec(Spec):
    licensed: Annotated[int, Field(ge=0)]
    unlicensed: Annotated[int, Field(ge=0)]


class TicketCategorySpec(Spec):
    code: Code
    name: Name
    description: Text = ""
    help: Text = ""
    translations: Translations = {}
    cost: CostSpec


class ProductSpec(Spec):
    code: Code
    name: Name
    description: Text = ""
    kind: KindName
    unit: UnitName
    category: Text = ""
    translations: Translations = {}
    priority_support: bool = True
    requires_terms_acceptance: bool = False
    terms_url: Text = ""
    requires_end_customer: bool = False
    provisioning_hours: PositiveInt | None = None
    active: bool = True
    # Sorted, so a file and its export list them alike; the order carries no meaning.
    currencies: Annotated[list[Currency], Field(min_length=1), AfterValidator(sorted)]
    plans: list[PlanSpec] = []
    add_ons: list[AddOnSpec] = []
    packages: list[PackageSpec] = []
    modules: list[OptionSpec] = []
    license_types: list[OptionSpec] = []
    support_packs: list[SupportPackSpec] = []
    ticket_categories: list[TicketCategorySpec] = []


class CatalogFile(Spec):
    vendor: Name
    products: Annotated[list[ProductSpec], Field(min_length=1)]


class CatalogFileError(Exception):
    """A catalog file that cannot be imported; `errors` are "file: path: message" lines, all of them."""

    def __init__(self, source: str, errors: Iterable[str]) -> None:
        self.source = source
        self.errors = [f"{source}: {error}" for error in errors]
        super().__init__("\n".join(self.errors))


class _Loader(yaml.SafeLoader):
    """Reads YAML numbers with a fraction as Decimal, so 9.92 stays exactly 9.92."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    text = loader.construct_scalar(node)
    try:
        return Decimal(str(text).replace("_", ""))
    except InvalidOperation:
        return str(text)  # ".inf" and ".nan": the schema refuses them with a clear message


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def _path(location: Iterable[Any]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(file)"


def parse(text: str, *, source: str = "catalog.yaml") -> CatalogFile:
    """Read and check a catalog file; raise CatalogFileError with every problem found."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise CatalogFileError(
            source, [f"{where}: not valid YAML ({getattr(error, 'problem', error)})"]
        ) from None
    try:
        catalog = CatalogFile.model_validate(data)
    except SchemaError as error:
        raise CatalogFileError(
            source, [f"{_path(item['loc'])}: {item['msg']}" for item in error.errors(include_url=False)]
        ) from None
    problems = list(check(catalog))
    if problems:
        raise CatalogFileError(source, problems)
    return catalog


def dump(catalog: CatalogFile) -> str:
    data = catalog.model_dump(mode="python", exclude_defaults=True)
    data = {"vendor": catalog.vendor, **data}  # the vendor line first, even if it were a default
    # Lists and maps of plain values stay on one line ("currencies: [CHF, EUR]"), as people write them.
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None
    )


def _duplicates(codes: Iterable[str]) -> list[str]:
    return sorted(code for code, count in Counter(codes).items() if count > 1)


def check(catalog: CatalogFile) -> Iterable[str]:
    """The rules a schema cannot say: references between items, currencies, tiers, kinds."""
    for code in _duplicates(product.code for product in catalog.products):
        yield f"products: the code {code!r} is used twice"
    for index, product in enumerate(catalog.products):
        yield from _check_product(product, f"products[{index}]")


def _check_product(product: ProductSpec, at: str) -> Iterable[str]:
    plan_codes = {plan.code for plan in product.plans}
    for name in (
        "plans",
        "add_ons",
        "packages",
        "modules",
        "license_types",
        "support_packs",
        "ticket_categories",
    ):
        for code in _duplicates(item.code for item in getattr(product, name)):
            yield f"{at}.{name}: the code {code!r} is used twice"
    if len(set(product.currencies)) != len(product.currencies):
        yield f"{at}.currencies: a currency is listed twice"
    kind_only = {
        "modules": "on_premise_license",
        "license_types": "seat_licenses",
        "support_packs": "support_credits",
        "ticket_categories": "support_credits",
    }
    for name, kind in kind_only.items():
        if getattr(product, name) and product.kind != kind:
            yield f"{at}.{name}: only products of kind {kind} have {name.replace('_', ' ')}"
    if product.kind == "support_credits" and not product.support_packs:
        yield f"{at}.support_packs: a support_credits product needs at least one pack"
    if product.kind != "support_credits" and not product.plans:
        yield f"{at}.plans: a {product.kind} product needs at least one plan"
    for index, plan in enumerate(product.plans):
        yield from _check_plan(product, plan, plan_codes, f"{at}.plans[{index}]")
    for name in ("add_ons", "packages"):
        for index, item in enumerate(getattr(product, name)):
            if not item.plans:
                yield f"{at}.{name}[{index}].plans: list the plans that offer {item.code!r}"
            for code in item.plans:
                if code not in plan_codes:
                    yield f"{at}.{name}[{index}].plans: {code!r} is not a plan of {product.code!r}"
    for name in ("add_ons", "packages", "modules", "license_types", "support_packs"):
        for index, item in enumerate(getattr(product, name)):
            yield from _check_price(product, item.price, f"{at}.{name}[{index}].price", plan_price=False)
    for index, module in enumerate(product.modules):
        if module.price.model != "flat":
            yield f"{at}.modules[{index}].price.model: a module has a flat price, not {module.price.model}"


def _check_plan(product: ProductSpec, plan: PlanSpec, plan_codes: set[str], at: str) -> Iterable[str]:
    quantity = plan.quantity
    if quantity.allowed and (quantity.maximum is not None or quantity.step != 1 or quantity.minimum != 1):
        yield f"{at}.quantity: give either allowed values or minimum/maximum/step, not both"
    if quantity.allowed and sorted(set(quantity.allowed)) != quantity.allowed:
        yield f"{at}.quantity.allowed: list each value once, from the smallest up"
    if quantity.maximum is not None and quantity.maximum < quantity.minimum:
        yield f"{at}.quantity.maximum: {quantity.maximum} is below the minimum {quantity.minimum}"
    if quantity.suggest_over_maximum is not None:
        if quantity.suggest_over_maximum not in plan_codes - {plan.code}:
            suggested = quantity.suggest_over_maximum
            yield f"{at}.quantity.suggest_over_maximum: {suggested!r} is not another plan of {product.code!r}"
        if quantity.maximum is None and not quantity.allowed:
            yield f"{at}.quantity.suggest_over_maximum: the plan has no maximum to suggest it above"
    if plan.price is not None:
        yield from _check_price(product, plan.price, f"{at}.price", plan_price=True)
    if plan.includes_all_modules and product.kind != "on_premise_license":
        yield f"{at}.includes_all_modules: only on-premise licenses have modules"


def _check_price(product: ProductSpec, price: PriceSpec, at: str, *, plan_price: bool) -> Iterable[str]:
    expected = set(product.currencies)
    currencies = f"give exactly the product's currencies {sorted(expected)}"
    tiered = price.model in {"volume", "graduated", "client_tiers"}
    if price.model == "client_tiers" and not (plan_price and product.kind == "on_premise_license"):
        yield f"{at}.model: client_tiers prices only plans of on_premise_license products"
    if product.kind == "on_premise_license" and plan_price and price.model not in {"client_tiers", "flat"}:
        yield f"{at}.model: an on-premise license plan is priced by client_tiers (or flat, when free)"
    if tiered or price.model == "volume_discount":
        if not price.tiers:
            yield f"{at}.tiers: a {price.model} price needs tiers"
        bounds = [tier.up_to for tier in price.tiers]
        closed = [bound for bound in bounds if bound is not None]
        if None in bounds[:-1] or closed != sorted(set(closed)):
            yield f"{at}.tiers: bounds must go up and only the last tier may be open (up_to: null)"
    elif price.tiers:
        yield f"{at}.tiers: a {price.model} price has no tiers"
    needs_amount = price.model in {"per_unit", "flat", "volume_discount"}
    if needs_amount and price.amount is None:
        yield f"{at}.amount: a {price.model} price needs an amount per currency"
    if not needs_amount and price.amount is not None:
        yield f"{at}.amount: a {price.model} price is given in its tiers, not as an amount"
    if price.amount is not None and set(price.amount) != expected:
        yield f"{at}.amount: {currencies}, not {sorted(price.amount)}"
    for index, tier in enumerate(price.tiers):
        where = f"{at}.tiers[{index}]"
        if price.model == "volume_discount":
            if tier.rate is None or tier.price is not None:
                yield f"{where}: a volume_discount tier has a rate and no price"
        elif tier.price is None or tier.rate is not None:
            yield f"{where}: a {price.model} tier has a price per currency and no rate"
        elif set(tier.price) != expected:
            yield f"{where}.price: {currencies}, not {sorted(tier.price)}"
