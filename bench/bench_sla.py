"""The SLA sweep (R5.6) over 100,000 open tickets on PostgreSQL: tickets per second and queries per run.

A throwaway database is migrated; sla_scenario.py adds open S1 tickets opened 50 hours ago and never
answered (bulk_create), then runs the sweep twice: the first flags four breaches per ticket (first
response, determination, resolution, timely update) and escalates them to the vendor's contact; the
second finds nothing new. This is done at BENCH_SLA_SMALL (1,000) and again after growing to
BENCH_SLA_N (100,000) tickets: the number of queries of a sweep must be the same at both sizes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import migrated_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "canal_bench_sla"
SMALL = int(os.environ.get("BENCH_SLA_SMALL", "1000"))
LARGE = int(os.environ.get("BENCH_SLA_N", "100000"))


def run() -> dict[str, float | int | str]:
    with migrated_database(DATABASE) as env:
        command = [sys.executable, str(ROOT / "bench" / "sla_scenario.py"), str(SMALL), str(LARGE)]
        output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603
    small, large = json.loads(output)
    figures: dict[str, float | int | str] = {}
    for measured in (small, large):
        new = measured["new_tickets"]
        first, second = measured["first_sweep"], measured["second_sweep"]
        figures[f"sweep flagging {new} new tickets: seconds"] = first["seconds"]
        figures[f"sweep flagging {new} new tickets: flags"] = first["flagged"]
        figures[f"sweep flagging {new} new tickets: tickets per second"] = round(new / first["seconds"], 1)
        figures[f"sweep flagging {new} new tickets: queries"] = first["queries"]
        figures[f"idle sweep over {measured['open_tickets']} open tickets: seconds"] = second["seconds"]
        figures[f"idle sweep over {measured['open_tickets']} open tickets: tickets per second"] = round(
            measured["open_tickets"] / max(second["seconds"], 0.001), 1
        )
        figures[f"idle sweep over {measured['open_tickets']} open tickets: queries"] = second["queries"]
    figures["query count independent of tickets"] = (
        "yes"
        if small["first_sweep"]["queries"] == large["first_sweep"]["queries"]
        and small["second_sweep"]["queries"] == large["second_sweep"]["queries"]
        else "no"
    )
    figures["workload"] = (
        f"open S1 tickets, {SMALL} then {LARGE} in total, four breaches each, one escalation contact, "
        "PostgreSQL, in process"
    )
    return figures
