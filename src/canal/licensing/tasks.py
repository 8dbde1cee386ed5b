from django_tasks import task

from canal.licensing import services


@task()
def mark_inactive() -> int:
    """R2.3: servers silent for LICENSING_INACTIVE_AFTER_DAYS days become inactive (hourly)."""
    return services.mark_inactive_servers()
