"""What a request to the busiest endpoints costs (issue 15): the same few queries whatever the number of
rows, clients and organisations, one query to authenticate, and no writes when it only reads."""

from datetime import date
from decimal import Decimal

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canal.accounts.models import AccessLevel, OrganisationKind
from canal.accounts.services import link_client
from canal.accounts.tests.factories import OrganisationFactory
from canal.billing.models import Invoice, InvoiceStatus
from canal.catalog.services import import_catalog
from canal.catalog.tests.conftest import demo_text
from canal.subscriptions.tests.factories import crm_with_seats

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _counts_outside_the_database(settings):
    """Production counts rate limits in Redis (docs/deploy.md); without REDIS_URL the shared cache is a
    database table, whose statements these tests would count as the endpoint's. A per-process cache
    stands in for Redis here."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


WRITES = ("INSERT", "UPDATE", "DELETE")


def _sql_of(call, status: int = 200) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == status, response.content
    return [query["sql"] for query in captured.captured_queries]


def _writes(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.lstrip().upper().startswith(WRITES)]


def _invoices(organisation, count: int, first_number: int) -> None:
    Invoice.objects.bulk_create(
        Invoice(
            status=InvoiceStatus.ISSUED,
            organisation=organisation,
            series="Q",
            year=2026,
            number=first_number + number,
            code=f"Q2026-{first_number + number}",
            currency="EUR",
            issue_date=date(2026, 11, 1),
            net=Decimal("100.00"),
            tax=Decimal("21.00"),
            total=Decimal("121.00"),
            buyer_name="Buyer",
        )
        for number in range(count)
    )


def _other_partners_with_clients(count: int) -> None:
    for _ in range(count):
        link_client(
            actor=None,
            partner=OrganisationFactory(kind=OrganisationKind.PARTNER),
            client=OrganisationFactory(kind=OrganisationKind.CUSTOMER),
        )


def test_a_quote_costs_the_same_queries_for_a_partner_with_one_client_or_forty(
    api_as, partner, django_assert_max_num_queries
):
    text = demo_text("tareo")
    OrganisationFactory(kind=OrganisationKind.VENDOR, name=yaml.safe_load(text)["vendor"])
    import_catalog(actor=None, text=text, source="tareo.yaml")
    client = OrganisationFactory(kind=OrganisationKind.CUSTOMER)
    link_client(actor=None, partner=partner.organisation, client=client)
    api = api_as(partner)
    body = {"product": "tareo-work", "customer_id": client.pk, "plan": "business", "quantity": 15}
    api.post("/quotes", body)  # builds the product's offer once per catalog version and process

    few = _sql_of(lambda: api.post("/quotes", body))
    for number in range(40):
        limited = number % 2 == 0
        link_client(
            actor=None,
            partner=partner.organisation,
            client=OrganisationFactory(kind=OrganisationKind.CUSTOMER),
            access=AccessLevel.LIMITED if limited else AccessLevel.FULL,
            product_codes=("tareo-work",) if limited else (),
        )
    _other_partners_with_clients(10)
    with django_assert_max_num_queries(5):  # token and actor, offer version, clients, grants, terms
        many = _sql_of(lambda: api.post("/quotes", body))

    assert len(many) <= len(few) + 1  # the grants of limited-access clients: one query, however many
    assert _writes(few + many) == []  # a quote reads only


def test_the_invoice_list_costs_two_queries_however_many_invoices_and_organisations(
    api_as, customer, django_assert_max_num_queries
):
    _invoices(customer.organisation, 3, 1)
    api = api_as(customer)
    api.get("/billing/invoices")  # the token's first use is recorded (at most once a minute)

    few = _sql_of(lambda: api.get("/billing/invoices"))
    _invoices(customer.organisation, 150, 100)
    for number in range(5):
        _invoices(OrganisationFactory(kind=OrganisationKind.CUSTOMER), 40, 1000 + 100 * number)
    with django_assert_max_num_queries(2):  # token and actor, the page
        many = _sql_of(lambda: api.get("/billing/invoices"))

    assert len(few) == len(many)
    assert _writes(few + many) == []


def test_a_read_writes_nothing_and_the_tokens_last_use_at_most_once_a_minute(api_as, customer):
    api = api_as(customer)

    first = _sql_of(lambda: api.get("/billing/invoices"))
    again = _sql_of(lambda: api.get("/billing/invoices"))
    subscriptions = _sql_of(lambda: api.get("/subscriptions"))

    assert [sql for sql in _writes(first) if "accounts_apitoken" not in sql] == []
    assert _writes(again) == []
    assert _writes(subscriptions) == []


def test_seat_assignment_and_release_cost_the_same_queries_for_few_or_many_users_and_customers(
    api_as, django_assert_max_num_queries
):
    crm = crm_with_seats({"base": 60})
    path = f"/subscriptions/{crm.subscription.pk}/seats/base/assignments"
    api = api_as(crm.admin)
    first, second = crm.new_user("ana@norte.test"), crm.new_user("bea@norte.test")
    api.post(path, {"user_id": first.pk})
    api.delete(f"{path}/{first.pk}")

    assign_few = _sql_of(lambda: api.post(path, {"user_id": first.pk}), 201)
    release_few = _sql_of(lambda: api.delete(f"{path}/{first.pk}"), 204)
    for number in range(40):
        crm.new_user(f"user{number}@norte.test")
    _other_partners_with_clients(10)
    with django_assert_max_num_queries(14):
        assign_many = _sql_of(lambda: api.post(path, {"user_id": second.pk}), 201)
    with django_assert_max_num_queries(14):
        release_many = _sql_of(lambda: api.delete(f"{path}/{second.pk}"), 204)

    assert len(assign_few) == len(assign_many)
    assert len(release_few) == len(release_many)
