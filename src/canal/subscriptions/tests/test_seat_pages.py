"""The license pages of the customer portal: summary (R3.2), users with toggles, purchase quote (R3.8)."""

from datetime import date

import pytest
import time_machine

from canal.subscriptions import seats
from canal.subscriptions.tests.factories import crm_with_seats


@pytest.fixture
def crm(db):
    return crm_with_seats({"base": 3, "voip": 1, "messaging": 1, "gsm": 0}, minimums={"base": 2})


@pytest.fixture
def admin_client(crm, portal_login):
    return portal_login(crm.admin.user)


def test_r3_2_summary_shows_in_use_free_total_minimum_and_being_bought(crm, admin_client):
    ana = crm.new_user("ana@norte.test")
    seats.assign_seat(actor=crm.admin, pool=crm.pool("base"), user=ana)

    page = admin_client.get(f"/licenses/{crm.subscription.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    base_row = page.split('data-license-type="base"')[1].split("</tr>")[0]
    cells = [cell.split(">")[-1] for cell in base_row.split("</td>")[:-1]]
    assert cells == ["1", "2", "3", "2", "0"]
    assert "Contract minimum" in page
    assert "Being bought" in page


def test_r3_2_the_api_gives_the_same_summary(crm, api_as):
    rows = api_as(crm.admin).get(f"/subscriptions/{crm.subscription.pk}/seats").json()

    assert rows[0] == {
        "license_type": "base",
        "name": "Base",
        "in_use": 0,
        "free": 3,
        "total": 3,
        "contract_minimum": 2,
        "being_bought": 0,
    }


def test_r3_3_a_toggle_without_a_free_license_is_blocked_with_a_link_to_buy(crm, admin_client):
    crm.new_user("ana@norte.test")

    page = admin_client.get(
        f"/licenses/{crm.subscription.pk}/users/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    cells = [cell.split("</td>")[0] for cell in page.split('<td class="toggle-column">')[1:]]
    gsm_cell = next(cell for cell in cells if "/gsm/" in cell)
    assert "disabled" in gsm_cell
    assert f'href="/licenses/{crm.subscription.pk}/buy/"' in gsm_cell


def test_r3_1_switching_a_toggle_on_assigns_and_answers_the_refreshed_table(crm, admin_client):
    ana = crm.new_user("ana@norte.test")

    response = admin_client.post(
        f"/licenses/{crm.subscription.pk}/users/{ana.pk}/voip/",
        {"hold": "on"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="table-wrap" id="seat-users">')
    assert crm.pool("voip").assigned == 1
    assert "0 free" in html


def test_r3_6_switching_a_toggle_off_releases_at_once(crm, admin_client):
    ana = crm.new_user("ana@norte.test")
    seats.assign_seat(actor=crm.admin, pool=crm.pool("voip"), user=ana)

    admin_client.post(f"/licenses/{crm.subscription.pk}/users/{ana.pk}/voip/", {}, HTTP_HX_REQUEST="true")

    assert crm.pool("voip").assigned == 0


def test_r3_8_purchase_summary_charges_half_on_the_16th_of_a_30_day_cycle(crm, admin_client):
    with time_machine.travel(date(2026, 11, 16)):
        page = admin_client.get(
            f"/licenses/{crm.subscription.pk}/buy/", {"base": "2"}, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()

    assert "15 of 30 days" in page
    assert "€30.00" in page  # 2 x 30.00 = 60.00 for the cycle, half of it today
    assert "€60.00" in page  # the full price from the next cycle


def test_plus_button_raises_the_quantity_being_bought(crm, admin_client):
    with time_machine.travel(date(2026, 11, 16)):
        page = admin_client.get(
            f"/licenses/{crm.subscription.pk}/buy/", {"base": "1", "set": "base:2"}, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()

    base_row = page.split('data-license-type="base"')[1].split("</tr>")[0]
    assert '<output class="being-bought">2</output>' in base_row


def test_another_customer_gets_404_on_every_license_page(crm, make_actor, portal_login):
    from canal.accounts.models import OrganisationKind

    stranger = portal_login(make_actor(OrganisationKind.CUSTOMER).user)

    for path in ("", "users/", "buy/"):
        assert stranger.get(f"/licenses/{crm.subscription.pk}/{path}").status_code == 404
