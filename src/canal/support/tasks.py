"""Scheduled jobs of the support desk: thin wrappers over the services (registered in apps.py)."""

from django_tasks import task


@task()
def credit_paid_packs() -> int:
    from canal.support.packs import credit_paid_packs as run

    return run()


@task()
def close_quiet_tickets() -> int:
    from canal.support.tickets import close_quiet_tickets as run

    return run()


@task()
def flag_sla_breaches() -> int:
    from canal.support.breaches import flag_sla_breaches as run

    return run()
