# ruff: noqa: N999 - the command is `canal send-billing-records`, like `canal billing-run`
"""`canal send-billing-records`: sends the records not sent yet to the tax agency through the backend
BILLING_RECORDS_BACKEND names, batch after batch (the periodic `send-billing-records` job sends one batch
per run). Exits non-zero when no backend is configured or a record was refused, so a cron or an operator
sees it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from canal.billing import records


class Command(BaseCommand):
    help = "Send billing records not sent yet to the tax agency (VeriFactu)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = failed = 0
        while True:  # batch after batch until the queue is empty or the agency refuses something
            outcome = records.send_pending()
            if not outcome.configured:
                raise CommandError(outcome.message)
            sent, failed = sent + outcome.sent, failed + outcome.failed
            if outcome.failed or outcome.sent < records.SEND_BATCH:
                break
        self.stdout.write(f"{sent} records sent, {failed} refused.")
        if failed:
            raise CommandError(f"{failed} records were refused; see the records page.")
