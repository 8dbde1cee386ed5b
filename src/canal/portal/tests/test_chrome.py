"""Issue 14's chrome: pages outside a user's menu answer 404, a favicon, the run banner names organisations,
an order of a plan named like its product names it once."""

from typing import Any

from canal.accounts.models import OrganisationKind, Role
from canal.banner import text as banner_text
from canal.catalog.offer import Configuration, Offer, PlanRules
from canal.orders.placement import summary_of


def test_a_menu_page_of_another_kind_of_organisation_answers_404(make_actor: Any, portal_login: Any) -> None:
    customer = portal_login(make_actor(OrganisationKind.CUSTOMER, Role.ADMIN).user)

    assert customer.get("/partners/applications/").status_code == 404  # the operator's page
    assert customer.get("/orders/provisioning/").status_code == 404  # vendors' and operators'
    assert customer.get("/orders/").status_code == 200


def test_every_page_names_a_favicon_and_favicon_ico_leads_to_it(client: Any) -> None:
    login = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/canal/favicon.svg"' in login
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301
    assert answer["Location"] == "/static/canal/favicon.svg"
    assert client.get("/static/canal/favicon.svg").status_code == 200


def test_the_run_banner_names_organisations_not_their_keys() -> None:
    banner = banner_text("http://127.0.0.1:9000/")
    assert "Nube Reseller S.L." in banner
    assert "Canal Distribución S.L." in banner
    assert " nube " not in banner
    assert "http://127.0.0.1:9000/api/v1/docs" in banner


def test_the_api_docs_page_loads_swagger_ui_from_our_own_static_files(client: Any) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "/static/" in page


def test_an_order_of_a_plan_named_like_its_product_names_it_once() -> None:
    mail = Offer(
        code="alpenhost-mail",
        name="Mail Service",
        kind="hosting",
        unit="hosting",
        vendor_id=1,
        plans=(PlanRules(code="mail", name="Mail Service", rank=0, term="monthly"),),
    )
    work = Offer(
        code="tareo-work",
        name="Tareo Work Management",
        kind="saas",
        unit="seat",
        vendor_id=1,
        plans=(PlanRules(code="business", name="Business", rank=1, term="annual_prepaid"),),
    )

    assert (
        summary_of(mail, Configuration(product="alpenhost-mail", plan="mail", quantity=1))
        == "Mail Service × 1"  # noqa: RUF001
    )
    assert (
        summary_of(work, Configuration(product="tareo-work", plan="business", quantity=10))
        == "Tareo Work Management Business × 10"  # noqa: RUF001
    )
