"""One shared part for every portal list: sort by a column, filter, search, cursor pages and CSV.

A view hands over rows its app's scoped selector already returned (this part only narrows them, so a
list never shows more than the selector does), a `ListSpec` naming the columns, and its page template;
`respond()` answers the page, or the CSV of every filtered row when asked `?format=csv`.

Pages are cursors (keyset pagination): the next page is "the rows after this row in this order", read
with one indexed query of page size + 1 rows. Unlike page numbers, no OFFSET grows with the page, and the
number of queries does not depend on how many rows there are.
"""

from __future__ import annotations

import base64
import csv
import datetime
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from canal.accounts.models import AccessLevel, OrganisationKind, PaymentMode, RelationshipStatus
from canal.accounts.scope import visible_organisations

SORT_KEY = "list_sort_key"
# Rows are counted up to here ("more than 1,000"): counting every row of a long list costs a full scan
# of what the actor sees on every page, and nobody reads the exact number of a list that long.
COUNT_UP_TO = 1000
# Cells a spreadsheet would run as a formula; written with a leading apostrophe so they stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    sort: str = ""  # the field the column sorts by; "" when it does not sort
    csv: Callable[[Any], Any] | None = None  # the row's value in the CSV; None leaves it out
    css: str = ""
    show: bool = True  # False: a CSV-only column


@dataclass(frozen=True)
class Filter:
    param: str
    label: str | Promise
    choices: Sequence[tuple[Any, Any]]
    field: str = ""  # narrowed as field=value here; "" when the app's selector reads the parameter
    narrow: Callable[[QuerySet[Any], str], QuerySet[Any]] | None = None  # narrows by the chosen value
    default: str = ""  # chosen when the parameter is absent ("All" is then asked for as param=)
    all_label: str | Promise = ""  # the "All" choice's words where the noun's gender asks ("Todas")


@dataclass(frozen=True)
class ListSpec:
    name: str
    columns: tuple[Column, ...]
    default_sort: str  # a column key, "-" first for descending
    row_template: str
    empty_text: str | Promise
    search_fields: tuple[str, ...] = ()
    search_in_selector: bool = False  # the app's selector reads `q` itself
    search_hint: str | Promise = ""
    filters: tuple[Filter, ...] = ()
    page_size: int = 25
    table_class: str = ""
    grid_class: str = ""  # rows shown as a grid of cards (the row template writes each card), not a table

    @property
    def searchable(self) -> bool:
        return bool(self.search_fields) or self.search_in_selector


@dataclass
class Header:
    label: str | Promise
    css: str
    url: str = ""
    aria_sort: str = ""


@dataclass
class Listing:
    count_up_to = COUNT_UP_TO

    spec: ListSpec
    rows: list[Any]
    total: int  # at most COUNT_UP_TO + 1
    sort: str
    search: str
    chosen: dict[str, str]
    headers: list[Header]
    sort_options: list[tuple[str, str]]
    labels: dict[str, str | Promise]
    path: str
    base_query: str  # filters, search and sort, without the cursor
    next_url: str = ""
    previous_url: str = ""
    first_url: str = ""
    csv_url: str = ""
    filter_choices: list[tuple[Filter, str]] = field(default_factory=list)


def respond(
    request: HttpRequest,
    spec: ListSpec,
    rows: QuerySet[Any],
    template: str,
    context: dict[str, Any] | None = None,
    *,
    with_rows: Callable[[list[Any]], dict[str, Any]] | None = None,
    present: Callable[[Any], Any] | None = None,
) -> HttpResponse:
    """The list page, or its CSV. `with_rows` adds context computed from the page's rows only;
    `present` turns each row of the page into what the row template shows (an app's presenter)."""
    narrowed, sort, search, chosen = _narrow(spec, rows, request.GET)
    if request.GET.get("format") == "csv":
        return csv_response(spec, _ordered(narrowed, sort, spec))
    listing = _page(request, spec, narrowed, sort, search, chosen)
    page_context = {**(context or {}), "listing": listing}
    if with_rows is not None:
        page_context.update(with_rows(listing.rows))
    if present is not None:
        listing.rows = [present(row) for row in listing.rows]
    return render(request, template, page_context)


def _sortable(spec: ListSpec) -> dict[str, Column]:
    return {column.key: column for column in spec.columns if column.sort}


def _narrow(
    spec: ListSpec, rows: QuerySet[Any], query: QueryDict
) -> tuple[QuerySet[Any], str, str, dict[str, str]]:
    sortable = _sortable(spec)
    sort = query.get("sort", "")
    if sort.lstrip("-") not in sortable:
        sort = spec.default_sort
    chosen: dict[str, str] = {}
    for list_filter in spec.filters:
        value = query.get(list_filter.param, list_filter.default)
        if list_filter.default and not value:
            chosen[list_filter.param] = ""  # "All" over a default stays in the links
        elif value and value in {str(choice) for choice, _label in list_filter.choices}:
            chosen[list_filter.param] = value
            if list_filter.narrow is not None:
                rows = list_filter.narrow(rows, value)
            elif list_filter.field:
                rows = rows.filter(**{list_filter.field: value})
    search = query.get("q", "").strip()[:100] if spec.searchable else ""
    if search and spec.search_fields:
        match = Q()
        for name in spec.search_fields:
            match |= Q(**{f"{name}__icontains": search})
        rows = rows.filter(match)
    return rows, sort, search, chosen


def _ordered(rows: QuerySet[Any], sort: str, spec: ListSpec, *, backwards: bool = False) -> QuerySet[Any]:
    """Rows in the list's order; nulls last. `backwards` walks the same order from the end."""
    descending = sort.startswith("-") != backwards
    path = _sortable(spec)[sort.lstrip("-")].sort
    nulls = {"nulls_first": True} if backwards else {"nulls_last": True}
    key = F(SORT_KEY)
    return rows.annotate(**{SORT_KEY: F(path)}).order_by(
        key.desc(**nulls) if descending else key.asc(**nulls), "-pk" if descending else "pk"
    )


def _after(value: Any, pk: int, *, descending: bool, nulls_last: bool) -> Q:
    """Rows that come after (value, pk) in an order by the sort key, then pk, both one direction."""
    compare = "lt" if descending else "gt"
    if value is None:
        later = Q(**{f"{SORT_KEY}__isnull": True, f"pk__{compare}": pk})
        return later if nulls_last else later | Q(**{f"{SORT_KEY}__isnull": False})
    later = Q(**{f"{SORT_KEY}__{compare}": value}) | Q(**{SORT_KEY: value, f"pk__{compare}": pk})
    return later | Q(**{f"{SORT_KEY}__isnull": True}) if nulls_last else later


def _encode(value: Any, pk: int) -> str:
    if isinstance(value, datetime.date | Decimal):
        value = value.isoformat() if not isinstance(value, Decimal) else str(value)
    raw = json.dumps([value, pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[Any, int] | None:
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    if not isinstance(pk, int) or isinstance(value, list | dict):
        return None
    return value, pk


def _fetch(rows: QuerySet[Any], walk: QuerySet[Any], limit: int) -> list[Any]:
    """The first `limit` rows of `walk`, in two queries: the keys in order (no joins for related rows, so
    the database sorts narrow rows), then those rows with everything the page shows, through the same
    scoped `rows`."""
    keys = list(walk.values_list("pk", SORT_KEY)[:limit])
    if not keys:
        return []
    found = {row.pk: row for row in rows.filter(pk__in=[pk for pk, _key in keys])}
    page = []
    for pk, key in keys:
        row = found[pk]
        setattr(row, SORT_KEY, key)
        page.append(row)
    return page


def _page(
    request: HttpRequest,
    spec: ListSpec,
    rows: QuerySet[Any],
    sort: str,
    search: str,
    chosen: dict[str, str],
) -> Listing:
    size = spec.page_size
    descending = sort.startswith("-")
    after = _decode(request.GET.get("after", ""))
    before = None if after else _decode(request.GET.get("before", ""))
    page: list[Any] = []
    try:
        if before is not None:
            walk = _ordered(rows, sort, spec, backwards=True)
            page = _fetch(
                rows, walk.filter(_after(*before, descending=not descending, nulls_last=False)), size + 1
            )
            has_previous, has_next = len(page) > size, True
            page = page[:size][::-1]
        else:
            walk = _ordered(rows, sort, spec)
            if after is not None:
                walk = walk.filter(_after(*after, descending=descending, nulls_last=True))
            page = _fetch(rows, walk, size + 1)
            has_previous, has_next = after is not None, len(page) > size
            page = page[:size]
    except (ValidationError, ValueError, TypeError):
        # A cursor edited by hand into something the sort field cannot compare with: start over.
        page = _fetch(rows, _ordered(rows, sort, spec), size + 1)
        has_previous, has_next = False, len(page) > size
        page = page[:size]
    query = QueryDict(mutable=True)
    query.update(chosen)
    if search:
        query["q"] = search
    if sort != spec.default_sort:
        query["sort"] = sort
    base_query = query.urlencode()
    listing = Listing(
        spec=spec,
        rows=page,
        total=rows.order_by()[: COUNT_UP_TO + 1].count(),
        sort=sort,
        search=search,
        chosen=chosen,
        headers=_headers(spec, sort, query.copy()),
        sort_options=_sort_options(spec),
        labels={column.key: column.label for column in spec.columns if column.show},
        path=request.path,
        base_query=base_query,
        filter_choices=[(list_filter, chosen.get(list_filter.param, "")) for list_filter in spec.filters],
    )
    joiner = f"?{base_query}&" if base_query else "?"
    if has_next and page:
        listing.next_url = f"{joiner}after={_encode(getattr(page[-1], SORT_KEY), page[-1].pk)}"
    if has_previous and page:
        listing.previous_url = f"{joiner}before={_encode(getattr(page[0], SORT_KEY), page[0].pk)}"
        listing.first_url = f"?{base_query}" if base_query else request.path
    listing.csv_url = f"{joiner}format=csv"
    return listing


def _headers(spec: ListSpec, sort: str, query: QueryDict) -> list[Header]:
    headers = []
    for column in spec.columns:
        if not column.show:
            continue
        header = Header(label=column.label, css=column.css)
        if column.sort:
            current = sort.lstrip("-") == column.key
            descending = sort.startswith("-")
            if current:
                header.aria_sort = "descending" if descending else "ascending"
            # A click sorts by the column; a second click on the sorted column turns the order round.
            query["sort"] = f"-{column.key}" if current and not descending else column.key
            header.url = f"?{query.urlencode()}"
        headers.append(header)
    return headers


def _sort_options(spec: ListSpec) -> list[tuple[str, str]]:
    options = []
    for column in spec.columns:
        if column.sort and column.show:
            options.append((column.key, _("%(column)s, ascending") % {"column": column.label}))
            options.append((f"-{column.key}", _("%(column)s, descending") % {"column": column.label}))
    return options


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        try:
            Decimal(value)
        except ArithmeticError:
            return f"'{value}"
    return value


def csv_response(spec: ListSpec, rows: QuerySet[Any]) -> StreamingHttpResponse:
    """Every filtered row in the list's order, streamed (no page limit), one column per CSV column."""
    columns = [column for column in spec.columns if column.csv is not None]
    writer = csv.writer(_Echo())
    # The rows are written while the response streams, after the request's language was let go.
    language = translation.get_language()

    def lines() -> Iterator[str]:
        with translation.override(language):
            yield writer.writerow([str(column.label) for column in columns])
            for row in rows.iterator(chunk_size=500):
                yield writer.writerow([_cell(column.csv(row)) for column in columns])  # type: ignore[misc]

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{spec.name}.csv"'
    return response


CLIENT_CHOICES = 200


def client_filter(actor: Any, field: str, chosen: str | None = None) -> tuple[Filter, ...]:
    """A "Client" filter over the customers the actor may see (none for a customer: it sees only itself).
    It offers the first CLIENT_CHOICES by name, plus the chosen one (a client page links to the list
    filtered by its client), so a partner with thousands of clients does not get thousands of options."""
    if actor.kind == OrganisationKind.CUSTOMER:
        return ()
    customers = visible_organisations(actor).filter(kind=OrganisationKind.CUSTOMER).order_by("name", "pk")
    clients = list(customers.values_list("pk", "name")[:CLIENT_CHOICES])
    if chosen and chosen.isdigit() and len(chosen) < 16 and int(chosen) not in {pk for pk, _name in clients}:
        clients += list(customers.filter(pk=int(chosen)).values_list("pk", "name"))
    return (Filter("customer", _("Client"), clients, field=field),)


def relationship_spec(actor: Any, *, actions: bool) -> ListSpec:
    """Clients (partners, operator) and partners (customers): one list of relationships."""
    columns = [
        Column("client", _("Client"), sort="client__name", csv=lambda r: r.client.name),
        Column("partner", _("Partner"), sort="partner__name", csv=lambda r: r.partner.name),
        Column("access", _("Access"), sort="access", csv=lambda r: r.get_access_display()),
        Column("pays", _("Who pays"), sort="payment_mode", csv=lambda r: r.get_payment_mode_display()),
        Column("status", _("Status"), sort="status", csv=lambda r: r.get_status_display()),
        Column("since", _("Since"), sort="started_at", csv=lambda r: r.started_at),
    ]
    if actor.kind == OrganisationKind.PARTNER:
        columns = [column for column in columns if column.key != "partner"]
    elif actor.kind == OrganisationKind.CUSTOMER:
        columns = [column for column in columns if column.key != "client"]
    if actions:
        columns.append(Column("actions", _("Actions")))
    return ListSpec(
        name="relationships",
        columns=tuple(columns),
        default_sort="client" if actor.kind != OrganisationKind.CUSTOMER else "partner",
        row_template="portal/partials/relationship_row.html",
        empty_text=_("No clients match.")
        if actor.kind != OrganisationKind.CUSTOMER
        else _("No partners yet."),
        search_fields=("client__name", "partner__name"),
        search_hint=_("Organisation name"),
        filters=(
            Filter("status", _("Status"), RelationshipStatus.choices, field="status"),
            Filter("access", _("Access"), AccessLevel.choices, field="access"),
            Filter("pays", _("Who pays"), PaymentMode.choices, field="payment_mode"),
        ),
    )
