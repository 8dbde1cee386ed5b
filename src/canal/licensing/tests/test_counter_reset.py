"""Support resets the hardware-code counter, with a reason, audited, and the customer is told (R2.4)."""

import pytest

from canal.core.models import AuditEntry
from canal.licensing import notices
from canal.licensing.models import HardwareEvent, Server
from canal.licensing.tests.conftest import notified

pytestmark = pytest.mark.django_db


@pytest.fixture
def used_up(appliance, license_):
    appliance.activate()
    for number in (1, 2, 3):
        appliance.activate(f"NEW-BOARD-{number}")
    return license_


def test_r2_4_the_vendor_resets_the_counter_in_the_portal_with_a_reason(
    used_up, redwall, customer, portal_login, api_as, django_capture_on_commit_callbacks
):
    client = portal_login(redwall.vendor_actor.user)

    empty = client.post(f"/servers/{used_up.pk}/reset/", {"reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/servers/{used_up.pk}/reset/", {"reason": "Ticket 88: new NIC"})

    assert empty.status_code == 422
    assert done.status_code == 302
    server = Server.objects.get(pk=used_up.pk)
    assert server.change_count == 0
    assert server.hardware_changes.filter(event=HardwareEvent.RESET, reason="Ticket 88: new NIC").exists()
    entry = AuditEntry.objects.get(action="license_server.counter_reset", object_id=str(used_up.pk))
    assert entry.reason == "Ticket 88: new NIC"
    assert entry.before["change_count"] == 3
    assert notified(customer.user, notices.COUNTER_RESET, server="server1")
    # The customer sees the reset in the history, with only the last part of the license code (R2.3).
    history = api_as(customer).get(f"/licensing/servers/{used_up.pk}/hardware-changes").json()
    assert (history[0]["event"], history[0]["reason"]) == (HardwareEvent.RESET, "Ticket 88: new NIC")
    assert history[0]["license_code"] == server.license_code[-9:]
    page = portal_login(customer.user).get(f"/servers/{used_up.pk}/").content.decode()
    assert "Ticket 88: new NIC" in page
    assert server.license_code not in page


def test_r2_4_the_operators_support_agent_may_reset_but_another_vendor_gets_404(used_up, make_actor, api_as):
    from canal.accounts.models import OrganisationKind, Role

    agent = make_actor(OrganisationKind.OPERATOR, Role.SUPPORT_AGENT)
    other_vendor = make_actor(OrganisationKind.VENDOR)

    foreign = api_as(other_vendor).post(
        f"/licensing/servers/{used_up.pk}/counter-reset", {"reason": "because"}
    )
    done = api_as(agent).post(f"/licensing/servers/{used_up.pk}/counter-reset", {"reason": "Ticket 90"})

    assert foreign.status_code == 404
    assert done.status_code == 200
    assert done.json()["changes_used"] == 0
