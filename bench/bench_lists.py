"""Portal list pages (issue 14) at 100 and 10,000 rows on PostgreSQL: queries per page and p95.

A throwaway database is migrated and seeded with LISTS_SMALL rows in every list (orders, invoices,
subscriptions, products, seat licenses, servers, notifications, team, clients), each page is measured,
rows are added up to LISTS_LARGE and each page is measured again. Goal: the same number of queries at
both sizes (cursor pages, no query per row) and p95 <= 150 ms at 10,000 rows.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import migrated_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "canal_bench_lists"
SMALL = int(os.environ.get("BENCH_LISTS_SMALL", "100"))
LARGE = int(os.environ.get("BENCH_LISTS_LARGE", "10000"))
REQUESTS = int(os.environ.get("BENCH_LISTS_REQUESTS", "40"))
BASELINE = "/accounts/profile/"


def run() -> dict[str, float | int | str]:
    with migrated_database(DATABASE) as env:
        command = [sys.executable, str(ROOT / "bench" / "lists_scenario.py"), str(SMALL), str(LARGE)]
        output = subprocess.run(  # noqa: S603
            [*command, str(REQUESTS)], env=env, check=True, capture_output=True, text=True
        ).stdout
    measured = json.loads(output)
    figures: dict[str, float | int | str] = {}
    worst = 0.0
    same = True
    for page, large in measured["large"].items():
        small = measured["small"][page]
        figures[f"{page} queries at {SMALL}"] = small["queries"]
        figures[f"{page} queries at {LARGE}"] = large["queries"]
        figures[f"{page} p95 ms at {SMALL}"] = small["p95_ms"]
        figures[f"{page} p95 ms at {LARGE}"] = large["p95_ms"]
        if page != f"customer {BASELINE}":
            worst = max(worst, large["p95_ms"])
        same = same and small["queries"] == large["queries"]
    baseline = measured["large"][f"customer {BASELINE}"]["p95_ms"]
    figures["worst p95 ms at large"] = worst
    figures["baseline (profile page, no list) p95 ms at large"] = baseline
    figures["query count independent of rows"] = "yes" if same else "no"
    figures["workload"] = (
        f"{len(measured['large'])} list pages, {SMALL} then {LARGE} rows per list, {REQUESTS} requests each, "
        "Django test client in process, PostgreSQL"
    )
    return figures
