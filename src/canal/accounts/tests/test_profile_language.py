"""A person's language lives in the profile (issue 14): the ES/EN switch and the profile page change it,
the next login keeps it, and `PATCH /me` changes it through the API."""

from typing import Any

from django.test import Client

from canal.accounts.models import OrganisationKind, Role


def _lang(response: Any) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_switch_saves_the_language_and_the_next_login_keeps_it(make_actor: Any) -> None:
    actor = make_actor(OrganisationKind.CUSTOMER, Role.ADMIN)
    actor.user.language = "es"
    actor.user.save(update_fields=["language"])
    first = Client(HTTP_ACCEPT_LANGUAGE="es")
    first.force_login(actor.user)
    first.post("/i18n/setlang/", {"language": "en", "next": "/"})

    # Another browser, another day: no cookie, a Spanish browser, and still English.
    later = Client(HTTP_ACCEPT_LANGUAGE="es")
    later.force_login(actor.user)
    assert _lang(later.get("/")) == "en"
    actor.user.refresh_from_db()
    assert actor.user.language == "en"


def test_the_profile_page_changes_the_language(make_actor: Any, portal_login: Any) -> None:
    actor = make_actor(OrganisationKind.PARTNER, Role.MEMBER)
    client = portal_login(actor.user)
    page = client.get("/accounts/profile/")
    assert 'name="language"' in page.content.decode()

    answer = client.post("/accounts/profile/", {"language": "en"}, follow=True)

    assert _lang(answer) == "en"
    assert "Your language is saved" in answer.content.decode()
    actor.user.refresh_from_db()
    assert actor.user.language == "en"


def test_the_api_changes_the_language_and_refuses_one_canal_does_not_speak(
    make_actor: Any, api_as: Any
) -> None:
    actor = make_actor(OrganisationKind.VENDOR, Role.ADMIN)
    api = api_as(actor, language="es")

    changed = api.client.patch("/api/v1/me", {"language": "en"}, content_type="application/json")
    refused = api.client.patch("/api/v1/me", {"language": "fr"}, content_type="application/json")

    assert changed.status_code == 200
    assert changed.json()["language"] == "en"
    assert refused.status_code == 422
    assert refused.json()["code"] == "language_unknown"
    assert "no es un idioma de Canal" in refused.json()["message"]
    actor.user.refresh_from_db()
    assert actor.user.language == "en"
