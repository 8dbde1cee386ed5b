"""Webhook URLs cannot make Canal's worker reach inside its own network, whatever the spelling."""

import pytest
from django.utils import timezone

from canal.accounts.models import OrganisationKind, Role
from canal.notifications import delivery, services
from canal.notifications.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from canal.notifications.tests.test_webhooks import Receiver

INSIDE_ADDRESSES = [
    "https://127.0.0.1/hook",
    "https://localhost/hook",
    "https://2130706433/hook",
    "https://0x7f000001/hook",
    "https://0177.0.0.1/hook",
    "https://127.1/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://0.0.0.0/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.8/hook",
    "https://172.16.5.4/hook",
    "https://192.168.1.1/hook",
    "https://[fd00::1]/hook",
    "https://[fe80::1]/hook",
    "https://100.64.0.1/hook",
]


@pytest.fixture
def admin(make_actor):
    return make_actor(OrganisationKind.VENDOR, Role.ADMIN)


@pytest.mark.parametrize("url", INSIDE_ADDRESSES)
def test_registration_refuses_every_spelling_of_an_inside_address(api_as, admin, url):
    response = api_as(admin).post("/webhooks", {"url": url, "events": []})

    assert response.status_code == 422
    assert response.json()["code"] == "webhook_url_not_public"
    assert response.json()["field"] == "url"
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_is_refused_unless_the_operator_allows_it(api_as, admin):
    response = api_as(admin).post("/webhooks", {"url": "http://vendor.example/hook", "events": []})

    assert response.status_code == 422
    assert response.json()["code"] == "webhook_url_scheme"
    assert "https://" in response.json()["message"]


def test_a_url_carrying_credentials_is_refused(api_as, admin):
    response = api_as(admin).post("/webhooks", {"url": "https://user:pw@vendor.example/hook"})

    assert response.json()["code"] == "webhook_url_credentials"


def _queue(endpoint: WebhookEndpoint) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event="order.placed", payload={}, next_attempt_at=timezone.now()
    )


def test_an_address_that_turned_private_after_registration_is_not_reached(admin, settings):
    # As after DNS rebinding: the row holds a URL that now resolves inside. The check at delivery holds.
    settings.WEBHOOK_ALLOW_HTTP = True
    inside = Receiver()
    endpoint = WebhookEndpoint.objects.create(organisation=admin.organisation, url=inside.url, secret="s")

    sent = delivery.attempt_delivery(delivery_id=_queue(endpoint).pk)
    inside.close()

    assert inside.received == []
    assert sent.last_error == "blocked_address"
    assert sent.status == DeliveryStatus.PENDING


def test_a_redirect_towards_an_inside_address_is_not_followed(admin, settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.2"]
    inside = Receiver(host="127.0.0.1")
    redirecting = Receiver(host="127.0.0.2", status=307, location=inside.url)
    endpoint, _secret = services.register_webhook(actor=admin, url=redirecting.url, events=[])

    sent = delivery.attempt_delivery(delivery_id=_queue(endpoint).pk)
    inside.close()
    redirecting.close()

    assert len(redirecting.received) == 1
    assert inside.received == []
    assert sent.last_status_code == 307
    assert sent.status == DeliveryStatus.PENDING


def test_the_delivery_log_keeps_status_and_timing_never_the_answer(api_as, admin, settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    leaking = Receiver(status=500, answer=b"root:x:0:0:internal secrets")
    endpoint, _secret = services.register_webhook(actor=admin, url=leaking.url, events=[])
    delivery.attempt_delivery(delivery_id=_queue(endpoint).pk)
    leaking.close()

    log = api_as(admin).get(f"/webhooks/{endpoint.pk}/deliveries").json()["results"][0]

    assert "secrets" not in str(log)
    assert log["last_error"] == "http_status"
    assert log["last_status_code"] == 500
    assert log["last_duration_ms"] >= 0
