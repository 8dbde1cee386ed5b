"""Portal pages of the catalog: products, rules and prices, the live configurator, support prices."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from canal.accounts.models import OrganisationKind
from canal.portal import lists
from canal.portal.actor import portal_actor

from . import presenters, selectors, services
from .forms import configurator_input, fixed_quantity, initial_input
from .models import ProductKind

# The configurator's fields, each with a slot for its errors (swapped out of band by htmx).
FIELDS = (
    "customer",
    "currency",
    "plan",
    "quantity",
    "add_ons",
    "package",
    "modules",
    "license_types",
    "support_pack",
)


PRODUCT_COLUMNS = (
    lists.Column("name", _l("Name"), sort="name", csv=lambda product: product.name),
    lists.Column("code", _l("Code"), sort="code", csv=lambda product: product.code),
    lists.Column("vendor", _l("Vendor"), sort="vendor__name", csv=lambda product: product.vendor.name),
    lists.Column("kind", _l("Kind"), sort="kind", csv=lambda product: product.get_kind_display()),
    lists.Column("category", _l("Category"), sort="category", csv=lambda product: product.shown_category),
    lists.Column("unit", _l("Billed by"), csv=lambda product: product.get_unit_display(), show=False),
    lists.Column("on_sale", _l("On sale"), csv=lambda product: _("yes") if product.is_active else _("no")),
)


@login_required
def products(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    listed = selectors.products_visible_to(actor).prefetch_related("price_lists")
    categories = (
        listed.exclude(category="").order_by("category").values_list("category", flat=True).distinct()
    )
    spec = lists.ListSpec(
        name="products",
        columns=PRODUCT_COLUMNS,
        default_sort="name",
        row_template="catalog/partials/product_card.html",
        empty_text=_l("No products match."),
        search_fields=("name", "code", "description", "vendor__name"),
        search_hint=_l("Name, code, vendor"),
        filters=(
            lists.Filter("kind", _l("Kind"), ProductKind.choices, field="kind"),
            lists.Filter("category", _l("Category"), [(c, c) for c in categories], field="category"),
        ),
        grid_class="product-grid",
    )
    return lists.respond(request, spec, listed, "catalog/products.html")


@login_required
def product(request: HttpRequest, code: str) -> HttpResponse:
    actor = portal_actor(request)
    shown = selectors.product_for(actor, code)
    level = selectors.programme_level_for(actor)
    context = {
        "product": shown,
        "level": level,
        "prices": presenters.portal_prices(shown, level.discount_rate if level else None),
    }
    return render(request, "catalog/product.html", context)


@login_required
def configure(request: HttpRequest, code: str) -> HttpResponse:
    """The configurator: the whole page on GET (or a form post without JavaScript), the summary to htmx."""
    actor = portal_actor(request)
    shown = selectors.product_for(actor, code)
    offer = selectors.offer_of(shown)
    customers = list(selectors.customers_for_quotes(actor)) if actor.kind != OrganisationKind.CUSTOMER else []
    if request.method == "POST":
        data = configurator_input(offer, request.POST)
    else:
        first = (
            selectors.default_customer_for(actor, code) if actor.kind == OrganisationKind.PARTNER else None
        )
        data = initial_input(offer, customer_id=first.pk if first else None, currency=None)
    priced = services.price_configuration(
        actor=actor, configuration=data.configuration, customer_id=data.customer_id, currency=data.currency
    )
    by_field = priced.violations_by_field()
    level = selectors.programme_level_for(actor)
    selected_plan = offer.plan(data.configuration.plan)
    context: dict[str, Any] = {
        "product": shown,
        "offer": offer,
        "priced": priced,
        "configuration": data.configuration,
        "license_quantities": dict(data.configuration.license_types),
        "customers": customers,
        "violations": by_field,
        "field_errors": [(field, by_field.get(field, [])) for field in FIELDS],
        "prices": presenters.portal_prices(shown, level.discount_rate if level else None),
        "show_cashback": actor.kind in (OrganisationKind.PARTNER, OrganisationKind.OPERATOR),
        "selected_plan": selected_plan,
        "fixed_quantity": fixed_quantity(offer, data.configuration.plan),
        "all_modules_included": selected_plan is not None and selected_plan.includes_all_modules,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "configurator-area":  # a new plan: its options and limits change too
        return render(request, "catalog/partials/configurator.html", context)
    if htmx:
        return render(request, "catalog/partials/configurator_update.html", context)
    return render(request, "catalog/configure.html", context)


@login_required
def support(request: HttpRequest) -> HttpResponse:
    """Support packs and the ticket cost table (R2.13, R2.14)."""
    actor = portal_actor(request)
    shown = list(selectors.support_products_visible_to(actor))
    level = selectors.programme_level_for(actor)
    rate = level.discount_rate if level else None
    return render(
        request,
        "catalog/support.html",
        {"products": [(product, presenters.portal_prices(product, rate)) for product in shown]},
    )
