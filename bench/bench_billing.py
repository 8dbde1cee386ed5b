"""The billing run on PostgreSQL: N monthly subscriptions (BENCH_BILLING_N, default 10,000), one payer
each, billed by `run_billing` on BENCH_BILLING_WORKERS parallel workers (default 2), in a database of its
own (canal_bench, created and dropped here).

For comparison the same run measures the raw insert rate of PostgreSQL for the rows the billing run
wrote (invoices, lines, journal entries, postings, audit entries): copied back in with psycopg's
executemany, in one transaction, without any of the billing logic.

The measurement runs in a child process so that Django is set up against the bench database whatever
the parent process did before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DB = "canal_bench"
SERVER_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
HERE = Path(__file__).resolve()


def _server_url(database: str) -> str:
    return SERVER_URL.rsplit("/", 1)[0] + f"/{database}"


def run() -> dict[str, float | int | str]:
    import psycopg

    with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    try:
        env = {
            **os.environ,
            "DATABASE_URL": _server_url(BENCH_DB),
            "DJANGO_SETTINGS_MODULE": "canal.config.settings",
        }
        child = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(HERE), "--child"], env=env, capture_output=True, text=True, check=False
        )
        if child.returncode != 0:
            raise RuntimeError(f"billing bench failed:\n{child.stdout}\n{child.stderr}")
        return json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def _child() -> dict[str, float | int | str]:
    import django

    django.setup()
    from concurrent.futures import ThreadPoolExecutor
    from datetime import date
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from canal.accounts.models import Organisation, OrganisationKind
    from canal.billing.cycles import run_billing
    from canal.billing.models import BillingAccount, Invoice, RecurringCharge, TaxRate

    n = int(os.environ.get("BENCH_BILLING_N", "10000"))
    workers = int(os.environ.get("BENCH_BILLING_WORKERS", "2"))
    run_date = date(2026, 12, 1)
    call_command("migrate", verbosity=0, skip_checks=True)
    TaxRate.objects.create(country="ES", name="IVA", rate=Decimal("0.21"))
    Organisation.objects.create(
        kind=OrganisationKind.OPERATOR, name="Bench operator", country="ES", legal_id="B1"
    )
    payers = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.CUSTOMER, name=f"Customer {i}", country="ES", legal_id=f"B{i}")
        for i in range(n)
    )
    BillingAccount.objects.bulk_create(BillingAccount(organisation=payer) for payer in payers)
    RecurringCharge.objects.bulk_create(
        RecurringCharge(
            payer=payer,
            beneficiary=payer,
            description="CRM, 5 Base licenses (monthly)",
            code="crm.base",
            quantity=5,
            unit_price=Decimal("25.00"),
            amount=Decimal("125.00"),
            currency="EUR",
            next_billing_date=run_date,
        )
        for payer in payers
    )
    connection.close()

    def work(index: int) -> int:
        try:
            return run_billing(run_date=run_date, batch_size=100, worker=f"bench-{index}").run.charges_billed
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        billed = sum(pool.map(work, range(workers)))
    billing_seconds = time.perf_counter() - started
    assert billed == n == Invoice.objects.count(), (billed, n)

    tables = [
        "billing_invoice",
        "billing_invoiceline",
        "billing_journalentry",
        "billing_posting",
        "core_auditentry",
    ]
    rows_written = 0
    raw_seconds = 0.0
    with connection.cursor() as cursor:
        raw = cursor.connection  # the psycopg connection underneath Django's
        for table in tables:
            with raw.cursor() as source:
                source.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
                columns = [column.name for column in source.description]
                rows = source.fetchall()
            copy = f"bench_{table}"
            with raw.cursor() as target:
                target.execute(f"CREATE TEMP TABLE {copy} (LIKE {table} INCLUDING ALL)")
                placeholders = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {copy} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
                for_json = (
                    {i for i, value in enumerate(rows[0]) if isinstance(value, dict | list)}
                    if rows
                    else set()
                )
                if for_json:
                    from psycopg.types.json import Jsonb

                    rows = [
                        tuple(Jsonb(v) if i in for_json else v for i, v in enumerate(row)) for row in rows
                    ]
                began = time.perf_counter()
                with raw.transaction():
                    target.executemany(sql, rows)
                raw_seconds += time.perf_counter() - began
            rows_written += len(rows)
    return {
        "subscriptions": n,
        "workers": workers,
        "billing_seconds": round(billing_seconds, 2),
        "subscriptions_billed_per_second": round(n / billing_seconds, 1),
        "rows_written_per_subscription": round(rows_written / n, 1),
        "raw_insert_rows_per_second": round(rows_written / raw_seconds),
        "raw_insert_subscriptions_per_second": round(n / raw_seconds, 1),
        "workload": "monthly charge per payer, ES VAT, invoice issued and numbered, ledger entry, audit rows",
    }


if __name__ == "__main__" and "--child" in sys.argv:
    print(json.dumps(_child()))
