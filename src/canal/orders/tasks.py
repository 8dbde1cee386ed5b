"""Scheduled jobs of the order lifecycle: thin wrappers over the services (registered in apps.py)."""

from django_tasks import task


@task()
def expire_trials() -> int:
    from canal.subscriptions.trials import expire_trials as run

    return run()


@task()
def warn_trials_ending() -> int:
    from canal.subscriptions.trials import warn_trials_ending as run

    return run()


@task()
def flag_overdue_provisioning() -> int:
    from canal.subscriptions.provisioning import flag_overdue_requests

    return flag_overdue_requests()


@task()
def process_paid_orders() -> int:
    from canal.orders.services import process_paid_orders as run

    return run()


@task()
def renew_due_subscriptions() -> dict[str, int]:
    from canal.subscriptions.lifecycle import renew_due_subscriptions as run

    return run()
