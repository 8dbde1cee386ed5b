"""What the HTTP benchmarks share: a throwaway PostgreSQL database and gunicorn serving Canal on it."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import psycopg

ADMIN_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def _admin(statement: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(statement)


@contextmanager
def migrated_database(name: str, **settings: str) -> Iterator[dict[str, str]]:
    """A fresh, migrated database; yields the environment that points Canal at it. Dropped afterwards."""
    env = {
        **os.environ,
        "DATABASE_URL": ADMIN_URL.rsplit("/", 1)[0] + f"/{name}",
        "DJANGO_SETTINGS_MODULE": "canal.config.settings",
        **settings,
    }
    _admin(f"DROP DATABASE IF EXISTS {name}")
    _admin(f"CREATE DATABASE {name}")
    try:
        subprocess.run(
            [sys.executable, "-m", "canal", "migrate", "-v0"], env=env, check=True, capture_output=True
        )
        yield env
    finally:
        _admin(f"DROP DATABASE IF EXISTS {name}")


@contextmanager
def gunicorn(env: dict[str, str], port: int) -> Iterator[str]:
    """Canal under gunicorn (4 workers x 8 threads) on loopback; yields its base URL once it answers."""
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "canal.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--threads",
            "8",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    yield from _answering(server, port)


@contextmanager
def canal_serve(env: dict[str, str], port: int) -> Iterator[str]:
    """`canal serve` as an operator starts it (its gunicorn settings, WEB_WORKERS processes x 4
    threads); yields its base URL once it answers."""
    command = [sys.executable, "-m", "canal", "serve", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    yield from _answering(server, port)


def _answering(server: subprocess.Popen, port: int) -> Iterator[str]:
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
