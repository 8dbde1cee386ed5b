"""Ledger lines booked as words before memos kept parameters get their message id back (migration 0005),
so "Recarga del monedero prepago" reads "Top-up of the prepaid wallet" on an English wallet page."""

from importlib import import_module

from django.apps import apps
from django.utils import translation

from canal.billing.models import JournalEntry
from canal.billing.tests.helpers import fund_wallet

migration = import_module("canal.billing.migrations.0005_journal_memo_params")


def test_old_spanish_memos_read_in_the_readers_language(customer):
    fund_wallet(customer.organisation, "10.00")
    JournalEntry.objects.update(memo="Factura F2026-000007", memo_params={})

    migration.memos_to_messages(apps, None)

    entry = JournalEntry.objects.get()
    assert (entry.memo, entry.memo_params) == ("Invoice %(code)s", {"code": "F2026-000007"})
    with translation.override("en"):
        assert entry.memo_text == "Invoice F2026-000007"
