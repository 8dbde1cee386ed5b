"""Background jobs of billing: thin wrappers over the services."""

from django.utils import timezone
from django_tasks import task

from canal.billing.cycles import run_billing
from canal.billing.payments import reconcile_card_intents
from canal.billing.records import send_pending


@task()
def daily_billing_run() -> dict[str, int]:
    """The scheduler enqueues this once a day; it bills what is due today (idempotent)."""
    result = run_billing(run_date=timezone.localdate())
    return {"invoices_issued": result.run.invoices_issued, "failures": result.run.failures}


@task()
def reconcile_card_payments() -> int:
    """Completes card payments a crash left between the charge and its record."""
    return reconcile_card_intents()


@task()
def send_billing_records() -> dict[str, int | bool]:
    """Sends billing records not sent yet to the tax agency; does nothing while no backend is set."""
    outcome = send_pending()
    return {"configured": outcome.configured, "sent": outcome.sent, "failed": outcome.failed}
