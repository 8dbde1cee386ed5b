"""Placing an order with an Idempotency-Key: one order and one invoice however often it is replayed."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from canal.billing.models import Invoice
from canal.orders.models import Order
from canal.orders.tests.conftest import order_body


@pytest.mark.django_db
def test_a_replayed_placement_creates_one_order_and_one_invoice(api_as, marketplace):
    api = api_as(marketplace.partner)

    first = api.post("/orders", order_body(marketplace.client), **{"Idempotency-Key": "place-1"})
    replay = api.post("/orders", order_body(marketplace.client), **{"Idempotency-Key": "place-1"})

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert Order.objects.count() == 1
    assert Invoice.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_order_is_a_conflict(api_as, marketplace):
    api = api_as(marketplace.partner)
    api.post("/orders", order_body(marketplace.client), **{"Idempotency-Key": "place-2"})

    response = api.post(
        "/orders", order_body(marketplace.client, quantity=25), **{"Idempotency-Key": "place-2"}
    )

    assert response.status_code == 409
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_placement_can_be_retried_with_the_same_key(api_as, marketplace):
    api = api_as(marketplace.partner)

    refused = api.post(
        "/orders", order_body(marketplace.client, accept_terms=False), **{"Idempotency-Key": "k"}
    )
    placed = api.post("/orders", order_body(marketplace.client), **{"Idempotency-Key": "k"})

    assert refused.status_code == 422
    assert placed.status_code == 201, placed.json()
    assert Order.objects.count() == 1
    assert Order.objects.get().pk == placed.json()["id"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_replays_on_postgres_create_one_order_and_one_invoice(api_as, marketplace, postgres_only):
    api = api_as(marketplace.partner)
    body = order_body(marketplace.client)

    def place(_: int) -> tuple[int, int]:
        try:
            response = api.post("/orders", body, **{"Idempotency-Key": "parallel-order"})
            return response.status_code, response.json()["id"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(place, range(16)))

    assert {status for status, _ in answers} == {201}
    assert len({order_id for _, order_id in answers}) == 1
    assert Order.objects.count() == 1
    assert Invoice.objects.count() == 1
