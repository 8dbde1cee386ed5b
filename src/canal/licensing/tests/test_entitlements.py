"""Entitlements for the vendor's application (R3.5, R3.6): which license types a user holds, and a
signed webhook the moment a seat is assigned or released."""

import pytest

from canal.accounts.models import OrganisationKind
from canal.notifications.models import WebhookDelivery, WebhookEndpoint
from canal.subscriptions import seats
from canal.subscriptions.tests.factories import crm_with_seats

pytestmark = pytest.mark.django_db


@pytest.fixture
def crm():
    return crm_with_seats({"base": 2, "voip": 1})


def vendor_of(crm, make_actor):
    from canal.accounts.actor import actor_for
    from canal.accounts.models import Role
    from canal.accounts.tests.factories import MembershipFactory

    vendor = crm.subscription.product.vendor
    return actor_for(MembershipFactory(organisation=vendor, role=Role.ADMIN).user, vendor.pk)


def test_r3_5_a_user_without_a_license_is_inactive_in_the_answer(crm, make_actor, api_as):
    user = crm.new_user("nueva@norte.test")
    api = api_as(vendor_of(crm, make_actor))

    before = api.get("/licensing/entitlements", email="nueva@norte.test").json()
    seats.assign_seat(actor=crm.admin, pool=crm.pool("base"), user=user)
    after = api.get("/licensing/entitlements", email="NUEVA@norte.test").json()

    assert before == {"email": "nueva@norte.test", "active": False, "subscriptions": []}
    assert after["active"] is True
    assert after["subscriptions"][0]["license_types"] == ["base"]


def test_r3_6_a_released_license_leaves_the_answer_at_once_and_the_vendor_gets_a_webhook(
    crm, make_actor, api_as, django_capture_on_commit_callbacks
):
    vendor = vendor_of(crm, make_actor)
    WebhookEndpoint.objects.create(  # arranged directly: registering resolves the host in DNS
        organisation=vendor.organisation,
        url="https://crm.example/hooks",
        secret="whsec_test",
        events=["seat.assigned", "seat.released"],
    )
    user = crm.new_user("ana@norte.test")
    seats.assign_seat(actor=crm.admin, pool=crm.pool("base"), user=user)
    seats.assign_seat(actor=crm.admin, pool=crm.pool("voip"), user=user)

    seats.release_seat(actor=crm.admin, pool=crm.pool("voip"), user=user)
    answer = api_as(vendor).get("/licensing/entitlements", email="ana@norte.test").json()

    assert answer["subscriptions"][0]["license_types"] == ["base"]
    events = list(WebhookDelivery.objects.order_by("id").values_list("event", "payload"))
    assert [event for event, _payload in events] == ["seat.assigned", "seat.assigned", "seat.released"]
    assert events[-1][1]["license_type"] == "voip"
    assert events[-1][1]["active"] is True  # still holds base


def test_r3_5_other_vendors_and_customers_learn_nothing(crm, make_actor, api_as):
    user = crm.new_user("eva@norte.test")
    seats.assign_seat(actor=crm.admin, pool=crm.pool("base"), user=user)

    other_vendor = api_as(make_actor(OrganisationKind.VENDOR)).get(
        "/licensing/entitlements", email="eva@norte.test"
    )
    customer = api_as(crm.admin).get("/licensing/entitlements", email="eva@norte.test")

    assert other_vendor.json()["active"] is False
    assert customer.status_code == 403
