"""R5.6 on PostgreSQL with real parallel connections: four workers sweeping at once flag a breach once."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from django.db import connection

from canal.accounts.actor import actor_for
from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.notifications.models import Notification
from canal.support import breaches, priority
from canal.support.models import SlaBreach


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r5_6_parallel_sweeps_flag_and_escalate_a_breach_once(desk, postgres_only):
    admin = actor_for(MembershipFactory(organisation=desk.vendor, role=Role.ADMIN).user, desk.vendor.pk)
    priority.configure(actor=admin, default_severity="s3", tiers=[("", 100)], excluded_product_ids=[])
    desk.license()
    ticket = desk.open()
    late = ticket.created_at + timedelta(hours=9)  # first response and determination both missed
    barrier = Barrier(4)

    def sweep(_: int) -> int:
        try:
            barrier.wait()
            return breaches.flag_sla_breaches(now=late)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        flagged = list(pool.map(sweep, range(4)))

    # First response, determination and the timely update missed; resolution warned (24 h lower bound not
    # reached: no); so three breaches, each flagged and told once.
    breached = SlaBreach.objects.filter(ticket=ticket, kind="breach")
    assert sum(flagged) == SlaBreach.objects.filter(ticket=ticket).count()
    assert sorted(breached.values_list("phase", flat=True)) == ["determination", "first_response", "update"]
    told = Notification.objects.filter(recipient=desk.vendor_agent.user, message__startswith="SLA breached")
    assert told.count() == 3
