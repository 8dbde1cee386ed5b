"""The servers list and a server's page (R2.3), seen by the customer, the vendor and others."""

import pytest

from canal.accounts.models import OrganisationKind
from canal.licensing.models import Server
from canal.licensing.tests.conftest import order_license

pytestmark = pytest.mark.django_db


def test_r2_3_the_servers_list_shows_the_documents_columns(appliance, license_, customer, api_as):
    appliance.activate()
    appliance.heartbeat(uptime_seconds=3 * 86400 + 5 * 3600, clients_in_use=180)

    rows = api_as(customer).get("/licensing/servers").json()["results"]

    assert len(rows) == 1
    row = rows[0]
    assert row["name"] == "server1"
    assert row["clients"] == 250
    assert row["uptime_seconds"] == 3 * 86400 + 5 * 3600
    assert row["license_code"].startswith("••••-••••-••••-")  # only part of the code
    full = Server.objects.get(pk=license_.pk).license_code
    assert row["license_code"].endswith(full[-9:])
    assert full not in str(rows)
    assert (row["changes_used"], row["changes_allowed"]) == (0, 3)
    assert (
        row["updatable_until"]
        == (license_.term_end.fromordinal(license_.term_end.toordinal() - 1)).isoformat()
    )
    assert row["status"] == "active"


def test_r2_3_the_servers_page_shows_the_columns(appliance, license_, customer, portal_login):
    appliance.activate()
    appliance.heartbeat(uptime_seconds=2 * 86400, clients_in_use=90)

    page = portal_login(customer.user).get("/servers/", HTTP_ACCEPT_LANGUAGE="en")

    html = page.content.decode()
    assert page.status_code == 200
    for text in ("server1", "250", "2 d 0 h", "0 / 3", "Active", "Updatable until"):
        assert text in html
    assert Server.objects.get(pk=license_.pk).license_code not in html


def test_r2_3_another_customer_gets_404_for_the_server_and_its_key(
    license_, make_actor, api_as, portal_login
):
    stranger = make_actor(OrganisationKind.CUSTOMER)
    api = api_as(stranger)

    assert api.get(f"/licensing/servers/{license_.pk}").status_code == 404
    assert api.post(f"/licensing/servers/{license_.pk}/activation-key").status_code == 404
    assert api.get("/licensing/servers").json()["results"] == []
    assert portal_login(stranger.user).get(f"/servers/{license_.pk}/").status_code == 404


def test_r2_3_a_server_without_heartbeat_for_days_becomes_inactive_and_active_again(appliance, license_):
    from datetime import timedelta

    from django.utils import timezone

    from canal.licensing import tasks

    appliance.activate()
    appliance.heartbeat()
    Server.objects.filter(pk=license_.pk).update(last_heartbeat_at=timezone.now() - timedelta(days=8))

    tasks.mark_inactive.enqueue()  # the scheduler's hourly job (immediate backend in tests)

    assert Server.objects.get(pk=license_.pk).status == "inactive"
    appliance.heartbeat()
    assert Server.objects.get(pk=license_.pk).status == "active"


def test_r2_3_the_vendor_sees_its_customers_servers_and_filters_them(
    appliance, license_, redwall, customer, api_as
):
    appliance.activate()
    appliance.heartbeat(clients_in_use=300)  # over the 250 licensed
    order_license(customer, name="server9")
    api = api_as(redwall.vendor_actor)

    everything = api.get("/licensing/servers").json()["results"]
    over = api.get("/licensing/servers", over_licensed=True).json()["results"]
    waiting = api.get("/licensing/servers", status="awaiting_activation").json()["results"]

    assert {row["name"] for row in everything} == {"server1", "server9"}
    assert [row["name"] for row in over] == ["server1"]
    assert [row["name"] for row in waiting] == ["server9"]


def test_r2_3_the_vendor_filters_servers_in_the_portal(appliance, license_, redwall, portal_login):
    appliance.activate()
    appliance.heartbeat(clients_in_use=300)

    page = portal_login(redwall.vendor_actor.user).get("/servers/?over_licensed=1", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert "Over licensed count" in page.content.decode()
    assert "server1" in page.content.decode()


def test_r2_3_the_server_page_shows_history_and_the_key_once(license_, customer, portal_login):
    client = portal_login(customer.user)

    made = client.post(f"/servers/{license_.pk}/key/", HTTP_ACCEPT_LANGUAGE="en")
    detail = client.get(f"/servers/{license_.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert made.status_code == 200
    assert "canal_srv_" in made.content.decode()
    assert made["Cache-Control"] == "no-store"
    assert "canal_srv_" not in detail.content.decode()
    assert "Hardware-code history" in detail.content.decode()
