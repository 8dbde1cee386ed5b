"""Portal pages of the catalog: products, rules and prices, the live configurator, support prices."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from canal.accounts.models import OrganisationKind
from canal.portal.actor import portal_actor

from . import presenters, selectors, services
from .forms import configurator_input, fixed_quantity, initial_input

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


@login_required
def products(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    listed = selectors.products_visible_to(actor).prefetch_related("price_lists", "plans")
    return render(request, "catalog/products.html", {"products": listed})


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
