from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from canal.accounts.models import ApiToken


def test_replay_with_the_same_key_returns_the_first_answer_and_creates_nothing(api_as, partner):
    api = api_as(partner)

    first = api.post("/tokens", {"name": "ERP"}, **{"Idempotency-Key": "abc-1"})
    replay = api.post("/tokens", {"name": "ERP"}, **{"Idempotency-Key": "abc-1"})

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert ApiToken.objects.filter(name="ERP").count() == 1


def test_the_same_key_with_another_body_is_a_conflict(api_as, partner):
    api = api_as(partner)
    api.post("/tokens", {"name": "ERP"}, **{"Idempotency-Key": "abc-2"})

    response = api.post("/tokens", {"name": "CRM"}, **{"Idempotency-Key": "abc-2"})

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert not ApiToken.objects.filter(name="CRM").exists()


def test_keys_are_separate_per_organisation(api_as, partner, customer):
    api_as(partner).post("/tokens", {"name": "ERP"}, **{"Idempotency-Key": "shared"})

    response = api_as(customer).post("/tokens", {"name": "ERP"}, **{"Idempotency-Key": "shared"})

    assert response.status_code == 201
    assert ApiToken.objects.filter(name="ERP").count() == 2


def test_without_a_key_each_post_creates(api_as, partner):
    api = api_as(partner)

    api.post("/tokens", {"name": "ERP"})
    api.post("/tokens", {"name": "ERP"})

    assert ApiToken.objects.filter(name="ERP").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_replays_on_postgres_create_exactly_one(api_as, make_actor, postgres_only):
    from canal.accounts.models import OrganisationKind

    api = api_as(make_actor(OrganisationKind.PARTNER))

    def place(_: int) -> tuple[int, str]:
        try:
            response = api.post("/tokens", {"name": "parallel"}, **{"Idempotency-Key": "same-key"})
            return response.status_code, response.json()["token"]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(place, range(16)))

    assert {status for status, _ in answers} == {201}
    assert len({token for _, token in answers}) == 1
    assert ApiToken.objects.filter(name="parallel").count() == 1
