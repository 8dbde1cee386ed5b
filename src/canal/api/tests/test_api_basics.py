from urllib.parse import parse_qs, urlparse

from canal.accounts.models import OrganisationKind
from canal.accounts.tests.factories import OrganisationFactory


def test_openapi_document_describes_the_api(client, db):
    document = client.get("/api/v1/openapi.json").json()

    assert document["info"]["title"] == "Canal API"
    assert "/api/v1/auth/token" in document["paths"]
    assert "/api/v1/organisations" in document["paths"]


def test_interactive_docs_are_served(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_anonymous_calls_get_a_clear_401(client, db):
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "Bearer" in body["message"]
    assert body["field"] is None


def test_invalid_input_names_the_field(api_as, partner):
    response = api_as(partner).post("/tokens", {"title": "no name given"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == "name"


def test_cursor_pagination_walks_every_row_once(api_as, operator):
    OrganisationFactory.create_batch(7, kind=OrganisationKind.CUSTOMER)
    api = api_as(operator)
    seen, cursor = [], None

    while True:
        params = {"page_size": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/organisations", **params).json()
        seen += [row["id"] for row in page["results"]]
        if not page["next"]:
            break
        cursor = parse_qs(urlparse(page["next"]).query)["cursor"][0]

    assert len(seen) == len(set(seen)) == 8


def test_rate_limit_answers_429_with_retry_after(api_as, partner, settings):
    settings.API_RATE_AUTHENTICATED = "3/m"
    api = api_as(partner)

    statuses = [api.get("/me").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = api.get("/me")
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_every_response_carries_a_request_id(client, db):
    response = client.get("/healthz", headers={"X-Request-ID": "trace-42"})

    assert response["X-Request-ID"] == "trace-42"


def test_errors_speak_the_callers_language(api_as, make_actor):
    from canal.accounts.models import Role

    api = api_as(make_actor(OrganisationKind.CUSTOMER, Role.MEMBER), language="es")

    response = api.post("/tokens", {"name": "ERP"})

    assert response.status_code == 403
    assert response.json()["message"].startswith("Solo estos roles pueden hacerlo")
