"""Trials (R1.17) and their conversion by a new order with the same account and e-mail (R1.9)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from canal.core import formats
from canal.orders.models import Order, OrderKind
from canal.orders.tests.conftest import END_CUSTOMER, order_body, place, provision
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.subscriptions.trials import expire_trials, warn_trials_ending

pytestmark = pytest.mark.django_db


def trial_body(client, **overrides):
    body = {
        "kind": "trial",
        "product": "tareo-work",
        "plan": "business",
        "add_ons": ["marketing-pack"],
        "customer_id": client.pk,
        "accept_terms": True,
        "end_customer": dict(END_CUSTOMER),
    }
    body.update(overrides)
    return body


def running_trial(api_as, marketplace, account="TW-TRIAL-1"):
    order = place(api_as(marketplace.partner), trial_body(marketplace.client))
    provision(api_as(marketplace.vendor_actor), order["id"], account)
    return Subscription.objects.get(pk=order["subscription_id"])


def test_r1_17_a_trial_is_free_provisioned_like_an_order_and_lasts_30_days(
    api_as, marketplace, django_capture_on_commit_callbacks
):
    order = place(api_as(marketplace.partner), trial_body(marketplace.client))
    assert order["status"] == "provisioning"
    assert order["price"] == "Free trial"
    assert order["invoice"] is None

    with django_capture_on_commit_callbacks(execute=True):
        provision(api_as(marketplace.vendor_actor), order["id"], "TW-TRIAL-1")

    trial = Subscription.objects.get(pk=order["subscription_id"])
    assert trial.status == SubscriptionStatus.TRIAL
    assert trial.trial_ends_on == timezone.localdate() + timedelta(days=30)
    assert any(message.to == [END_CUSTOMER["email"]] for message in mail.outbox)


def test_r1_17_a_trial_never_converts_by_itself_and_expires(
    api_as, marketplace, django_capture_on_commit_callbacks
):
    trial = running_trial(api_as, marketplace)
    mail.outbox.clear()

    with (
        time_machine.travel(timezone.now() + timedelta(days=31)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert expire_trials() == 1

    trial.refresh_from_db()
    assert trial.status == SubscriptionStatus.EXPIRED
    assert not Order.objects.filter(kind__in=[OrderKind.NEW, OrderKind.CONVERSION]).exists()
    assert {message.to[0] for message in mail.outbox} >= {marketplace.partner.user.email}
    assert all(
        "trial" in message.subject.lower() or "prueba" in message.subject.lower() for message in mail.outbox
    )


def test_r1_17_the_ending_soon_email_is_sent_once_in_the_recipients_language(
    api_as, marketplace, django_capture_on_commit_callbacks
):
    trial = running_trial(api_as, marketplace)
    marketplace.partner.user.language = "en"
    marketplace.partner.user.save(update_fields=["language"])
    marketplace.client_admin.user.language = "es"
    marketplace.client_admin.user.save(update_fields=["language"])
    mail.outbox.clear()

    with (
        time_machine.travel(timezone.now() + timedelta(days=26)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert warn_trials_ending() == 1
        assert warn_trials_ending() == 0

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    # Rendered in each recipient's language (dates and, once the catalogs carry them, the words).
    for user, language in ((marketplace.partner.user, "en"), (marketplace.client_admin.user, "es")):
        with translation.override(language):
            assert formats.when(trial.trial_ends_on) in subjects[user.email]


def test_r1_17_a_trial_can_change_its_base_plan_and_add_ons(api_as, marketplace):
    trial = running_trial(api_as, marketplace)

    response = api_as(marketplace.partner).post(
        f"/subscriptions/{trial.pk}/trial", {"plan": "enterprise", "add_ons": ["services-pack"]}
    )
    assert response.status_code == 201, response.json()
    provision(api_as(marketplace.vendor_actor), response.json()["id"])

    trial.refresh_from_db()
    assert trial.plan.code == "enterprise"
    assert trial.add_ons == ["services-pack"]
    assert trial.status == SubscriptionStatus.TRIAL


def test_r1_17_terminating_needs_a_reason_and_the_data_deletion_acknowledgement(api_as, marketplace):
    trial = running_trial(api_as, marketplace)
    api = api_as(marketplace.partner)

    no_tick = api.post(f"/subscriptions/{trial.pk}/terminate", {"reason": "not_needed_by_customer"})
    no_reason = api.post(
        f"/subscriptions/{trial.pk}/terminate", {"reason": "", "acknowledge_data_deletion": True}
    )
    done = api.post(
        f"/subscriptions/{trial.pk}/terminate",
        {"reason": "not_needed_by_customer", "acknowledge_data_deletion": True},
    )

    assert no_tick.status_code == 422
    assert no_tick.json()["field"] == "acknowledge_data_deletion"
    assert no_reason.status_code == 422
    assert no_reason.json()["field"] == "reason"
    assert done.status_code == 201
    trial.refresh_from_db()
    assert trial.status == SubscriptionStatus.CANCELLED
    assert trial.provisioning_requests.get(order_id=done.json()["id"]).action == "delete_trial"


def test_r1_9_converting_with_the_account_id_and_same_email_keeps_the_trial_account(api_as, marketplace):
    trial = running_trial(api_as, marketplace, account="TW-777")

    order = place(
        api_as(marketplace.partner),
        order_body(marketplace.client, vendor_account_id="TW-777", package="onboarding-i"),
    )
    assert order["kind"] == "conversion"
    assert order["subscription_id"] == trial.pk
    provision(api_as(marketplace.vendor_actor), order["id"])

    trial.refresh_from_db()
    assert trial.status == SubscriptionStatus.ACTIVE
    assert trial.vendor_account_id == "TW-777"
    assert trial.quantity == 20
    assert Subscription.objects.count() == 1


def test_r1_9_a_conversion_with_another_email_is_refused(api_as, marketplace):
    running_trial(api_as, marketplace, account="TW-777")

    response = api_as(marketplace.partner).post(
        "/orders",
        order_body(
            marketplace.client,
            vendor_account_id="TW-777",
            end_customer={"name": "X", "email": "other@x.example"},
        ),
    )

    assert response.status_code == 422
    assert response.json()["code"] == "trial_email_mismatch"
    assert END_CUSTOMER["email"] in response.json()["message"]


def test_r1_9_a_conversion_with_an_unknown_account_id_is_refused(api_as, marketplace):
    running_trial(api_as, marketplace, account="TW-777")

    response = api_as(marketplace.partner).post(
        "/orders", order_body(marketplace.client, vendor_account_id="TW-000")
    )

    assert response.status_code == 422
    assert response.json()["code"] == "trial_not_found"
    assert response.json()["field"] == "vendor_account_id"
