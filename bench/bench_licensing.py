"""License servers under 32 concurrent clients on PostgreSQL (issue 11, item 8): appliance heartbeats
and vendors' entitlement look-ups per second with latency percentiles, next to a bare Django view
(`/healthz`: one `SELECT 1` through the same middleware) served the same way. Goal: at least 60 % of it.

A throwaway database is migrated and seeded (bench/licensing_scenario.py), `canal serve` serves it on loopback
(its production settings, as the seat benchmark), and 32 client threads send REQUESTS requests each.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import canal_serve, migrated_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "canal_bench_licensing"
CLIENTS = int(os.environ.get("BENCH_LICENSING_CLIENTS", "32"))
REQUESTS = int(os.environ.get("BENCH_LICENSING_REQUESTS", "60"))
USERS = 2000
PORT = 8766


def _measure(call: Callable[[int], int]) -> dict[str, float]:
    def one(number: int) -> tuple[int, float]:
        started = time.perf_counter()
        status = call(number)
        return status, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(one, range(CLIENTS * REQUESTS)))
    elapsed = time.perf_counter() - started
    latencies = sorted(duration for _status, duration in results)
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "per_second": round(len(results) / elapsed, 1),
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p99_ms": round(quantiles[98] * 1000, 1),
        "errors": sum(1 for status, _duration in results if status != 200),
    }


def run() -> dict[str, float | int | str]:
    # Measure the work, not the rate limits (they still run: each request passes its throttles).
    limits = {
        "API_RATE_AUTHENTICATED": "100000000/m",
        "LICENSING_RATE_PER_SERVER": "100000000/m",
        "LICENSING_RATE_PER_ADDRESS": "100000000/m",
    }
    with migrated_database(DATABASE, **limits) as env:
        command = [sys.executable, str(ROOT / "bench" / "licensing_scenario.py"), str(CLIENTS), str(USERS)]
        seeded = subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
        scenario = json.loads(seeded.stdout)
        keys, emails, token = scenario["keys"], scenario["emails"], scenario["vendor_token"]
        with (
            canal_serve(env, PORT) as base,
            httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(max_connections=CLIENTS * 2)) as http,
        ):

            def bare(_number: int) -> int:
                return http.get("/healthz").status_code

            def heartbeat(number: int) -> int:
                body = {"uptime_seconds": 3600 + number, "clients_in_use": 120, "version": "7.4.0"}
                headers = {"Authorization": f"Bearer {keys[number % len(keys)]}"}
                return http.post(
                    "/api/v1/licensing/appliance/heartbeat", json=body, headers=headers
                ).status_code

            def entitlement(number: int) -> int:
                params = {"email": emails[number % len(emails)]}
                headers = {"Authorization": f"Bearer {token}"}
                return http.get("/api/v1/licensing/entitlements", params=params, headers=headers).status_code

            def me(_number: int) -> int:  # the floor of any token-authenticated, rate-limited API call
                return http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code

            calls = {"bare_view": bare, "api_me": me, "heartbeat": heartbeat, "entitlements": entitlement}
            for call in calls.values():  # warm every worker up
                for number in range(CLIENTS):
                    call(number)
            figures = {name: _measure(call) for name, call in calls.items()}
    result: dict[str, float | int | str] = {}
    for name, numbers in figures.items():
        for key, value in numbers.items():
            result[f"{name}_{key}"] = value
    bare_rate = figures["bare_view"]["per_second"]
    result["heartbeat_share_of_bare_view"] = round(figures["heartbeat"]["per_second"] / bare_rate, 2)
    result["entitlements_share_of_bare_view"] = round(figures["entitlements"]["per_second"] / bare_rate, 2)
    result["workload"] = (
        f"{CLIENTS} concurrent clients x {REQUESTS} requests each; {CLIENTS} activated servers; "
        f"{USERS} seat users; canal serve, PostgreSQL, loopback"
    )
    return result
