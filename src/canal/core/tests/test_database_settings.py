import pytest
from django.conf import settings
from django.db import connection


def test_sqlite_runs_with_immediate_transactions_and_wal(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings only")
    options = settings.DATABASES["default"]["OPTIONS"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5
