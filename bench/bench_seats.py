"""Seat assignments through the REST API under 32 concurrent clients on PostgreSQL (issue: seat licenses).

A throwaway database is migrated and seeded with one pool of SEATS licenses and USERS users (more users
than seats, so the last requests race for the last seats), `canal serve` serves it on loopback, and 32 client
threads assign one user each per request. Figures: assignments per second, latency percentiles, how many
were refused for lack of a free license, and how many seats were oversold (must be 0).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import canal_serve, migrated_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "canal_bench_seats"
CLIENTS = int(os.environ.get("BENCH_SEAT_CLIENTS", "32"))
SEATS = int(os.environ.get("BENCH_SEATS", "2000"))
USERS = int(os.environ.get("BENCH_SEAT_USERS", "2400"))
PORT = 8765


def _canal(*args: str, env: dict[str, str]) -> str:
    command = [sys.executable, str(ROOT / "bench" / "seats_scenario.py"), *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603


def run() -> dict[str, float | int | str]:
    with migrated_database(DATABASE, API_RATE_AUTHENTICATED="1000000/m") as env:
        scenario = json.loads(_canal("seed", str(SEATS), str(USERS), env=env))
        with canal_serve(env, PORT) as base:
            headers = {"Authorization": f"Bearer {scenario['token']}"}
            path = f"{base}/api/v1/subscriptions/{scenario['subscription']}/seats/base/assignments"
            client = httpx.Client(headers=headers, timeout=30, limits=httpx.Limits(max_connections=CLIENTS))

            def assign(user_id: int) -> tuple[int, float]:
                started = time.perf_counter()
                response = client.post(path, json={"user_id": user_id})
                return response.status_code, time.perf_counter() - started

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                results = list(pool.map(assign, scenario["user_ids"]))
            elapsed = time.perf_counter() - started
            client.close()
        counts = json.loads(_canal("check", env=env))
    latencies = sorted(duration for _status, duration in results)
    statuses = [status for status, _duration in results]
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "assignment_requests_per_second": round(len(results) / elapsed, 1),
        "assigned": statuses.count(201),
        "refused_no_free_license": statuses.count(422),
        "other_statuses": len(statuses) - statuses.count(201) - statuses.count(422),
        "latency_p50_ms": round(quantiles[49] * 1000, 1),
        "latency_p99_ms": round(quantiles[98] * 1000, 1),
        "oversold_seats": counts["oversold"],
        "pool_total": counts["total"],
        "pool_assigned": counts["assigned"],
        "workload": (
            f"{USERS} users racing for {SEATS} seats, {CLIENTS} concurrent clients, canal serve, PostgreSQL"
        ),
    }
