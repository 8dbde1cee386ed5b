"""The task a billing run queues once per part (runs.start_billing_run); its own module so that runs.py
can queue it without importing the scheduler's jobs in tasks.py, which start runs."""

from django_tasks import task

from canal.billing.cycles import bill_part
from canal.billing.models import BillingRun


@task()
def bill_run_part(run_id: int) -> dict[str, int]:
    """One worker's share of a billing run: payers claimed batch by batch until none is left."""
    issued = bill_part(BillingRun.objects.get(pk=run_id))
    return {"run": run_id, "invoices_issued": len(issued)}
