"""Periodic jobs (billing run, trial expiry, SLA checks...) that run once per slot however many workers run.

Each job has an interval; time is cut into slots of that length. A worker that finds a slot due inserts
a ScheduledRun row for (job, slot); the unique constraint lets exactly one insert win, and only the
winner enqueues the job's task. Apps register their jobs in their AppConfig.ready().
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from canal.core.models import ScheduledRun

logger = logging.getLogger(__name__)
EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday, so weekly slots start on Mondays


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: Any  # a django_tasks Task


_jobs: dict[str, PeriodicJob] = {}


def register(job: PeriodicJob) -> None:
    _jobs[job.name] = job


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def slot_start(moment: datetime, every: timedelta) -> datetime:
    elapsed = moment - EPOCH
    return EPOCH + every * (elapsed // every)


def claim(job: PeriodicJob, slot: datetime, worker_id: str) -> bool:
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job.name, slot=slot, claimed_by=worker_id)
    except IntegrityError:
        return False
    return True


def run_due_jobs(*, now: datetime, worker_id: str) -> list[str]:
    """Enqueues every job whose current slot nobody has claimed yet; returns the names it enqueued."""
    enqueued = []
    for job in registered_jobs():
        if claim(job, slot_start(now, job.every), worker_id):
            job.task.enqueue()
            enqueued.append(job.name)
            logger.info("scheduled job %s enqueued by %s", job.name, worker_id)
    return enqueued
