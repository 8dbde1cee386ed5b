"""English is the source language: its catalog repeats each msgid, so it is complete by construction.

Run by `make messages` after makemessages; Spanish is translated by hand.
"""

from pathlib import Path

import polib

CATALOG = Path(__file__).resolve().parent.parent / "src/canal/locale/en/LC_MESSAGES/django.po"


def main() -> None:
    catalog = polib.pofile(str(CATALOG))
    for entry in catalog:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalog.save()


if __name__ == "__main__":
    main()
