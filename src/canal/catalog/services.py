"""Catalog use cases: import and export the declarative catalog file, validate and price configurations.

`validate_configuration` and `quote_configuration` are the one place ordering rules and prices are
applied; the portal configurator, `POST /api/v1/quotes` and orders call them. They read only, so they
write no audit entry; the import writes one per product.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import AccessLevel, Organisation, OrganisationKind, Role
from canal.billing.partner_money import partner_terms, price_for
from canal.core import audit
from canal.core.errors import NotFound, RuleViolation
from canal.core.money import Money, round_money
from canal.pricing import Benefit, Proration, Quote

from . import catalog_file, quoting, rules, selectors
from .catalog_file import CatalogFile, CatalogFileError
from .models import (
    AddOn,
    ItemKind,
    LicenseType,
    Module,
    OnboardingPackage,
    Plan,
    Price,
    PriceList,
    Product,
    SupportPack,
    TicketCategory,
)
from .offer import Configuration, Offer, Violation

NO_RATE = Decimal(0)


class ConfigurationRefused(RuleViolation):
    """A configuration breaks ordering rules; `violations` lists every one of them."""

    default_code = "configuration_refused"

    def __init__(self, violations: list[Violation]) -> None:
        first = violations[0]
        super().__init__(first.message, code=first.code, field=first.field, suggestion=first.suggestion)
        self.violations = violations

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "violations": [violation.as_dict() for violation in self.violations]}


@dataclass(frozen=True)
class PricedConfiguration:
    """A configuration checked against the rules and, when it passes, priced for its payer.

    `quote` is what the payer pays: the public price, or the partner price when the partner pays with a
    discount (R4.8). `public_quote` is the public price; `cashback` what the partner would be credited
    (R4.7), shown only to that partner and the operator.
    """

    configuration: Configuration
    offer: Offer
    customer: Organisation | None
    currency: str
    violations: tuple[Violation, ...]
    quote: Quote | None = None
    public_quote: Quote | None = None
    benefit: Benefit = Benefit.NONE
    partner_discount_rate: Decimal = NO_RATE
    cashback: Money | None = None
    payer: Organisation | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.violations

    def violations_by_field(self) -> dict[str, list[Violation]]:
        grouped: dict[str, list[Violation]] = {}
        for violation in self.violations:
            grouped.setdefault(violation.field, []).append(violation)
        return grouped


def validate_configuration(*, actor: Actor, configuration: Configuration) -> list[Violation]:
    """Every ordering rule the configuration breaks (empty when it may be ordered)."""
    return rules.violations(selectors.offer_for(actor, configuration.product), configuration)


def price_configuration(
    *,
    actor: Actor,
    configuration: Configuration,
    customer_id: int | None = None,
    currency: str | None = None,
    proration: Proration | None = None,
) -> PricedConfiguration:
    """Validates `configuration` for a customer and prices it when valid; never raises for a rule.

    Payer, benefit, discount and cashback come from billing's `partner_terms` and `price_for`, the
    rules orders and invoices follow (R4.6-R4.8, R4.10); an operator prices as the client would order.
    """
    offer = selectors.offer_for(actor, configuration.product)
    found = rules.violations(offer, configuration)
    customer = _customer(actor, customer_id, found)
    chosen_currency = _currency(offer, customer, actor, currency, found)
    _check_granted(actor, customer, offer, found)
    base = PricedConfiguration(configuration, offer, customer, chosen_currency, tuple(found))
    if found:
        return base
    try:
        items = quoting.items_for(offer, configuration, chosen_currency)
        public = quoting.price_items(items, currency=chosen_currency, proration=proration)
    except quoting.NotPriced as error:
        return PricedConfiguration(configuration, offer, customer, chosen_currency, (error.violation,))
    if customer is None:  # an operator pricing without a customer: the public price, nobody pays yet
        return replace(base, quote=public, public_quote=public)
    orderer = actor.organisation if actor.kind == OrganisationKind.PARTNER else customer
    terms = partner_terms(orderer=orderer, client=customer, product_code=offer.code)
    priced = price_for(terms, items, currency=chosen_currency, proration=proration)
    shows_cashback = terms.cashback_partner is not None and actor.kind != OrganisationKind.CUSTOMER
    return replace(
        base,
        quote=priced.quote,
        public_quote=public,
        benefit=terms.benefit,
        partner_discount_rate=terms.discount_rate,
        cashback=priced.cashback if shows_cashback else None,
        payer=terms.payer,
    )


def quote_configuration(
    *,
    actor: Actor,
    configuration: Configuration,
    customer_id: int | None = None,
    currency: str | None = None,
    proration: Proration | None = None,
) -> PricedConfiguration:
    """Like `price_configuration`, but refuses an invalid configuration with every violation."""
    priced = price_configuration(
        actor=actor,
        configuration=configuration,
        customer_id=customer_id,
        currency=currency,
        proration=proration,
    )
    if priced.violations:
        raise ConfigurationRefused(list(priced.violations))
    return priced


def _customer(actor: Actor, customer_id: int | None, found: list[Violation]) -> Organisation | None:
    if customer_id is not None:
        return selectors.customer_for_quote(actor, customer_id)
    if actor.kind == OrganisationKind.CUSTOMER:
        return actor.organisation
    if actor.kind == OrganisationKind.PARTNER:
        found.append(
            Violation("customer_required", "customer", _("Choose the client you are pricing this for."))
        )
    return None


def _currency(
    offer: Offer, customer: Organisation | None, actor: Actor, currency: str | None, found: list[Violation]
) -> str:
    if currency:
        violation = quoting.currency_violation(offer, currency)
        if violation is not None:
            found.append(violation)
        return currency
    preferred = (customer or actor.organisation).currency
    # Without an explicit choice, a product not sold in the customer's currency is quoted in its own.
    return preferred if preferred in offer.prices or not offer.currencies else offer.currencies[0]


def _check_granted(actor: Actor, customer: Organisation | None, offer: Offer, found: list[Violation]) -> None:
    """A partner may price only what its client let it manage (R4.5); checked before billing's terms,
    which would refuse it as not found."""
    if actor.kind != OrganisationKind.PARTNER or customer is None:
        return
    relationship = selectors.relationship_with(actor, customer)
    if relationship is None:  # customers_for_quotes only offers clients, so this is a race with an ending
        raise NotFound(_("No customer with this id."), field="customer")
    if relationship.access == AccessLevel.LIMITED and offer.code not in selectors.products_granted(
        actor, relationship
    ):
        found.append(
            Violation(
                "product_not_granted",
                "customer",
                _(
                    "%(client)s gave you access to chosen products only, and %(product)s is not one of them. "
                    "Ask the client to add it or to grant full access."
                )
                % {"client": customer.name, "product": offer.name},
            )
        )


# --- import and export of the catalog file ---------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    vendor: Organisation
    created: list[str]
    updated: list[str]


def import_catalog(*, actor: Actor | None, text: str, source: str = "catalog.yaml") -> ImportResult:
    """Validates a catalog file and creates or updates its products in one transaction.

    Items a product no longer lists are removed; products the file does not name are left alone.
    `actor` None is the command line (`canal import-catalog`). Raises CatalogFileError naming the file,
    the path and the field of every problem.
    """
    catalog = catalog_file.parse(text, source=source)
    vendor = Organisation.objects.filter(kind=OrganisationKind.VENDOR, name=catalog.vendor).first()
    if vendor is None:
        raise CatalogFileError(source, [f"vendor: no vendor organisation is named {catalog.vendor!r}"])
    if actor is not None and not actor.is_operator:
        if actor.organisation != vendor:
            raise NotFound(_("No vendor with this name."), field="vendor")
        actor.require_role(Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.TECHNICAL)
    taken = dict(
        Product.objects.filter(code__in=[p.code for p in catalog.products])
        .exclude(vendor=vendor)
        .values_list("code", "vendor__name")
    )
    if taken:
        raise CatalogFileError(
            source,
            [
                f"products[{index}].code: {spec.code!r} already belongs to {taken[spec.code]}"
                for index, spec in enumerate(catalog.products)
                if spec.code in taken
            ],
        )
    created, updated = [], []
    with transaction.atomic():
        for position, spec in enumerate(catalog.products):
            product, is_new = _store_product(vendor, spec, position)
            (created if is_new else updated).append(product.code)
            audit.record(
                actor=actor,
                action="catalog.product_imported",
                obj=product,
                after={"source": source, "code": product.code, "created": is_new},
            )
    return ImportResult(vendor=vendor, created=created, updated=updated)


def _store_product(
    vendor: Organisation, spec: catalog_file.ProductSpec, position: int
) -> tuple[Product, bool]:
    product, is_new = Product.objects.update_or_create(
        code=spec.code,
        defaults={
            "vendor": vendor,
            "name": spec.name,
            "description": spec.description,
            "translations": _stored_translations(spec.translations),
            "kind": spec.kind,
            "unit": spec.unit,
            "category": spec.category,
            "priority_support": spec.priority_support,
            "requires_terms_acceptance": spec.requires_terms_acceptance,
            "terms_url": spec.terms_url,
            "requires_end_customer": spec.requires_end_customer,
            "provisioning_hours": spec.provisioning_hours,
            "is_active": spec.active,
            "position": position,
        },
    )
    plans = _sync(
        product,
        Plan,
        spec.plans,
        lambda plan: {
            "rank": plan.rank,
            "term": plan.term,
            "trial_days": plan.trial_days,
            "min_quantity": plan.quantity.minimum,
            "max_quantity": plan.quantity.maximum,
            "quantity_step": plan.quantity.step,
            "allowed_quantities": list(plan.quantity.allowed),
            "package_required_above": plan.package_required_above,
            "includes_all_modules": plan.includes_all_modules,
            "renewable": plan.renewable,
            "quantity_changeable": plan.quantity_changeable,
        },
    )
    for plan_spec in spec.plans:  # a second pass: the suggested plan may come later in the file
        suggested = plans.get(plan_spec.quantity.suggest_over_maximum or "")
        Plan.objects.filter(pk=plans[plan_spec.code].pk).update(suggest_over_maximum=suggested)
    for model, specs in ((AddOn, spec.add_ons), (OnboardingPackage, spec.packages)):
        extra = (
            (lambda item: {"seat_limit": item.seat_limit})
            if model is OnboardingPackage
            else (lambda item: {})
        )
        rows = _sync(product, model, specs, extra)
        for item in specs:
            rows[item.code].plans.set([plans[code] for code in item.plans])
    _sync(product, Module, spec.modules, lambda item: {})
    _sync(product, LicenseType, spec.license_types, lambda item: {})
    _sync(product, SupportPack, spec.support_packs, lambda item: {"credits": item.credits})
    _sync(
        product,
        TicketCategory,
        spec.ticket_categories,
        lambda item: {
            "help_text": item.help,
            "cost_licensed": item.cost.licensed,
            "cost_unlicensed": item.cost.unlicensed,
        },
    )
    _store_prices(product, spec)
    return product, is_new


def _sync(product: Product, model: Any, specs: list[Any], extra: Any) -> dict[str, Any]:
    """Creates or updates one row per spec (by code) and deletes the product's rows no longer listed."""
    rows = {}
    for position, item in enumerate(specs):
        rows[item.code], _created = model.objects.update_or_create(
            product=product,
            code=item.code,
            defaults={
                "name": item.name,
                "description": item.description,
                "translations": _stored_translations(item.translations),
                "position": position,
                **extra(item),
            },
        )
    model.objects.filter(product=product).exclude(code__in=list(rows)).delete()
    return rows


def _priced_items(spec: catalog_file.ProductSpec) -> list[tuple[str, str, catalog_file.PriceSpec]]:
    items = [(ItemKind.PLAN, plan.code, plan.price) for plan in spec.plans if plan.price is not None]
    for kind, specs in (
        (ItemKind.ADD_ON, spec.add_ons),
        (ItemKind.PACKAGE, spec.packages),
        (ItemKind.MODULE, spec.modules),
        (ItemKind.LICENSE_TYPE, spec.license_types),
        (ItemKind.SUPPORT_PACK, spec.support_packs),
    ):
        items.extend((kind, item.code, item.price) for item in specs)
    return items


def _store_prices(product: Product, spec: catalog_file.ProductSpec) -> None:
    PriceList.objects.filter(product=product).exclude(currency__in=spec.currencies).delete()
    for currency in spec.currencies:
        price_list, _created = PriceList.objects.get_or_create(product=product, currency=currency)
        price_list.prices.all().delete()
        Price.objects.bulk_create(
            Price(
                price_list=price_list,
                item_kind=kind,
                item_code=code,
                model=price.model,
                amount=price.amount[currency] if price.amount is not None else None,
                tiers=[
                    {"up_to": tier.up_to, "rate": str(tier.rate)}
                    if tier.rate is not None
                    else {"up_to": tier.up_to, "price": str(tier.price[currency])}  # type: ignore[index]
                    for tier in price.tiers
                ],
            )
            for kind, code, price in _priced_items(spec)
        )


def catalog_spec_of(vendor: Organisation) -> CatalogFile:
    """The vendor's catalog as a catalog file: what `canal export-catalog` writes."""
    products = selectors._detailed(Product.objects.filter(vendor=vendor).order_by("position", "code"))
    return CatalogFile(vendor=vendor.name, products=[_product_spec(product) for product in products])


def export_catalog(*, actor: Actor | None, vendor: Organisation) -> str:
    if actor is not None and not actor.is_operator and actor.organisation != vendor:
        raise NotFound(_("No vendor with this name."), field="vendor")
    return catalog_file.dump(catalog_spec_of(vendor))


def _product_spec(product: Product) -> catalog_file.ProductSpec:
    rows = selectors.price_rows_by_currency(product)
    currencies = sorted(rows)

    def price(kind: str, code: str) -> catalog_file.PriceSpec | None:
        found = {
            currency: rows[currency][(kind, code)]
            for currency in currencies
            if (kind, code) in rows[currency]
        }
        if not found:
            return None
        first = next(iter(found.values()))
        amount = None
        if first.amount is not None:
            amount = {currency: _amount(row.amount, currency) for currency, row in found.items()}
        tiers = []
        for index, tier in enumerate(first.tiers):
            if "rate" in tier:
                tiers.append(
                    catalog_file.TierSpec(up_to=tier["up_to"], rate=Decimal(tier["rate"]).normalize())
                )
            else:
                tiers.append(
                    catalog_file.TierSpec(
                        up_to=tier["up_to"],
                        price={c: _amount(Decimal(row.tiers[index]["price"]), c) for c, row in found.items()},
                    )
                )
        return catalog_file.PriceSpec(model=first.model, amount=amount, tiers=tiers)

    def option(item: Any, kind: str, **extra: Any) -> dict[str, Any]:
        return {
            "code": item.code,
            "name": item.name,
            "description": item.description,
            "translations": _file_translations(item.translations),
            "price": price(kind, item.code),
            **extra,
        }

    plans = sorted(product.plans.all(), key=lambda plan: (plan.position, plan.code))
    return catalog_file.ProductSpec(
        code=product.code,
        name=product.name,
        description=product.description,
        translations=_file_translations(product.translations),
        kind=product.kind,
        unit=product.unit,
        category=product.category,
        priority_support=product.priority_support,
        requires_terms_acceptance=product.requires_terms_acceptance,
        terms_url=product.terms_url,
        requires_end_customer=product.requires_end_customer,
        provisioning_hours=product.provisioning_hours,
        active=product.is_active,
        currencies=currencies,
        plans=[
            catalog_file.PlanSpec(
                code=plan.code,
                name=plan.name,
                description=plan.description,
                translations=_file_translations(plan.translations),
                rank=plan.rank,
                term=plan.term,
                trial_days=plan.trial_days,
                quantity=catalog_file.QuantitySpec(
                    minimum=plan.min_quantity,
                    maximum=plan.max_quantity,
                    step=plan.quantity_step,
                    allowed=plan.allowed_quantities,
                    suggest_over_maximum=plan.suggest_over_maximum.code
                    if plan.suggest_over_maximum
                    else None,
                ),
                package_required_above=plan.package_required_above,
                includes_all_modules=plan.includes_all_modules,
                renewable=plan.renewable,
                quantity_changeable=plan.quantity_changeable,
                price=price(ItemKind.PLAN, plan.code),
            )
            for plan in plans
        ],
        add_ons=[
            catalog_file.AddOnSpec(**option(a, ItemKind.ADD_ON, plans=_plan_codes(a)))
            for a in product.add_ons.all()
        ],
        packages=[
            catalog_file.PackageSpec(
                **option(p, ItemKind.PACKAGE, plans=_plan_codes(p), seat_limit=p.seat_limit)
            )
            for p in product.packages.all()
        ],
        modules=[catalog_file.OptionSpec(**option(m, ItemKind.MODULE)) for m in product.modules.all()],
        license_types=[
            catalog_file.OptionSpec(**option(t, ItemKind.LICENSE_TYPE)) for t in product.license_types.all()
        ],
        support_packs=[
            catalog_file.SupportPackSpec(**option(p, ItemKind.SUPPORT_PACK, credits=p.credits))
            for p in product.support_packs.all()
        ],
        ticket_categories=[
            catalog_file.TicketCategorySpec(
                code=c.code,
                name=c.name,
                description=c.description,
                help=c.help_text,
                translations=_file_translations(c.translations),
                cost=catalog_file.CostSpec(licensed=c.cost_licensed, unlicensed=c.cost_unlicensed),
            )
            for c in product.ticket_categories.all()
        ],
    )


# A catalog file says "help" where the ticket category's column is help_text.
_FILE_TO_COLUMN = {"help": "help_text"}
_COLUMN_TO_FILE = {column: name for name, column in _FILE_TO_COLUMN.items()}


def _stored_translations(texts: catalog_file.Translations) -> dict[str, dict[str, str]]:
    """The file's {"es": {"help": ...}} as stored: column names, empty texts left out."""
    return {
        language: {
            _FILE_TO_COLUMN.get(name, name): text for name, text in version.model_dump().items() if text
        }
        for language, version in texts.items()
    }


def _file_translations(stored: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {
        language: {_COLUMN_TO_FILE.get(name, name): text for name, text in texts.items()}
        for language, texts in stored.items()
    }


def _amount(value: Decimal, currency: str) -> Decimal:
    """The stored amount with the currency's minor digits (9.9200 -> 9.92), or more when it has them."""
    rounded = round_money(value, currency)
    return rounded if rounded == value else value.normalize()


def _plan_codes(item: Any) -> list[str]:
    return [plan.code for plan in sorted(item.plans.all(), key=lambda plan: (plan.rank, plan.position))]
