from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django_tasks import task

from canal.core import scheduler
from canal.core.models import ScheduledRun

runs: list[str] = []


@task()
def remember_run() -> None:
    runs.append("ran")


@pytest.fixture
def hourly_job(monkeypatch):
    runs.clear()
    job = scheduler.PeriodicJob("test_hourly", timedelta(hours=1), remember_run)
    monkeypatch.setattr(scheduler, "_jobs", {job.name: job})
    return job


def test_a_due_job_runs_once_per_slot_however_often_workers_look(hourly_job, db):
    ten_past = datetime(2026, 11, 23, 10, 10, tzinfo=UTC)

    first = scheduler.run_due_jobs(now=ten_past, worker_id="a")
    second = scheduler.run_due_jobs(now=ten_past + timedelta(minutes=30), worker_id="b")

    assert first == ["test_hourly"]
    assert second == []
    assert runs == ["ran"]


def test_the_next_slot_runs_again(hourly_job, db):
    ten_past = datetime(2026, 11, 23, 10, 10, tzinfo=UTC)

    scheduler.run_due_jobs(now=ten_past, worker_id="a")
    scheduler.run_due_jobs(now=ten_past + timedelta(hours=1), worker_id="a")

    assert runs == ["ran", "ran"]
    assert ScheduledRun.objects.filter(job="test_hourly").count() == 2


def test_slots_are_aligned_to_the_interval():
    moment = datetime(2026, 11, 23, 10, 59, 59, tzinfo=UTC)

    assert scheduler.slot_start(moment, timedelta(hours=1)) == datetime(2026, 11, 23, 10, tzinfo=UTC)
    assert scheduler.slot_start(moment, timedelta(days=1)) == datetime(2026, 11, 23, tzinfo=UTC)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_on_postgres_run_a_slot_exactly_once(hourly_job, postgres_only):
    now = datetime(2026, 11, 23, 10, 10, tzinfo=UTC)

    def worker(number: int) -> list[str]:
        try:
            return scheduler.run_due_jobs(now=now, worker_id=f"worker-{number}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(worker, range(8)))

    assert sum(len(enqueued) for enqueued in results) == 1
    assert runs == ["ran"]
