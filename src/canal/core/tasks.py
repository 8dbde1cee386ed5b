from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from canal.core.models import IdempotencyKey, ScheduledRun

IDEMPOTENCY_KEY_LIFETIME = timedelta(days=30)
SCHEDULE_HISTORY = timedelta(days=90)


@task()
def purge_expired_records() -> dict[str, int]:
    """Idempotency keys outlive any sane retry after 30 days; old schedule claims are only history."""
    now = timezone.now()
    keys, _ = IdempotencyKey.objects.filter(created_at__lt=now - IDEMPOTENCY_KEY_LIFETIME).delete()
    runs, _ = ScheduledRun.objects.filter(slot__lt=now - SCHEDULE_HISTORY).delete()
    return {"idempotency_keys": keys, "scheduled_runs": runs}
