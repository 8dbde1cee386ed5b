"""What the HTTP benchmarks share: a throwaway PostgreSQL database and `canal serve` serving Canal on it."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg

HERE = Path(__file__).resolve().parent
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
def canal_serve(env: dict[str, str], port: int) -> Iterator[str]:
    """`canal serve` as an operator starts it (its gunicorn settings: WEB_WORKERS processes x WEB_THREADS
    threads) with the bare view of served_site.py added; yields its base URL once it answers."""
    env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "served_site",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH", "")])),
    }
    command = [sys.executable, "-m", "canal", "serve", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    yield from _answering(server, port)


def _answering(server: subprocess.Popen, port: int) -> Iterator[str]:
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the server at {base} never answered /healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
