"""Both languages are complete: every string in the code has a Spanish and an English translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
LOCALE = PACKAGE / "locale"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.mark.parametrize("language", ["es", "en"])
def test_catalog_translates_every_entry(language):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))

    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["es", "en"])
def test_compiled_catalog_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    # Keyed by context and msgid: "Closed" and "Closed" as a tender status are two entries.
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.pofile(str(folder / "django.po"))
        if not entry.obsolete
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr for entry in polib.mofile(str(folder / "django.mo"))
    }

    assert {key: text for key, text in source.items() if key[1]} == {
        key: text for key, text in compiled.items() if key[1]
    }


def test_every_string_in_the_code_is_in_the_catalog(tmp_path):
    if shutil.which("xgettext") is None:
        if IN_CI:
            pytest.fail("gettext is required in CI")
        pytest.skip("gettext is not installed")
    copy = tmp_path / "canal"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # makemessages writes into the first LOCALE_PATHS entry: point it at the copy, never at our catalog.
    (tmp_path / "extract_settings.py").write_text(
        f"from canal.config.settings import *  # noqa: F403\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "es",
            "--no-location",
            "--ignore",
            "*/tests/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "extract_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path]),
        },
    )
    extracted = {entry.msgid for entry in polib.pofile(str(copy / "locale/es/LC_MESSAGES/django.po"))}
    committed = {entry.msgid for entry in polib.pofile(str(LOCALE / "es/LC_MESSAGES/django.po"))}

    assert sorted(extracted - committed) == []
