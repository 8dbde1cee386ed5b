"""Background jobs of billing: thin wrappers over the services."""

from django.utils import timezone
from django_tasks import task

from canal.billing.payments import reconcile_card_intents
from canal.billing.records import send_pending
from canal.billing.runs import start_billing_run


@task()
def daily_billing_run() -> dict[str, int]:
    """The scheduler enqueues this once a day: a run of what is due today, split into parts that the
    workers bill side by side (idempotent: what is billed is no longer due)."""
    run = start_billing_run(actor=None, run_date=timezone.localdate())
    return {"run": run.pk, "parts": run.parts, "payers_due": run.payers_due}


@task()
def reconcile_card_payments() -> int:
    """Completes card payments a crash left between the charge and its record."""
    return reconcile_card_intents()


@task()
def send_billing_records() -> dict[str, int | bool]:
    """Sends billing records not sent yet to the tax agency; does nothing while no backend is set."""
    outcome = send_pending()
    return {"configured": outcome.configured, "sent": outcome.sent, "failed": outcome.failed}
