"""Catalog content in the reader's language (issue 14): a catalog file carries Spanish beside its own
English text; the API follows Accept-Language and the portal the user's language."""

from typing import Any

from canal.accounts.models import OrganisationKind, Role
from canal.catalog import catalog_file
from canal.catalog.tests.conftest import demo_text


def test_the_api_shows_descriptions_modules_and_ticket_categories_in_the_callers_language(
    load_catalog: Any, make_actor: Any, api_as: Any
) -> None:
    load_catalog("redwall")
    customer = make_actor(OrganisationKind.CUSTOMER, Role.ADMIN)

    spanish = api_as(customer, language="es").get("/catalog/products/redwall-server").json()
    english = api_as(customer, language="en").get("/catalog/products/redwall-server").json()
    support_es = api_as(customer, language="es").get("/catalog/products/redwall-support").json()

    assert spanish["description"].startswith("La licencia de un servidor Redwall")
    assert english["description"].startswith("The license of one Redwall server")
    assert "Cortafuegos" in [module["name"] for module in spanish["modules"]]
    assert "Firewall" in [module["name"] for module in english["modules"]]
    reset = next(c for c in support_es["ticket_categories"] if c["code"] == "license-reset")
    assert reset["name"] == "Restablecimiento del código de licencia"
    assert reset["help"].startswith("Una licencia permite 3 cambios de código")


def test_the_catalog_page_shows_the_spanish_text_to_a_spanish_reader(
    load_catalog: Any, make_actor: Any, portal_login: Any
) -> None:
    load_catalog("tareo")
    customer = make_actor(OrganisationKind.CUSTOMER, Role.ADMIN)
    customer.user.language = "es"
    customer.user.save(update_fields=["language"])

    page = portal_login(customer.user).get("/catalog/tareo-work/").content.decode()

    assert "48 horas laborables" in page
    assert "48 business hours" not in page
    assert "Pack Marketing" in page


def test_every_demo_catalog_carries_spanish_for_its_descriptions() -> None:
    for name in ("tareo", "redwall", "clientia", "alpenhost", "flowdesk"):
        catalog = catalog_file.parse(demo_text(name), source=name)
        for product in catalog.products:
            if product.description:
                assert product.translations["es"].description, product.code
            for category in product.ticket_categories:
                assert category.translations["es"].help, category.code
