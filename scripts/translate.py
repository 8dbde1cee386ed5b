"""Fills Spanish msgstrs from a JSON file of {msgid: translation} and clears their fuzzy flags.

A plural entry takes a list of forms; an entry with a context takes the key "context\\u0004msgid".

Used after `make messages` when a change adds strings: `python scripts/translate.py new.json`.
"""

import json
import re
import sys
from pathlib import Path

import polib

CATALOG = Path(__file__).resolve().parent.parent / "src/canal/locale/es/LC_MESSAGES/django.po"


def main(path: str) -> int:
    translations = json.loads(Path(path).read_text())
    catalog = polib.pofile(str(CATALOG))
    for entry in catalog:
        # A key "context\u0004msgid" targets one context; a plain msgid key only entries without one.
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key in translations:
            translation = translations[key]
            if entry.msgid_plural:
                entry.msgstr_plural = dict(enumerate(translation))
            else:
                entry.msgstr = translation
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
    # Spanish has three CLDR plural forms (one, many for millions, other); a list of two gives the
    # plural to both others, or gettext falls back to English for 2, 3, ... items.
    count = int(re.search(r"nplurals=(\d+)", catalog.metadata.get("Plural-Forms", "nplurals=2"))[1])
    for entry in catalog:
        forms = (
            [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
            if entry.msgid_plural
            else []
        )
        if forms and all(forms) and len(forms) < count:
            entry.msgstr_plural = dict(enumerate(forms + [forms[-1]] * (count - len(forms))))
    catalog.save()
    missing = [entry.msgid for entry in catalog.untranslated_entries() + catalog.fuzzy_entries()]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
