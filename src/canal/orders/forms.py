"""Reading the portal's order forms into service arguments (the services, not the forms, hold the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import QueryDict

from canal.catalog.forms import configurator_input
from canal.catalog.offer import Configuration, Offer
from canal.orders.invoicing import DEFAULT_PAY_WITH
from canal.orders.placement import OrderDetails
from canal.orders.selectors import OrderFilters


@dataclass(frozen=True)
class CheckoutInput:
    kind: str
    configuration: Configuration
    customer_id: int | None
    currency: str | None
    details: OrderDetails


def checkout_input(offer: Offer, data: QueryDict) -> CheckoutInput:
    from canal.orders.services import trial_configuration

    chosen = configurator_input(offer, data)
    kind = "trial" if data.get("kind") == "trial" else "new"
    return CheckoutInput(
        kind=kind,
        configuration=trial_configuration(chosen.configuration) if kind == "trial" else chosen.configuration,
        customer_id=chosen.customer_id,
        currency=chosen.currency,
        details=OrderDetails(
            accept_terms=data.get("accept_terms") == "on",
            end_customer_name=data.get("end_customer_name", ""),
            end_customer_email=data.get("end_customer_email", ""),
            notify_me=data.get("notify_me") == "on",
            contract_id=data.get("contract_id", ""),
            name=data.get("name", ""),
            vendor_account_id=data.get("vendor_account_id", ""),
            pay_with=data.get("pay_with") or DEFAULT_PAY_WITH,
            card_token=data.get("card_token", ""),
        ),
    )


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def order_filters(data: QueryDict) -> OrderFilters:
    processed = {"yes": True, "no": False}.get(data.get("processed", ""))
    customer = data.get("customer", "")
    return OrderFilters(
        status=data.get("status", ""),
        kind=data.get("kind", ""),
        processed=processed,
        customer_id=int(customer) if customer.isdigit() else None,
        placed_from=_date(data.get("from")),
        placed_to=_date(data.get("to")),
        search=data.get("q", ""),
    )


def number(value: str | None, default: int | None = None) -> int | None:
    try:
        return max(int(str(value).strip()), 0)
    except (TypeError, ValueError):
        return default
