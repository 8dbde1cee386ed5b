"""The automatic renewal run (R1.16): renewing without settings, and failures flagged to operators."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.core.errors import RuleViolation
from canal.notifications.models import Notification
from canal.orders.models import OrderStatus
from canal.orders.tests.conftest import order_body, place, provision
from canal.subscriptions import lifecycle
from canal.subscriptions.lifecycle import renew_due_subscriptions
from canal.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


def active_subscription(api_as, marketplace, **overrides):
    order = place(api_as(marketplace.partner), order_body(marketplace.client, **overrides))
    provision(api_as(marketplace.vendor_actor), order["id"], "TW-1000")
    return Subscription.objects.get(pk=order["subscription_id"])


def test_r1_16_a_20_seat_business_subscription_renews_without_buying_onboarding_again(api_as, marketplace):
    subscription = active_subscription(api_as, marketplace)  # 20 seats, onboarding-i bought with it
    end = subscription.term_end

    with time_machine.travel(timezone.now() + timedelta(days=367)):
        counts = renew_due_subscriptions()

    assert counts == {"renewed": 1, "expired": 0, "failed": 0}
    subscription.refresh_from_db()
    assert (subscription.term_start, subscription.quantity, subscription.package) == (end, 20, "onboarding-i")
    renewal = subscription.orders.get(kind="renewal")
    assert renewal.status == OrderStatus.COMPLETED
    assert {line["code"] for line in renewal.lines} == {"business", "marketing-pack"}


def test_r1_16_a_failed_renewal_is_flagged_to_operators_once(
    api_as, marketplace, operator_org, django_capture_on_commit_callbacks
):
    staff = MembershipFactory(organisation=operator_org, role=Role.ADMIN, user__language="en").user
    subscription = active_subscription(api_as, marketplace)
    refused = RuleViolation("The catalog refuses this configuration.", code="refused")

    with (
        time_machine.travel(timezone.now() + timedelta(days=367)),
        mock.patch.object(lifecycle, "_renewal_draft", side_effect=refused),
        django_capture_on_commit_callbacks(execute=True),
    ):
        mail.outbox.clear()
        assert renew_due_subscriptions()["failed"] == 1
        assert renew_due_subscriptions()["failed"] == 1

    notes = Notification.objects.filter(recipient=staff)
    assert notes.count() == 1
    assert "refuses this configuration" in notes.get().text
    assert [message.to for message in mail.outbox] == [[staff.email]]
    subscription.refresh_from_db()
    assert subscription.orders.filter(kind="renewal").count() == 0
