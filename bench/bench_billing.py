"""The billing run on PostgreSQL next to its baselines, measured in the same run, interleaved.

N monthly subscriptions (BENCH_BILLING_N, default 2,000), one payer each, ES VAT, are seeded once into a
template database. Each repeat (BENCH_BILLING_REPEATS, default 3) then copies the template afresh for
every measurement, in this order:

1. `run_billing` on one worker;
2. the same rows written raw into the real tables (keys, constraints, triggers and indexes all in place)
   in ONE transaction: every row the one-worker run inserted, with its final values, plus the update of
   each recurring charge's next billing date. No billing logic, no Python per row: psycopg executemany;
3. the same, ONE TRANSACTION PER SUBSCRIPTION (each subscription's rows, then a commit);
4. `run_billing` on two workers (separate processes, as on two machines);
5. django-plans 2.8.2 renewing BENCH_PLANS_N subscriptions (default 200: it is slow, and a rate is a
   rate) in its own virtual environment (var/bench-plans-venv, created with pip on first use) and its own
   fresh database: see plans_baseline.py.

Figures are medians over the repeats. The rows for the raw baselines are captured from the first
one-worker run, so both sides write the same rows into the same schema.
"""

from __future__ import annotations

import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVER_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
HERE = Path(__file__).resolve()
TEMPLATE = "canal_bench_billing_seed"
WORK = "canal_bench_billing"
RUN_DATE = "2026-12-01"
PLANS_DATABASE = "canal_bench_plans"
PLANS_VENV = HERE.parent.parent / "var" / "bench-plans-venv"
PLANS_REQUIREMENTS = ["django-plans==2.8.2", "Django==5.2.19", "psycopg[binary]==3.3.9"]


def _url(database: str) -> str:
    return SERVER_URL.rsplit("/", 1)[0] + f"/{database}"


def _admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement)


def _child(*args: str, database: str) -> dict:
    env = {**os.environ, "DATABASE_URL": _url(database), "DJANGO_SETTINGS_MODULE": "canal.config.settings"}
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    child = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(HERE), *args], env=env, capture_output=True, text=True, check=False
    )
    if child.returncode != 0:
        raise RuntimeError(f"billing bench step {args} failed:\n{child.stdout}\n{child.stderr}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def _fresh_copy() -> None:
    _admin(f"DROP DATABASE IF EXISTS {WORK} WITH (FORCE)", f"CREATE DATABASE {WORK} TEMPLATE {TEMPLATE}")


def _plans_python() -> str:
    """The interpreter of django-plans' own environment, made on first use: it never touches Canal's."""
    python = PLANS_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PLANS_VENV)], check=True)  # noqa: S603
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PLANS_REQUIREMENTS], check=True)  # noqa: S603
    return str(python)


def _plans(n: int) -> float:
    """Seconds django-plans takes to renew `n` subscriptions, in a fresh database of its own."""
    _admin(f"DROP DATABASE IF EXISTS {PLANS_DATABASE} WITH (FORCE)", f"CREATE DATABASE {PLANS_DATABASE}")
    try:
        child = subprocess.run(  # noqa: S603 - our own script in the benchmark's environment
            [_plans_python(), str(HERE.parent / "plans_baseline.py"), _url(PLANS_DATABASE), str(n)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        _admin(f"DROP DATABASE IF EXISTS {PLANS_DATABASE} WITH (FORCE)")
    if child.returncode != 0:
        raise RuntimeError(f"django-plans baseline failed:\n{child.stdout}\n{child.stderr}")
    return json.loads(child.stdout.strip().splitlines()[-1])["seconds"]


def run() -> dict[str, float | int | str]:
    n = int(os.environ.get("BENCH_BILLING_N", "2000"))
    plans_n = int(os.environ.get("BENCH_PLANS_N", "200"))
    repeats = int(os.environ.get("BENCH_BILLING_REPEATS", "3"))
    _admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)", f"CREATE DATABASE {TEMPLATE}")
    samples: dict[str, list[float]] = {"one_worker": [], "two_workers": [], "raw_one": [], "raw_each": []}
    plans_seconds: list[float] = []
    rows_per_subscription = 0.0
    statements_per_subscription = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        dump = str(Path(scratch) / "rows.pickle")
        try:
            _child("--seed", str(n), database=TEMPLATE)
            for repeat in range(repeats):
                _fresh_copy()
                billed = _child("--bill", "1", dump if repeat == 0 else "", database=WORK)
                samples["one_worker"].append(billed["seconds"])
                if repeat == 0:
                    rows_per_subscription = billed["rows"] / n
                    statements_per_subscription = billed["statements"] / n
                for mode in ("one", "each"):
                    _fresh_copy()
                    samples[f"raw_{mode}"].append(
                        _child("--raw", mode, dump, str(n), database=WORK)["seconds"]
                    )
                _fresh_copy()
                samples["two_workers"].append(_child("--bill", "2", "", database=WORK)["seconds"])
                plans_seconds.append(_plans(plans_n))
        finally:
            _admin(
                f"DROP DATABASE IF EXISTS {WORK} WITH (FORCE)",
                f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)",
            )
    rate = {name: round(n / statistics.median(seconds), 1) for name, seconds in samples.items()}
    plans_rate = round(plans_n / statistics.median(plans_seconds), 1)
    return {
        "subscriptions": n,
        "repeats": repeats,
        "one_worker_per_second": rate["one_worker"],
        "two_workers_per_second": rate["two_workers"],
        "two_workers_over_one": round(rate["two_workers"] / rate["one_worker"], 2),
        "raw_one_transaction_per_second": rate["raw_one"],
        "raw_transaction_per_subscription_per_second": rate["raw_each"],
        "share_of_raw_one_transaction": round(rate["one_worker"] / rate["raw_one"], 3),
        "share_of_raw_transaction_per_subscription": round(rate["one_worker"] / rate["raw_each"], 3),
        "django_plans_subscriptions": plans_n,
        "django_plans_per_second": plans_rate,
        "one_worker_over_django_plans": round(rate["one_worker"] / plans_rate, 1),
        "rows_written_per_subscription": round(rows_per_subscription, 1),
        "sql_statements_per_subscription": round(statements_per_subscription, 1),
        "samples_seconds": json.dumps(
            {
                name: [round(s, 2) for s in seconds]
                for name, seconds in {**samples, "plans": plans_seconds}.items()
            }
        ),
        "workload": "monthly charge per payer, ES VAT, invoice issued and numbered, ledger entry, "
        "audit rows; "
        "template database copied afresh per measurement; medians",
    }


def _seed(n: int) -> dict:
    import django

    django.setup()
    from datetime import date
    from decimal import Decimal

    from django.core.management import call_command

    from canal.accounts.models import Organisation, OrganisationKind
    from canal.billing.models import BillingAccount, RecurringCharge, TaxRate

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
            next_billing_date=date.fromisoformat(RUN_DATE),
        )
        for payer in payers
    )
    return {"seeded": n}


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND column_name = 'id' AND data_type IN ('integer', 'bigint') ORDER BY table_name"
    )
    return [row[0] for row in cursor.fetchall()]


def _work(index: int) -> tuple[int, int]:
    """One billing worker (a forked process with its own connection): charges billed, SQL statements."""
    from datetime import date

    from django.db import connection

    from canal.billing.cycles import run_billing

    counted = [0]

    def count(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(count):
            run = run_billing(
                run_date=date.fromisoformat(RUN_DATE), batch_size=100, worker=f"bench-{index}"
            ).run
        return run.charges_billed, counted[0]
    finally:
        connection.close()


def _bill(workers: int, dump: str) -> dict:
    import django

    django.setup()
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from django.db import connection

    from canal.billing.models import Invoice, RecurringCharge

    n = RecurringCharge.objects.count()
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        before = {}
        for table in tables:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 - catalog names
            before[table] = cursor.fetchone()[0]
    connection.close()
    # Workers are processes, as `canal billing-run` on two machines would be: threads would share one
    # interpreter lock and measure Python's limit instead of the run's.
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        done = list(pool.map(_work, range(workers)))
    seconds = time.perf_counter() - started
    billed = sum(charges for charges, _statements in done)
    statements = sum(statements for _charges, statements in done)
    assert billed == n == Invoice.objects.count(), (billed, n)
    rows = 0
    if dump:
        captured: dict[str, tuple[list[str], list[tuple]]] = {}
        with connection.cursor() as cursor:
            raw = cursor.connection
            for table in tables:
                with raw.cursor() as source:
                    source.execute(f"SELECT * FROM {table} WHERE id > %s ORDER BY id", [before[table]])  # noqa: S608
                    found = source.fetchall()
                    if found:
                        captured[table] = ([column.name for column in source.description], found)
                        rows += len(found)
            charges = list(RecurringCharge.objects.order_by("pk").values_list("pk", "next_billing_date"))
        rows += len(charges)
        Path(dump).write_bytes(pickle.dumps({"tables": captured, "charges": charges}))
    return {"seconds": seconds, "rows": rows, "statements": statements}


def _raw(mode: str, dump: str, n: int) -> dict:
    import psycopg
    from psycopg.types.json import Jsonb

    data = pickle.loads(Path(dump).read_bytes())  # noqa: S301 - our own file, written above
    # Lines before invoices: the line trigger accepts lines for an invoice not inserted yet (foreign keys
    # are deferred to the commit), which is the cheapest order the schema allows.
    order = sorted(data["tables"], key=lambda table: (table != "billing_invoiceline", table))
    plans = []
    for table in order:
        columns, rows = data["tables"][table]
        rows = [tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in row) for row in rows]
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        # Each subscription wrote len(rows) // n rows of this table; rows written once for the whole run
        # (the run itself, house accounts, the counter) go with the first subscription.
        share, extra = divmod(len(rows), n)
        chunks = [rows[: extra + share]] + [
            rows[extra + share * i : extra + share * (i + 1)] for i in range(1, n)
        ]
        plans.append((sql, chunks))
    charges = [(next_date, pk) for pk, next_date in data["charges"]]
    charge_sql = "UPDATE billing_recurringcharge SET next_billing_date = %s WHERE id = %s"
    with psycopg.connect(os.environ["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        started = time.perf_counter()
        if mode == "one":
            for sql, chunks in plans:
                cursor.executemany(sql, [row for chunk in chunks for row in chunk])
            cursor.executemany(charge_sql, charges)
            connection.commit()
        else:
            for index in range(n):
                for sql, chunks in plans:
                    if chunks[index]:
                        cursor.executemany(sql, chunks[index])
                cursor.execute(charge_sql, charges[index])
                connection.commit()
        seconds = time.perf_counter() - started
    return {"seconds": seconds}


if __name__ == "__main__":
    if sys.argv[1] == "--seed":
        result = _seed(int(sys.argv[2]))
    elif sys.argv[1] == "--bill":
        result = _bill(int(sys.argv[2]), sys.argv[3])
    else:
        result = _raw(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    print(json.dumps(result))
