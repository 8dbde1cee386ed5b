"""Measures every portal list page at 100 and at 10,000 rows on the database named by DATABASE_URL;
prints JSON. Run by bench_lists.py in a subprocess so that its Django settings never mix with another
benchmark's.

The rows come from canal.portal.tests.list_rows (the list tests use the same ones). Each page is asked
REQUESTS times through Django's test client, in this process: the figures are the server's time for the
page (middleware, selectors, queries, template), without a network or a web server in front.
"""

import json
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canal.config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from canal.portal.tests.list_rows import add_rows, world  # noqa: E402

PAGES = [
    # The baseline: a portal page with the same layout, menu and middleware and no list.
    ("customer", "profile", {}),
    ("customer", "orders:list", {}),
    ("customer", "orders:list", {"sort": "price", "processed": "yes"}),
    ("customer", "billing:invoices", {}),
    ("customer", "lifecycle:list", {"q": "Subscription"}),
    ("operator", "catalog:products", {"sort": "-vendor"}),
    ("customer", "subscriptions:licenses", {}),
    ("customer", "licensing:list", {}),
    ("customer", "notifications:list", {"sort": "read"}),
    ("customer", "portal:team", {}),
    ("partner", "partners:clients", {}),
    ("partner", "lifecycle:list", {}),
    ("operator", "portal:clients", {"sort": "-since"}),
]


def measure(lists: object, requests: int) -> dict[str, dict[str, float | int]]:
    figures = {}
    clients = {}
    for who, url_name, params in PAGES:
        if who not in clients:
            clients[who] = Client()
            clients[who].force_login(getattr(lists, who))
        client = clients[who]
        url = reverse(url_name)
        client.get(url, params)  # warm: per-process caches, the first template compile
        durations = []
        reset_queries()  # Django empties the query log when a request starts: count from an empty log
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        count = len(queries)  # read now: the log is emptied when the next request starts
        assert response.status_code == 200, (url, response.status_code)
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url, params)
            durations.append(time.perf_counter() - started)
        key = f"{who} {url}" + (f"?{'&'.join(f'{k}={v}' for k, v in params.items())}" if params else "")
        figures[key] = {
            "queries": count,
            "p50_ms": round(statistics.median(durations) * 1000, 1),
            "p95_ms": round(statistics.quantiles(durations, n=20)[18] * 1000, 1),
        }
    return figures


def seeded(lists: object, count: int, tag: str) -> None:
    add_rows(lists, count, tag)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum keeps them on a live database


def main() -> None:
    setup_test_environment()  # the test client's "testserver" host
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    small, large, requests = (int(value) for value in sys.argv[1:4])
    lists = world("bench")
    seeded(lists, small, "small")
    at_small = measure(lists, requests)
    seeded(lists, large - small, "large")
    at_large = measure(lists, requests)
    print(json.dumps({"small": at_small, "large": at_large}))


if __name__ == "__main__":
    main()
