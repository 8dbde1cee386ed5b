"""The appliance activates with its hardware code (R2.4, R2.19)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from canal.licensing import appliance as appliance_service
from canal.licensing import notices
from canal.licensing.models import HardwareEvent, Server
from canal.licensing.tests.conftest import HARDWARE, Appliance, notified

pytestmark = pytest.mark.django_db


def test_r2_4_the_first_hardware_code_binds_the_server_and_returns_a_signed_license(appliance, license_):
    response = appliance.activate()

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["changes_used"] == 0
    assert body["changes_allowed"] == 3
    payload = body["license"]["payload"]
    assert payload["server_name"] == "server1"
    assert payload["clients"] == 250
    assert payload["modules"] == ["firewall", "qos"]
    assert payload["license_code"] == body["license_code"]
    assert HARDWARE not in response.content.decode()  # only its digest travels and is kept
    assert Server.objects.get(pk=license_.pk).status == "active"


def test_r2_4_the_same_hardware_again_uses_no_change(appliance, license_):
    appliance.activate()
    again = appliance.activate().json()

    assert again["changes_used"] == 0


def test_r2_4_the_fourth_hardware_change_is_refused_until_support_resets_the_counter(
    appliance, license_, redwall, customer, api_as
):
    appliance.activate()
    for number in (1, 2, 3):
        assert appliance.activate(f"NEW-BOARD-{number:04d}").status_code == 200

    refused = appliance.activate("NEW-BOARD-0004")

    assert refused.status_code == 409
    assert refused.json()["code"] == "hardware_change_limit_reached"
    assert "support ticket" in refused.json()["message"]
    server = Server.objects.get(pk=license_.pk)
    assert server.change_count == 3
    assert server.hardware_changes.filter(event=HardwareEvent.REFUSED).count() == 1
    # The customer cannot reset it itself: it is told to open a ticket.
    own = api_as(customer).post(f"/licensing/servers/{license_.pk}/counter-reset", {"reason": "new board"})
    assert own.status_code == 403
    reset = api_as(redwall.vendor_actor).post(
        f"/licensing/servers/{license_.pk}/counter-reset", {"reason": "Ticket 123: motherboard replaced"}
    )
    assert reset.status_code == 200, reset.json()
    assert reset.json()["changes_used"] == 0
    assert appliance.activate("NEW-BOARD-0004").status_code == 200


def test_r2_19_the_customer_is_warned_one_change_before_the_limit(
    appliance, license_, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appliance.activate()
        first = appliance.activate("NEW-BOARD-0001").json()
        second = appliance.activate("NEW-BOARD-0002").json()

    assert first["warning"] == ""
    assert "One hardware-code change left" in second["warning"]
    assert notified(customer.user, notices.LAST_CHANGE_LEFT, server="server1")


def test_r2_4_two_changes_within_30_days_flag_a_possible_hardware_fault(
    appliance, license_, redwall, api_as, django_capture_on_commit_callbacks
):
    server = Server.objects.get(pk=license_.pk)
    now = timezone.now()
    appliance_service.activate(server=server, hardware_code=HARDWARE, now=now - timedelta(days=90))
    appliance_service.activate(server=server, hardware_code="NEW-BOARD-1", now=now - timedelta(days=20))
    assert (
        api_as(redwall.vendor_actor).get(f"/licensing/servers/{license_.pk}").json()["possible_fault"]
        is False
    )

    with django_capture_on_commit_callbacks(execute=True):
        appliance_service.activate(server=server, hardware_code="NEW-BOARD-2", now=now)

    seen_by_vendor = api_as(redwall.vendor_actor).get(f"/licensing/servers/{license_.pk}").json()
    assert seen_by_vendor["possible_fault"] is True
    assert notified(redwall.vendor_actor.user, notices.POSSIBLE_FAULT, server="server1")


def test_r2_4_a_revoked_key_no_longer_activates(appliance, license_, customer, api_as):
    api = api_as(customer)
    assert api.get(f"/licensing/servers/{license_.pk}").json()["has_key"] is True

    assert api.delete(f"/licensing/servers/{license_.pk}/activation-key").status_code == 204

    assert appliance.activate().status_code == 401
    assert api.get(f"/licensing/servers/{license_.pk}").json()["has_key"] is False
    assert [row["has_key"] for row in api.get("/licensing/servers").json()["results"]] == [False]
    assert api.delete(f"/licensing/servers/{license_.pk}/activation-key").json()["code"] == "no_key"


def test_r2_4_an_unpaid_license_cannot_make_a_key(redwall, customer, api_as):
    from canal.licensing.tests.conftest import order_license

    unpaid = order_license(customer, pay=False)

    response = api_as(customer).post(f"/licensing/servers/{unpaid.pk}/activation-key")

    assert response.status_code == 409
    assert response.json()["code"] == "license_not_active"


def test_r2_4_appliance_requests_are_rate_limited_per_server(appliance, settings):
    settings.LICENSING_RATE_PER_SERVER = "3/m"
    answers = [appliance.activate().status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_r2_4_a_made_up_key_is_refused(redwall):
    assert Appliance("canal_srv_deadbeef_nothing").activate().status_code == 401


def test_r2_4_a_suspended_license_activates_nothing_but_its_server_still_reports(appliance, license_):
    appliance.activate()
    license_.status = "suspended"  # arranged: nothing in Canal suspends a license on its own yet
    license_.save(update_fields=["status"])

    refused = appliance.activate("NEW-BOARD-0001")
    heartbeat = appliance.heartbeat()

    assert refused.status_code == 409
    assert refused.json()["code"] == "license_not_active"
    assert "suspended" in refused.json()["message"]
    server = Server.objects.get(pk=license_.pk)
    assert server.change_count == 0  # the refused board used no change
    assert heartbeat.status_code == 200
    assert heartbeat.json()["license"] is None  # no fresh license file while suspended
