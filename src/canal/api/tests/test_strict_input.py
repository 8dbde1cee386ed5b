"""Issue 9, item 2: hostile input is refused at the edge with 422 naming the field, and nothing changes.

Each of these answered 200 or 500 before the schemas used `canal.api.fields`.
"""

import pytest

from canal.accounts.models import ApiToken
from canal.billing.models import Payment

NUL = "\u0000"


@pytest.mark.parametrize("amount", [2.05e16, 1e285, 5.2e99, "NaN", "Infinity", -5, 0, "10.001", True])
def test_a_top_up_refuses_amounts_no_column_holds(api_as, customer, amount):
    response = api_as(customer).post("/billing/wallet/top-ups", {"amount": amount, "card_token": "tok_ok"})

    assert response.status_code == 422
    assert response.json()["field"] == "amount"
    assert not Payment.objects.exists()


@pytest.mark.parametrize("body", [{"amount_received": 2.05e16}, {"amount_received": 1e285}, [None, None]])
def test_the_transfer_confirmation_refuses_huge_amounts_and_non_objects(api_as, operator, body):
    response = api_as(operator).post("/billing/payments/1/confirm", body)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_a_nul_byte_in_the_login_email_is_a_422_naming_the_field(client, db):
    response = client.post(
        "/api/v1/auth/token",
        {"email": f"customer{NUL}@canal.test", "password": "x"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["field"] == "email"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/tokens", {"name": f"ERP{NUL}"}, "name"),
        ("/tokens", {"name": "x" * 101}, "name"),
        ("/quotes", {"product": f"tareo-work{NUL}"}, "product"),
        ("/quotes", {"product": "tareo-work", "quantity": True}, "quantity"),
        ("/webhooks", {"url": "https://vendor.example/hook", "events": [f"order.placed{NUL}"]}, "events.0"),
        ("/orders", {"product": "tareo-work", "contract_id": "c" * 121}, "contract_id"),
    ],
)
def test_control_characters_booleans_and_overlong_text_are_refused_by_field(
    api_as, partner, path, body, field
):
    response = api_as(partner).post(path, body)

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert ApiToken.objects.filter(name__startswith="ERP").count() == 0


def test_a_nul_byte_in_a_query_string_is_a_422_not_a_database_error(api_as, customer):
    response = api_as(customer).get("/catalog/products", kind=f"saas{NUL}")

    assert response.status_code == 422
    assert response.json()["field"] == "kind"


def test_every_operation_declares_its_error_answers_with_the_one_error_body(client, db):
    document = client.get("/api/v1/openapi.json").json()
    error_schema = "#/components/schemas/ErrorOut"

    assert "ErrorOut" in document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            declared = operation["responses"]
            for status in ("401", "404", "422", "429"):
                assert status in declared, f"{method.upper()} {path} does not declare {status}"
            body = declared["422"]["content"]["application/json"]["schema"]
            assert body == {"$ref": error_schema}, f"{method.upper()} {path}: 422 is not ErrorOut"
