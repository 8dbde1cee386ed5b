"""The shared list part (canal.portal.lists) on every list page: the number of queries does not grow with
the rows, sorting, filters, search, cursor pages and CSV work, and nobody sees rows outside their scope."""

import csv
import io
import re

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canal.accounts.models import ClientRelationship, Organisation, OrganisationKind
from canal.billing.tests.helpers import fund_wallet
from canal.portal.tests.list_rows import add_rows, world

PAGES = [
    ("customer", "orders:list"),
    ("customer", "billing:invoices"),
    ("customer", "lifecycle:list"),
    ("operator", "catalog:products"),
    ("customer", "subscriptions:licenses"),
    ("customer", "licensing:list"),
    ("customer", "notifications:list"),
    ("customer", "portal:team"),
    ("partner", "partners:clients"),
    ("partner", "lifecycle:list"),
    ("operator", "portal:clients"),
    ("operator", "orders:list"),
]


def _get(client, url: str, **params: str):
    # Django empties the query log when a request starts: start the count from an empty log.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return response, len(queries)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize(("who", "url_name"), PAGES)
def test_a_list_page_asks_as_many_queries_for_many_rows_as_for_few(client, db, who, url_name):
    lists = world()
    add_rows(lists, 3, "few")
    client.force_login(getattr(lists, who))
    url = reverse(url_name)
    _get(client, url)  # the first request fills per-process caches (content types, site settings)
    _response, few = _get(client, url)
    add_rows(lists, 60, "many")
    response, many = _get(client, url)

    assert many == few
    assert few > 3
    assert 'rel="next"' in response.content.decode()


def _rows(response, pattern: str) -> list[str]:
    return re.findall(pattern, response.content.decode())


def test_cursor_pages_walk_every_row_once_forwards_and_backwards_with_nulls_in_the_sort(client, db):
    lists = world()
    add_rows(lists, 30, "walk")  # 30 notifications, every other one unread (read_at is null)
    client.force_login(lists.customer)
    url = reverse("notifications:list")
    seen: list[str] = []
    pages = []
    response, _count = _get(client, url, sort="read")
    while True:
        pages.append(response)
        seen += _rows(response, r"Notice walk (\d{5})")
        found = re.search(r'href="\?([^"]*after=[^"]*)" rel="next"', response.content.decode())
        if not found:
            break
        response = client.get(f"{url}?{found.group(1).replace('&amp;', '&')}")

    assert sorted(seen) == [f"{number:05d}" for number in range(30)]
    assert len(pages) == 2
    back = re.search(r'href="\?([^"]*before=[^"]*)" rel="prev"', pages[-1].content.decode()).group(1)
    previous = client.get(f"{url}?{back.replace('&amp;', '&')}")
    assert _rows(previous, r"Notice walk (\d{5})") == _rows(pages[0], r"Notice walk (\d{5})")


def test_sorting_by_a_column_header_orders_the_rows_both_ways(client, db):
    lists = world()
    add_rows(lists, 12, "sort")
    client.force_login(lists.customer)
    url = reverse("lifecycle:list")

    up, _count = _get(client, url, sort="subscription")
    down, _count = _get(client, url, sort="-subscription")

    names = _rows(up, r"Subscription sort (\d{5})")
    assert names == sorted(names)
    assert len(names) == 12
    assert _rows(down, r"Subscription sort (\d{5})") == names[::-1]
    assert 'aria-sort="ascending"' in up.content.decode()
    # The sorted column's header turns the order round on the next click.
    assert "?sort=-subscription" in up.content.decode()


def test_the_csv_has_every_filtered_row_in_the_lists_order_beyond_one_page(client, db):
    lists = world()
    add_rows(lists, 40, "csv")
    client.force_login(lists.customer)

    response = client.get(reverse("orders:list"), {"processed": "yes", "sort": "price", "format": "csv"})
    rows = _csv(response)

    assert rows[0][:2] == ["Created", "Order"]
    assert len(rows) == 1 + 20  # every other order is completed, across two pages
    prices = [float(row[6]) for row in rows[1:]]
    assert prices == sorted(prices)


def test_search_and_filters_narrow_the_list(client, db):
    lists = world()
    add_rows(lists, 30, "find")
    client.force_login(lists.operator)

    found, _count = _get(client, reverse("catalog:products"), q="find 00007")
    security, _count = _get(client, reverse("catalog:products"), category="security", format="csv")

    assert _rows(found, r"Product find (\d{5})") == ["00007"]
    categories = {row[4] for row in _csv(security)[1:]}
    assert categories == {"security"}


def test_a_stranger_sees_none_of_the_customers_rows_in_any_list_or_csv(client, db):
    lists = world()
    add_rows(lists, 5, "mine")
    client.force_login(lists.stranger)
    for url_name in ("orders:list", "billing:invoices", "lifecycle:list", "subscriptions:licenses"):
        page = client.get(reverse(url_name)).content.decode()
        rows = _csv(client.get(reverse(url_name), {"format": "csv"}))

        assert "mine 0000" not in page, url_name
        assert len(rows) == 1, url_name
    assert "Person mine" not in client.get(reverse("portal:team")).content.decode()


def test_a_made_up_cursor_or_sort_falls_back_to_the_first_page(client, db):
    lists = world()
    add_rows(lists, 3, "odd")
    client.force_login(lists.customer)

    response, _count = _get(client, reverse("orders:list"), after="bm90IGpzb24", sort="secret_field")
    typed, _count = _get(client, reverse("orders:list"), after="WyJub3QgYSBkYXRlIiwxXQ")

    assert len(_rows(response, r"Order odd (\d{5})")) == 3
    assert len(_rows(typed, r"Order odd (\d{5})")) == 3


def test_team_shows_each_person_once_with_every_role(client, db):
    lists = world()
    add_rows(lists, 2, "team")
    client.force_login(lists.customer)

    page = client.get(reverse("portal:team"), {"q": "Person team 00001"}).content.decode()

    assert page.count("team-1@people.test") == 1
    assert "Member" in page
    assert "Billing" in page


def test_the_client_page_drills_into_the_clients_rows_for_its_partner_and_the_operator(client, db):
    lists = world()
    add_rows(lists, 3, "drill")
    url = reverse("partners:client", args=[lists.customer_org.pk])
    other_partner = Organisation.objects.create(kind=OrganisationKind.PARTNER, name="Other", country="ES")
    foreign = Organisation.objects.create(kind=OrganisationKind.CUSTOMER, name="Foreign", country="ES")
    ClientRelationship.objects.create(partner=other_partner, client=foreign)

    client.force_login(lists.partner)
    as_partner = client.get(url).content.decode()
    foreign_page = client.get(reverse("partners:client", args=[foreign.pk]))
    listed = client.get(reverse("partners:clients")).content.decode()
    client.force_login(lists.operator)
    as_operator = client.get(url).content.decode()
    client.force_login(lists.stranger)
    as_stranger = client.get(url)

    assert f'href="{url}"' in listed
    assert "Subscription drill 0000" in as_operator
    assert "drill-000001" in as_operator  # an invoice
    assert f"?customer={lists.customer_org.pk}" in as_partner
    assert foreign_page.status_code == 404
    assert as_stranger.status_code == 404


def test_the_wallet_movements_list_asks_as_many_queries_for_many_movements_as_for_few(client, db):
    lists = world()
    client.force_login(lists.customer)
    url = reverse("billing:wallet")
    for _ in range(3):
        fund_wallet(lists.customer_org, "10.00", "EUR")
    _get(client, url)
    _response, few = _get(client, url)
    for _ in range(30):
        fund_wallet(lists.customer_org, "10.00", "EUR")
    response, many = _get(client, url)
    rows = _csv(client.get(url, {"format": "csv", "sort": "amount"}))

    assert many == few
    assert 'rel="next"' in response.content.decode()
    assert len(rows) == 1 + 33
