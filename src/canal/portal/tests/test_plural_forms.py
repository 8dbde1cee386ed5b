"""Spanish has three CLDR plural forms; an entry with two made gettext fall back to English for 2, 3, …
items ("3 payers have charges due today" on a Spanish page)."""

from django.utils import translation
from django.utils.translation import ngettext


def test_spanish_plurals_stay_spanish_for_any_count() -> None:
    with translation.override("es"):
        shown = [
            ngettext(
                "%(payers)s payer has charges due today.", "%(payers)s payers have charges due today.", n
            )
            for n in (1, 3, 1_000_000)
        ]
    assert all("pagador" in text for text in shown), shown
