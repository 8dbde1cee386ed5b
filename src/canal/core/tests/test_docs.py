import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def test_rules_map_in_docs_is_current():
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "scripts" / "rules_map.py"), "--check"], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
