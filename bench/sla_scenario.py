"""Seeds N open S1 tickets on the database named by DATABASE_URL and runs the SLA sweep over them;
prints JSON. Run by bench_sla.py in a subprocess so its Django settings never mix with another
benchmark's.

Usage: sla_scenario.py N [N ...]: for each size, N more tickets are added (bulk_create), all opened
50 hours ago and never answered, so the first sweep flags four breaches each (first response,
determination, resolution, timely update); a second sweep finds nothing new. Both are timed and their
queries counted (CaptureQueriesContext, the e-mails queued at commit included). The tables are
ANALYZEd after seeding, as autovacuum would do.
"""

import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canal.config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from canal.accounts.actor import actor_for  # noqa: E402
from canal.accounts.models import Organisation, OrganisationKind, Role  # noqa: E402
from canal.accounts.services import add_member, create_organisation  # noqa: E402
from canal.catalog.models import TicketCategory  # noqa: E402
from canal.catalog.services import import_catalog  # noqa: E402
from canal.catalog.tests.conftest import demo_text  # noqa: E402
from canal.support import breaches, priority, sla, sla_config  # noqa: E402
from canal.support.models import Severity, SlaBreach, Ticket  # noqa: E402

BATCH = 5000
WARM_UP = 10


def world() -> tuple[Organisation, Organisation, object, TicketCategory]:
    vendor = create_organisation(
        actor=None,
        kind=OrganisationKind.VENDOR,
        name="Redwall Networks S.L.",
        legal_id="B1",
        country="ES",
        region="EMEA",
        currency="USD",
        language="en",
    )
    customer = create_organisation(
        actor=None,
        kind=OrganisationKind.CUSTOMER,
        name="Bench customer",
        legal_id="B2",
        country="ES",
        region="EMEA",
        currency="USD",
        language="en",
    )
    import_catalog(actor=None, text=demo_text("redwall"), source="redwall.yaml")
    admin = add_member(
        actor=None,
        organisation=vendor,
        email="admin@bench.test",
        role=Role.ADMIN,
        full_name="Admin",
        password="x",
        language="en",
    ).user
    requester = add_member(
        actor=None,
        organisation=customer,
        email="c@bench.test",
        role=Role.ADMIN,
        full_name="C",
        password="x",
        language="en",
    ).user
    actor = actor_for(admin, vendor.pk)
    priority.configure(actor=actor, default_severity="s3", tiers=[("", 100)], excluded_product_ids=[])
    sla_config.configure_sla(
        actor=actor,
        targets=[sla_config.TargetSpec(severity="s1", **sla.DOCUMENT_S1)],
        calendar=sla_config.CalendarSpec(),
        escalation_contact_ids=[admin.pk],
    )
    category = TicketCategory.objects.filter(product__vendor=vendor).first()
    return vendor, customer, requester, category


def seed(count: int, opened: datetime, vendor, customer, requester, category) -> None:
    due = {
        "first_response_due_at": opened + timedelta(hours=3),
        "determination_due_at": opened + timedelta(hours=8),
        "resolution_due_at": opened + timedelta(hours=48),
        "first_response_warn_at": opened + timedelta(hours=1),
        "determination_warn_at": opened + timedelta(hours=2),
        "resolution_warn_at": opened + timedelta(hours=24),
        "update_due_at": opened + timedelta(hours=4),
    }
    first = Ticket.objects.count()
    rows = (
        Ticket(
            number=f"BEN-{first + index:07d}",
            customer=customer,
            vendor=vendor,
            requester=requester,
            category=category,
            title="Bench",
            description="Bench",
            severity=Severity.S1,
            large_account=True,
            **due,
        )
        for index in range(count)
    )
    batch: list[Ticket] = []
    for ticket in rows:
        batch.append(ticket)
        if len(batch) == BATCH:
            Ticket.objects.bulk_create(batch)
            batch = []
    if batch:
        Ticket.objects.bulk_create(batch)
    Ticket.objects.filter(created_at__gt=opened).update(created_at=opened)
    # Fresh rows have no planner statistics yet (autovacuum would gather them within a minute in
    # production); without them PostgreSQL picks a nested loop for the "not flagged yet" anti-joins.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE support_ticket")
        cursor.execute("ANALYZE support_slabreach")


def sweep(now: datetime) -> dict[str, float | int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        flagged = breaches.flag_sla_breaches(now=now)
        seconds = time.perf_counter() - started
    return {"flagged": flagged, "seconds": round(seconds, 3), "queries": len(queries)}


def main() -> None:
    sizes = [int(value) for value in sys.argv[1:]]
    world_rows = world()
    now = datetime.now(UTC)
    # Warm-up, not measured: the first escalation loads URL patterns, templates and catalogs.
    seed(WARM_UP, now - timedelta(days=30), *world_rows)
    sweep(now - timedelta(days=20))
    results = []
    for step, size in enumerate(sizes):
        opened = now - timedelta(hours=50) - timedelta(days=step)  # each size its own batch of tickets
        new = size - Ticket.objects.count()
        seed(new, opened, *world_rows)
        first = sweep(now + timedelta(minutes=step))
        second = sweep(now + timedelta(minutes=step, seconds=30))
        results.append(
            {
                "new_tickets": new,
                "open_tickets": Ticket.objects.count(),
                "first_sweep": first,
                "second_sweep": second,
                "flags": SlaBreach.objects.count(),
            }
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
