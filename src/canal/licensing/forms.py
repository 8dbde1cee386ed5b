"""Portal input parsing: query strings and posted forms to plain values for selectors and services."""

from datetime import date

from django.http import QueryDict

from canal.licensing.selectors import ServerFilters

TRUE = {"1", "on", "true", "yes"}


def server_filters(data: QueryDict) -> ServerFilters:
    return ServerFilters(
        status=data.get("status", "")[:24],
        over_licensed=data.get("over_licensed", "") in TRUE,
        possible_fault=data.get("possible_fault", "") in TRUE,
        at_limit=data.get("at_limit", "") in TRUE,
        customer=data.get("customer", "")[:120],
    )


def published_on(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None
