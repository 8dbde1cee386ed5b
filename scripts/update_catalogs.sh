#!/usr/bin/env bash
# Refresh both catalogs from the code, fill English, apply Spanish translations from JSON files, compile.
# Usage: scripts/update_catalogs.sh [translations.json ...]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
(cd src/canal && CANAL_VAR_DIR="$root/var" "$root/.venv/bin/canal" makemessages -l es -l en --no-obsolete --no-location --ignore "*/tests/*" >/dev/null)
.venv/bin/python scripts/fill_english_catalog.py
status=0
for file in "$@"; do .venv/bin/python scripts/translate.py "$file" || status=$?; done
[ $# -gt 0 ] || .venv/bin/python scripts/translate.py /dev/stdin <<<'{}' || status=$?
(cd src/canal && CANAL_VAR_DIR="$root/var" "$root/.venv/bin/canal" compilemessages >/dev/null)
exit $status
