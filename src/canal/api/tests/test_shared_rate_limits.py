"""Rate limits hold across processes: `canal serve` runs two workers, and a token gets its limit, not two."""

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connection

from canal.accounts.models import OrganisationKind, Role
from canal.accounts.services import create_api_token
from canal.core.cache import DatabaseCache

LIMIT = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(port: int, tmp_path) -> subprocess.Popen:
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "API_RATE_AUTHENTICATED": f"{LIMIT}/h",
        "CANAL_VAR_DIR": str(tmp_path),
        "REDIS_URL": "",
    }
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "canal", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.25)
    server.terminate()
    pytest.fail("canal serve did not start")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_token_gets_at_most_its_limit_through_two_workers(postgres_only, make_actor, tmp_path):
    actor = make_actor(OrganisationKind.CUSTOMER, Role.ADMIN)
    _token, plaintext = create_api_token(actor=actor, name="load", for_self=True)
    port = _free_port()
    server = _serve(port, tmp_path)
    headers = {"Authorization": f"Bearer {plaintext}"}

    def call(_: int) -> httpx.Response:
        return httpx.get(f"http://127.0.0.1:{port}/api/v1/me", headers=headers, timeout=30)

    started = time.time()
    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            responses = list(pool.map(call, range(LIMIT * 3)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Limits count in clock-hour windows: a run across the hour may fairly use two.
    windows = int(time.time() // 3600) - int(started // 3600) + 1
    statuses = [response.status_code for response in responses]

    assert statuses.count(200) == LIMIT * windows
    assert statuses.count(429) == LIMIT * 3 - LIMIT * windows
    assert all(int(r.headers["Retry-After"]) >= 1 for r in responses if r.status_code == 429)
    # The server names no software or version for scanners to match against advisories.
    assert {response.headers["server"] for response in responses} == {"Canal"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_increments_of_the_database_cache_are_all_counted(postgres_only):
    cache = DatabaseCache("canal_cache", {})
    cache.add("counter", 0, timeout=60)

    def increment(_: int) -> int:
        try:
            return DatabaseCache("canal_cache", {}).incr("counter")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(increment, range(80)))

    assert sorted(results) == list(range(1, 81))
    assert cache.get("counter") == 80
