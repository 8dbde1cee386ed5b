"""Heartbeats: uptime, clients in use, version; use above the licensed count is flagged (R2.3, R2.7)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from canal.licensing import appliance as appliance_service
from canal.licensing import notices
from canal.licensing.models import Heartbeat, Server
from canal.licensing.tests.conftest import notified
from canal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_r2_3_a_heartbeat_updates_the_server_and_its_history(appliance, license_):
    appliance.activate()

    answer = appliance.heartbeat(uptime_seconds=7200, clients_in_use=200, version="7.4.1")

    assert answer.status_code == 200, answer.json()
    server = Server.objects.get(pk=license_.pk)
    assert (server.uptime_seconds, server.clients_in_use, server.version) == (7200, 200, "7.4.1")
    assert Heartbeat.objects.filter(server=server).count() == 1
    assert answer.json()["over_licensed"] is False


def test_r2_7_use_above_the_licensed_count_is_flagged_to_customer_and_vendor(
    appliance, license_, customer, redwall, django_capture_on_commit_callbacks
):
    appliance.activate()
    with django_capture_on_commit_callbacks(execute=True):
        first = appliance.heartbeat(clients_in_use=260).json()
        appliance.heartbeat(clients_in_use=270)

    assert first["over_licensed"] is True
    assert notified(customer.user, notices.OVER_LICENSED, server="server1")
    assert notified(redwall.vendor_actor.user, notices.OVER_LICENSED, server="server1")
    assert Notification.objects.filter(recipient=customer.user).count() == 1  # once per episode


def test_r2_4_a_heartbeat_before_activation_is_refused(appliance):
    response = appliance.heartbeat()

    assert response.status_code == 409
    assert response.json()["code"] == "not_activated"


def test_r2_4_bad_heartbeat_input_is_refused_with_the_field(appliance):
    appliance.activate()
    body = {"uptime_seconds": True, "clients_in_use": -1, "version": "7\x00"}

    response = appliance.client.post("/api/v1/licensing/appliance/heartbeat", body, "application/json")

    assert response.status_code == 422
    assert response.json()["field"] in {"uptime_seconds", "clients_in_use", "version"}
    assert Heartbeat.objects.count() == 0


def test_r2_4_a_heartbeat_returns_a_refreshed_file_only_when_due(appliance, license_):
    appliance.activate()
    server = Server.objects.get(pk=license_.pk)

    fresh = appliance_service.heartbeat(server=server, uptime_seconds=1, clients_in_use=1, version="7.4.0")
    later = appliance_service.heartbeat(
        server=server,
        uptime_seconds=1,
        clients_in_use=1,
        version="7.4.0",
        now=timezone.now() + timedelta(days=16),
    )

    assert fresh.license is None
    assert later.license is not None
