"""Every API error is written in the caller's language (Accept-Language), ninja's and pydantic's included."""

from typing import Any

from django.test import Client

from canal.accounts.models import OrganisationKind, Role


def test_errors_answer_in_spanish_when_asked_in_spanish(make_actor: Any, api_as: Any) -> None:
    api = api_as(make_actor(OrganisationKind.CUSTOMER, Role.ADMIN), language="es")
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="es")

    not_found = api.get("/organisations/999999")
    unauthenticated = anonymous.get("/api/v1/me")
    missing_field = api.post("/tokens", {})
    wrong_type = api.client.patch("/api/v1/me", {"language": 3}, content_type="application/json")
    unreadable = api.client.post("/api/v1/tokens", "{not json", content_type="application/json")

    assert not_found.status_code == 404
    assert not_found.json()["message"] == "No existe ninguna organización con este id."
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["message"].startswith("Se requiere autenticación")
    assert missing_field.status_code == 422
    assert missing_field.json()["field"] == "name"
    assert missing_field.json()["message"] == "Este campo es obligatorio."
    assert wrong_type.status_code == 422
    assert wrong_type.json()["message"] == "Escribe un texto."
    assert unreadable.status_code in {400, 422}
    assert "JSON" in unreadable.json()["message"]
    assert "Cannot" not in unreadable.json()["message"]


def test_the_same_errors_answer_in_english_when_asked_in_english(make_actor: Any, api_as: Any) -> None:
    api = api_as(make_actor(OrganisationKind.CUSTOMER, Role.ADMIN), language="en")

    assert api.get("/organisations/999999").json()["message"] == "No organisation with this id."
    assert api.post("/tokens", {}).json()["message"] == "This field is required."


def test_a_session_call_to_the_api_follows_accept_language_not_the_profile(make_actor: Any) -> None:
    actor = make_actor(OrganisationKind.CUSTOMER, Role.ADMIN)
    actor.user.language = "es"
    actor.user.save(update_fields=["language"])
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(actor.user)

    assert browser.get("/api/v1/organisations/999999").json()["message"] == "No organisation with this id."
