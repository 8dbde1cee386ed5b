"""`make bench`: runs every bench/bench_*.py and writes their figures to bench/results.json.

Each module has `run() -> dict[str, float | int | str]`; figures are merged under the module's name
together with the machine's core count and the time of the run.
"""

import importlib.util
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canal.config.settings")
    selected = set(sys.argv[1:])
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if selected and name not in selected:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        print(f"running {name}...", flush=True)
        figures = module.run()
        figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        figures["cpu_count"] = os.cpu_count()
        results[name] = figures
        for key, value in figures.items():
            print(f"  {key}: {value}")
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"figures written to {RESULTS.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
