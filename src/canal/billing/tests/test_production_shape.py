"""The production shape of docs/deploy.md, for real: two `canal serve` web processes and two `canal worker`
processes against one PostgreSQL (and Redis when it answers). The operator starts a billing run in two
parts through one web process and follows it through the other while customers read their invoices."""

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connection
from django.utils import timezone

from canal.accounts.actor import actor_for
from canal.accounts.models import OrganisationKind, Role
from canal.accounts.services import create_api_token
from canal.accounts.tests.factories import member
from canal.billing.models import Invoice, InvoiceStatus
from canal.billing.tests.test_billing_runs_split import due_payers

PAYERS = 40
DEADLINE_SECONDS = 45


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def _environment() -> dict[str, str]:
    """The test database (committed rows: a transactional test) for every process, as in production."""
    db = connection.settings_dict
    login = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "canal.config.settings",
        "WEB_WORKERS": "1",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    if _redis_answers():
        env["REDIS_URL"] = "redis://127.0.0.1:6379/14"
    return env


def _start(env: dict[str, str], *command: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "canal", *command], env=env, stdout=subprocess.DEVNULL)  # noqa: S603


def _wait_for(base: str, process: subprocess.Popen) -> None:
    for _ in range(int(DEADLINE_SECONDS / 0.2)):
        if process.poll() is not None:
            raise RuntimeError(f"{base} exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} never answered /healthz")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_web_processes_and_two_workers_bill_a_run_in_parts_while_serving_the_api(postgres_only):
    due_payers(PAYERS, timezone.localdate())
    operator = actor_for(member(kind=OrganisationKind.OPERATOR, role=Role.BILLING))
    customer = actor_for(member(kind=OrganisationKind.CUSTOMER, role=Role.ADMIN))
    _token, operator_token = create_api_token(actor=operator, name="ops", for_self=True)
    _token, customer_token = create_api_token(actor=customer, name="erp", for_self=True)
    env = _environment()
    ports = [_free_port(), _free_port()]
    processes = [_start(env, "serve", "--bind", f"127.0.0.1:{port}") for port in ports]
    processes += [_start(env, "worker", "--no-scheduler", "--interval", "0.2") for _worker in range(2)]
    try:
        web = [f"http://127.0.0.1:{port}" for port in ports]
        for base, process in zip(web, processes, strict=False):
            _wait_for(base, process)
        as_operator = {"Authorization": f"Bearer {operator_token}"}
        as_customer = {"Authorization": f"Bearer {customer_token}"}

        started = httpx.post(
            f"{web[0]}/api/v1/billing/runs", json={"parts": 2}, headers=as_operator, timeout=30
        )
        assert started.status_code == 201, started.text
        run_id = started.json()["id"]

        def customer_reads(index: int) -> int:
            return httpx.get(
                f"{web[index % 2]}/api/v1/billing/invoices", headers=as_customer, timeout=30
            ).status_code

        with ThreadPoolExecutor(max_workers=4) as clients:
            answers = list(clients.map(customer_reads, range(40)))
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            run = httpx.get(f"{web[1]}/api/v1/billing/runs/{run_id}", headers=as_operator, timeout=30).json()
            if run["status"] != "running" or time.monotonic() > deadline:
                break
            time.sleep(0.3)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)

    assert set(answers) == {200}
    assert (run["status"], run["payers_due"], run["payers_done"]) == ("finished", PAYERS, PAYERS)
    assert (run["parts"], run["parts_done"], run["invoices_issued"], run["failures"]) == (2, 2, PAYERS, 0)
    issued = Invoice.objects.filter(status=InvoiceStatus.ISSUED, issue_date=timezone.localdate())
    assert sorted(issued.values_list("number", flat=True)) == list(range(1, PAYERS + 1))
