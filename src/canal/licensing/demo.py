"""Demo license servers (R2.3, R2.4, R2.19): Hotel Mirador's Redwall appliances with hardware codes and
30 days of heartbeats, and Redwall's releases. Orders and payments come from the orders demo."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from canal.accounts.actor import Actor, actor_for
from canal.accounts.models import User
from canal.licensing import appliance, services
from canal.licensing.models import Server
from canal.subscriptions.models import Subscription, SubscriptionStatus

RELEASES = [
    ("7.3.0", 300, "Multi-WAN failover in under a second."),
    ("7.4.0", 60, "Hotspot vouchers; QoS per client group."),
    ("7.5.0", 5, "Firewall rule search; faster reports."),
]
HEARTBEAT_EVERY = timedelta(hours=6)


def load() -> None:
    hotel = actor_for(User.objects.get(email="hotel@canal.test"))
    vendor = actor_for(User.objects.get(email="vendor.redwall@canal.test"))
    now = timezone.now()
    for version, days_ago, notes in RELEASES:
        services.publish_release(
            actor=vendor,
            product_code="redwall-server",
            version=version,
            published_on=timezone.localdate(now - timedelta(days=days_ago)),
            notes=notes,
        )
    licenses = Subscription.objects.filter(
        customer=hotel.organisation, product__code="redwall-server", status=SubscriptionStatus.ACTIVE
    )
    # server1 (PRO, 250 clients): two hardware changes used, one left (R2.19 warns the customer).
    server1 = _activated(hotel, licenses.get(name="server1"), ["RW-8C1F-A", "RW-8C1F-B", "RW-8C1F-C"], now)
    _heartbeats(server1, clients=lambda step: 150 + step % 40, version="7.4.0", now=now)
    # server2 (Freemium, 100 clients): serving more clients than licensed.
    server2 = _activated(hotel, licenses.get(name="server2"), ["RW-33D0-A"], now)
    _heartbeats(server2, clients=lambda step: 90 + step // 3, version="7.5.0", now=now)
    # server3 waits for its order's payment (orders demo), so it has no server yet.


def _activated(actor: Actor, subscription: Subscription, hardware: list[str], now: datetime) -> Server:
    services.issue_activation_key(actor=actor, server_id=subscription.pk)
    server = Server.objects.get(pk=subscription.pk)
    for index, code in enumerate(hardware):
        appliance.activate(server=server, hardware_code=code, now=now - timedelta(days=200 - 70 * index))
    return server


def _heartbeats(server: Server, *, clients: Callable[[int], int], version: str, now: datetime) -> None:
    start = now - timedelta(days=30)
    step = 0
    while start + step * HEARTBEAT_EVERY <= now:
        at = start + step * HEARTBEAT_EVERY
        appliance.heartbeat(
            server=server,
            uptime_seconds=int((at - start).total_seconds()) + 86400 * 12,
            clients_in_use=clients(step),
            version=version,
            now=at,
        )
        step += 1
