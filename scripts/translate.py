"""Fills Spanish msgstrs from a JSON file of {msgid: translation} and clears their fuzzy flags.

A plural entry takes a list: ["singular", "plural"].

Used after `make messages` when a change adds strings: `python scripts/translate.py new.json`.
"""

import json
import sys
from pathlib import Path

import polib

CATALOG = Path(__file__).resolve().parent.parent / "src/canal/locale/es/LC_MESSAGES/django.po"


def main(path: str) -> int:
    translations = json.loads(Path(path).read_text())
    catalog = polib.pofile(str(CATALOG))
    for entry in catalog:
        if entry.msgid in translations:
            translation = translations[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = dict(enumerate(translation))
            else:
                entry.msgstr = translation
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    catalog.save()
    missing = [entry.msgid for entry in catalog.untranslated_entries() + catalog.fuzzy_entries()]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
