"""Who acts on a provisioning request (R1.12) and what the vendor's system receives."""

import pytest
from django.test import override_settings

from canal.accounts.actor import actor_for
from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.orders.tests.conftest import order_body, place
from canal.subscriptions.models import ProvisioningRequest
from canal.subscriptions.provisioning import request_payload

pytestmark = pytest.mark.django_db


def test_r1_12_a_plain_member_of_the_customer_may_not_answer_the_vendor(api_as, marketplace):
    order = place(api_as(marketplace.client_admin), order_body(marketplace.client, customer_id=None))
    request = ProvisioningRequest.objects.get(order_id=order["id"])
    api_as(marketplace.vendor_actor).post(
        f"/provisioning-requests/{request.pk}/inquire", {"question": "Region?"}
    )
    member = MembershipFactory(organisation=marketplace.client, role=Role.MEMBER).user

    response = api_as(actor_for(member, marketplace.client.pk)).post(
        f"/provisioning-requests/{request.pk}/answer", {"answer": "EU"}
    )

    assert response.status_code == 403
    assert ProvisioningRequest.objects.get(pk=request.pk).status == "inquiring"


@override_settings(SITE_URL="https://canal.example")
def test_r1_12_the_webhook_callbacks_are_absolute_urls(api_as, marketplace):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    request = ProvisioningRequest.objects.get(order_id=order["id"])

    callback = request_payload(request)["callback"]

    assert callback["complete"] == f"https://canal.example/api/v1/provisioning-requests/{request.pk}/complete"
    assert all(url.startswith("https://canal.example/") for url in callback.values())


def test_r1_12_operator_staff_need_the_admin_or_technical_role_to_complete(api_as, marketplace, operator_org):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    request = ProvisioningRequest.objects.get(order_id=order["id"])
    billing = MembershipFactory(organisation=operator_org, role=Role.BILLING).user
    technical = MembershipFactory(organisation=operator_org, role=Role.TECHNICAL).user

    refused = api_as(actor_for(billing, operator_org.pk)).post(
        f"/provisioning-requests/{request.pk}/complete", {"vendor_account_id": "TW-9"}
    )
    done = api_as(actor_for(technical, operator_org.pk)).post(
        f"/provisioning-requests/{request.pk}/complete", {"vendor_account_id": "TW-9"}
    )

    assert refused.status_code == 403
    assert done.status_code == 200, done.json()
