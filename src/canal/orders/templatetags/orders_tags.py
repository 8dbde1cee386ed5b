"""Formatting for order pages: an order's price the reader's way, or its free plan's name."""

from django import template
from django.utils.translation import gettext as _

from canal.catalog.templatetags.catalog_tags import money
from canal.core.money import Money
from canal.orders.models import Order, OrderKind

register = template.Library()


@register.filter
def order_price(order: Order) -> str:
    """R2.15: the price, or “Freemium” for a free plan; a trial says it is free."""
    if order.free_plan and order.plan is not None:
        return order.plan.name
    if order.kind == OrderKind.TRIAL:
        return _("Free trial")
    if not order.net_total:
        return "—"
    return money(Money(order.net_total, order.currency).quantize())


@register.filter
def action_label(action: str) -> str:
    """What the vendor is asked to do, in words."""
    from canal.subscriptions.provisioning import ACTION_LABELS

    return str(ACTION_LABELS.get(action, action))


@register.simple_tag
def option_names(product: object, codes: list[str] | str) -> str:
    """Catalog names of add-on, module or package codes."""
    codes = [codes] if isinstance(codes, str) else codes
    names = {
        item.code: item.name
        for kind in ("add_ons", "modules", "packages")
        for item in getattr(product, kind).all()
    }
    return ", ".join(names.get(code, code) for code in codes)
