"""Outgoing webhooks: signed, logged, retried with backoff, sent only after commit."""

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from canal.accounts.models import OrganisationKind, Role
from canal.notifications import delivery as delivery_module
from canal.notifications import services
from canal.notifications.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from canal.notifications.signing import sign, verify


class Receiver:
    """A real HTTP endpoint on loopback that records what it receives and answers a chosen status."""

    def __init__(
        self, status: int = 200, host: str = "127.0.0.1", answer: bytes = b"", location: str = ""
    ) -> None:
        self.status = status
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                if location:
                    self.send_header("Location", location)
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def local_receivers_allowed(settings):
    """Development settings: plain http and the loopback receiver are allowed explicitly."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]


@pytest.fixture
def receiver(local_receivers_allowed):
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


@pytest.fixture
def vendor(make_actor):
    return make_actor(OrganisationKind.VENDOR, Role.ADMIN)


def test_event_reaches_the_endpoint_signed_with_its_secret(
    vendor, receiver, django_capture_on_commit_callbacks
):
    _endpoint, secret = services.register_webhook(actor=vendor, url=receiver.url, events=["order.placed"])

    with django_capture_on_commit_callbacks(execute=True):
        services.emit_event(organisation=vendor.organisation, event="order.placed", payload={"order": 42})

    headers, body = receiver.received[0]
    assert json.loads(body)["data"] == {"order": 42}
    assert headers["Canal-Event"] == "order.placed"
    assert verify(secret=secret, header=headers["Canal-Signature"], body=body, now=int(time.time()))
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED


def test_nothing_is_sent_when_the_transaction_rolls_back(
    vendor, receiver, django_capture_on_commit_callbacks
):
    services.register_webhook(actor=vendor, url=receiver.url, events=[])

    def failing_write() -> None:
        with transaction.atomic():
            services.emit_event(organisation=vendor.organisation, event="order.placed", payload={})
            raise RuntimeError("order refused")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_write()

    assert receiver.received == []


def test_endpoints_get_only_the_events_they_chose(vendor, receiver, django_capture_on_commit_callbacks):
    services.register_webhook(actor=vendor, url=receiver.url, events=["order.placed"])

    with django_capture_on_commit_callbacks(execute=True):
        services.emit_event(organisation=vendor.organisation, event="invoice.issued", payload={})

    assert receiver.received == []


def test_failed_delivery_is_retried_with_growing_waits_then_given_up(
    vendor, local_receivers_allowed, django_capture_on_commit_callbacks
):
    failing = Receiver(status=500)
    services.register_webhook(actor=vendor, url=failing.url, events=[])
    with django_capture_on_commit_callbacks(execute=True):
        services.emit_event(organisation=vendor.organisation, event="order.placed", payload={})
    delivery = WebhookDelivery.objects.get()
    waits = []

    while delivery.status == DeliveryStatus.PENDING:
        waits.append(delivery.next_attempt_at - timezone.now())
        delivery_module.retry_due_deliveries(now=delivery.next_attempt_at)
        delivery.refresh_from_db()
    failing.close()

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 6
    assert delivery.last_status_code == 500
    assert len(failing.received) == 6
    assert waits[1] > timedelta(seconds=50)
    assert waits == sorted(waits)


def test_unreachable_endpoint_is_logged_not_raised(
    vendor, local_receivers_allowed, django_capture_on_commit_callbacks
):
    services.register_webhook(actor=vendor, url="http://127.0.0.1:9/nothing-listens", events=[])

    with django_capture_on_commit_callbacks(execute=True):
        services.emit_event(organisation=vendor.organisation, event="order.placed", payload={})

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "connection_failed"


def test_a_signature_older_than_five_minutes_is_refused():
    body = b'{"x": 1}'
    header = sign(secret="s", timestamp=1_000, body=body)

    assert verify(secret="s", header=header, body=body, now=1_200)
    assert not verify(secret="s", header=header, body=body, now=1_400)
    assert not verify(secret="other", header=header, body=body, now=1_200)
    assert not verify(secret="s", header=header, body=b'{"x": 2}', now=1_200)


def test_webhooks_are_managed_through_the_api_and_secrets_shown_once(api_as, vendor, receiver):
    api = api_as(vendor)

    created = api.post("/webhooks", {"url": receiver.url, "events": ["order.placed"]})
    listed = api.get("/webhooks").json()["results"]

    assert created.status_code == 201
    assert created.json()["secret"].startswith("whsec_")
    assert "secret" not in listed[0]


def test_another_organisations_delivery_log_answers_404(api_as, vendor, make_actor, receiver):
    endpoint, _secret = services.register_webhook(actor=vendor, url=receiver.url, events=[])
    other = make_actor(OrganisationKind.VENDOR, Role.ADMIN)

    assert api_as(other).get(f"/webhooks/{endpoint.pk}/deliveries").status_code == 404
    assert api_as(vendor).get(f"/webhooks/{endpoint.pk}/deliveries").status_code == 200


@pytest.mark.parametrize("role", [Role.MEMBER, Role.TECHNICAL])
def test_only_administrators_may_register_webhooks(api_as, make_actor, receiver, role):
    member = make_actor(OrganisationKind.VENDOR, role)

    response = api_as(member).post("/webhooks", {"url": receiver.url})

    assert response.status_code == 403
    assert not WebhookEndpoint.objects.exists()
