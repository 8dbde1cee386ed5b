"""Billing runs split across workers: the operator (or the daily job) opens a run, its parts go to the
task queue, and every `canal worker` that picks one up bills payers until none is left (cycles.bill_part
claims them with SKIP LOCKED). Progress is the run's row: payers due at the start, payers done since.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Role
from canal.billing import cycles
from canal.billing.models import BillingRun, BillingRunStatus
from canal.billing.run_parts import bill_run_part
from canal.core import audit
from canal.core.errors import NotFound, RuleViolation

MAX_PARTS = 32


def default_parts() -> int:
    return int(getattr(settings, "BILLING_RUN_PARTS", 2))


def start_billing_run(
    *, actor: Actor | None, run_date: date | None = None, parts: int | None = None
) -> BillingRun:
    """Opens a run of everything due on `run_date` (today by default) and queues `parts` tasks that bill
    it side by side, on as many workers as there are. `actor` None is the scheduler."""
    if actor is not None:
        require_operator(actor)
        actor.require_role(Role.ADMIN, Role.BILLING)
    today = timezone.localdate()
    run_date = run_date or today
    parts = parts or default_parts()
    if run_date > today:
        raise RuleViolation(
            _("A run bills what is due up to today; choose today or an earlier date."), field="run_date"
        )
    if not 1 <= parts <= MAX_PARTS:
        raise RuleViolation(_("Split a run into 1 to %(max)s parts.") % {"max": MAX_PARTS}, field="parts")
    with transaction.atomic():
        run = cycles.start_run(run_date=run_date, parts=parts)
        audit.record(
            actor=actor,
            action="billing_run.started",
            obj=run,
            after={"run_date": str(run_date), "parts": parts, "payers_due": run.payers_due},
        )
        # Queued once the run exists for the workers to read: never a part of a run rolled back.
        transaction.on_commit(lambda: [bill_run_part.enqueue(run.pk) for _part in range(parts)])
    return run


def require_operator(actor: Actor) -> None:
    """Billing runs are the operator's: anyone else is told they do not exist."""
    if not actor.is_operator:
        raise NotFound(_("No such billing run."))


def runs_visible_to(actor: Actor) -> QuerySet[BillingRun]:
    if not actor.is_operator:
        return BillingRun.objects.none()
    return BillingRun.objects.order_by("-started_at", "-id")


def run_for(actor: Actor, run_id: int) -> BillingRun:
    run = runs_visible_to(actor).filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("No such billing run."))
    return run


def any_running(actor: Actor) -> bool:
    return runs_visible_to(actor).filter(status=BillingRunStatus.RUNNING).exists()
