"""Canal's endpoints served by `canal serve` over HTTP, each next to a bare Django view served the same
way in the same run (issue 15): quotes, the invoice list, seat assign + release, license appliance
heartbeats and `/healthz`, against `/bench/bare` (a constant JSON body, no database, bench/served_site.py).

A throwaway PostgreSQL database is migrated and seeded (bench/http_scenario.py); `canal serve` (gunicorn
with its production settings: WEB_WORKERS processes x WEB_THREADS threads) serves it on loopback with
Redis as the shared cache, and CLIENTS client threads with keep-alive connections send REQUESTS requests
per round. Workloads are interleaved (bare, healthz, quotes, invoices, seats, heartbeats, bare, ...) for
ROUNDS rounds; figures are medians over the rounds. The client runs on the same 2-core machine as the
server, for every workload alike, and the load average before and after the run is recorded.
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
DATABASE = "canal_bench_http"
CLIENTS = int(os.environ.get("BENCH_HTTP_CLIENTS", "32"))
REQUESTS = int(os.environ.get("BENCH_HTTP_REQUESTS", "640"))
ROUNDS = int(os.environ.get("BENCH_HTTP_ROUNDS", "3"))
OWN_INVOICES = int(os.environ.get("BENCH_HTTP_OWN_INVOICES", "100"))
OTHER_INVOICES = int(os.environ.get("BENCH_HTTP_OTHER_INVOICES", "10000"))
SERVERS = 32  # activated license servers sending heartbeats
PORT = 8767
MEASURED = ("healthz", "quotes", "invoice_list", "seats", "heartbeats")


def _measure(call: Callable[[int], bool], requests: int) -> dict[str, float]:
    def one(number: int) -> tuple[bool, float]:
        started = time.perf_counter()
        try:
            ok = call(number)
        except httpx.TransportError:  # a reset connection is an error of the server's, counted as such
            ok = False
        return ok, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(sorted(duration for _ok, duration in results), n=100)
    return {
        "per_second": len(results) / elapsed,
        "p50_ms": quantiles[49] * 1000,
        "p99_ms": quantiles[98] * 1000,
        "errors": sum(1 for ok, _duration in results if not ok),
    }


def _workloads(http: httpx.Client, scenario: dict) -> dict[str, Callable[[int], bool]]:
    quote = scenario["quote"]
    quote_body = {
        "product": "alpenhost-web-hosting",
        "plan": "web-hosting",
        "quantity": 35,
        "customer_id": quote["customer_id"],
    }
    quote_headers = {"Authorization": f"Bearer {quote['token']}", "Accept-Language": "en"}
    invoice_headers = {"Authorization": f"Bearer {scenario['invoices']['token']}"}
    seats = scenario["seats"]
    seat_headers = {"Authorization": f"Bearer {seats['token']}"}
    seat_path = f"/api/v1/subscriptions/{seats['subscription']}/seats/base/assignments"
    users = seats["user_ids"]
    keys = scenario["appliance_keys"]

    def bare(_number: int) -> bool:
        return http.get("/bench/bare").status_code == 200

    def healthz(_number: int) -> bool:
        return http.get("/healthz").status_code == 200

    def quotes(_number: int) -> bool:
        return http.post("/api/v1/quotes", json=quote_body, headers=quote_headers).status_code == 200

    def invoices(_number: int) -> bool:
        response = http.get("/api/v1/billing/invoices", headers=invoice_headers)
        return response.status_code == 200 and len(response.json()["results"]) > 0

    def seat(number: int) -> bool:
        # Even requests assign a user, odd ones release the user the previous request assigned:
        # a request may find its partner not done yet, so both answers count as served.
        user = users[(number // 2) % len(users)]
        if number % 2 == 0:
            status = http.post(seat_path, json={"user_id": user}, headers=seat_headers).status_code
            return status in (201, 409)
        status = http.delete(f"{seat_path}/{user}", headers=seat_headers).status_code
        return status in (204, 404, 409)

    def heartbeat(number: int) -> bool:
        body = {"uptime_seconds": 3600 + number, "clients_in_use": 120, "version": "7.4.0"}
        headers = {"Authorization": f"Bearer {keys[number % len(keys)]}"}
        response = http.post("/api/v1/licensing/appliance/heartbeat", json=body, headers=headers)
        return response.status_code == 200

    return {
        "bare_view": bare,
        "healthz": healthz,
        "quotes": quotes,
        "invoice_list": invoices,
        "seats": seat,
        "heartbeats": heartbeat,
    }


def run() -> dict[str, float | int | str]:
    # Measure the work, not the rate limits (they still run: each request passes its throttles).
    limits = {
        "API_RATE_AUTHENTICATED": "100000000/m",
        "LICENSING_RATE_PER_SERVER": "100000000/m",
        "LICENSING_RATE_PER_ADDRESS": "100000000/m",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    load_before = os.getloadavg()[0]
    with migrated_database(DATABASE, **limits) as env:
        command = [sys.executable, str(ROOT / "bench" / "http_scenario.py")]
        command += [str(OWN_INVOICES), str(OTHER_INVOICES), str(REQUESTS // 2), str(SERVERS)]
        seeded = subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
        scenario = json.loads(seeded.stdout)
        subprocess.run(["redis-cli", "-n", "15", "FLUSHDB"], check=False, capture_output=True)  # noqa: S607
        with (
            canal_serve(env, PORT) as base,
            httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(max_connections=CLIENTS)) as http,
        ):
            workloads = _workloads(http, scenario)
            for call in workloads.values():
                _measure(call, CLIENTS * 2)  # warm up every process and thread
            samples: dict[str, list[dict[str, float]]] = {name: [] for name in workloads}
            for _round in range(ROUNDS):
                for name, call in workloads.items():
                    samples[name].append(_measure(call, REQUESTS))
    figures: dict[str, float | int | str] = {}
    for name, runs in samples.items():
        for key in ("per_second", "p50_ms", "p99_ms"):
            figures[f"{name}_{key}"] = round(statistics.median(run[key] for run in runs), 1)
        figures[f"{name}_errors"] = int(sum(run["errors"] for run in runs))
    for name in MEASURED:
        figures[f"{name}_share_of_bare_view"] = round(
            figures[f"{name}_per_second"] / figures["bare_view_per_second"], 3
        )
        figures[f"{name}_p99_over_bare_view"] = round(
            figures[f"{name}_p99_ms"] / figures["bare_view_p99_ms"], 1
        )
    figures["load_average_before"] = round(load_before, 1)
    figures["load_average_after"] = round(os.getloadavg()[0], 1)
    figures["workload"] = (
        f"canal serve (gunicorn, WEB_WORKERS={os.environ.get('WEB_WORKERS', '2')} x "
        f"WEB_THREADS={os.environ.get('WEB_THREADS', '4')}), PostgreSQL, Redis cache, {CLIENTS} clients, "
        f"{REQUESTS} requests x {ROUNDS} interleaved rounds, medians; bare view: constant JSON, no database; "
        f"invoice list: {OWN_INVOICES} own among {OTHER_INVOICES} others'; "
        f"quotes: 35 hostings via a partner; heartbeats: {SERVERS} activated servers"
    )
    return figures


if __name__ == "__main__":  # one run without touching bench/results.json
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canal.config.settings")
    for key, value in run().items():
        print(f"{key}: {value}")
