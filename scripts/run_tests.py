"""`make test`: the suite on SQLite, then again on PostgreSQL when it answers (required with CI=true)."""

import os
import subprocess
import sys

import psycopg

POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def postgres_answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def pytest(database_url: str, label: str) -> int:
    print(f"\n=== tests on {label} ===", flush=True)
    environment = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "pytest", "-n", os.environ.get("TEST_WORKERS", "2"), *sys.argv[1:]]
    return subprocess.call(command, env=environment)  # noqa: S603 - our own interpreter and args


def main() -> int:
    status = pytest("sqlite:///var/test.sqlite3", "SQLite")
    if postgres_answers(POSTGRES_URL):
        status = pytest(POSTGRES_URL, "PostgreSQL") or status
    elif IN_CI:
        print(f"PostgreSQL does not answer at {POSTGRES_URL}; CI requires it.", file=sys.stderr)
        return 1
    else:
        print(f"\nPostgreSQL does not answer at {POSTGRES_URL}: skipped the PostgreSQL run.")
    return status


if __name__ == "__main__":
    sys.exit(main())
