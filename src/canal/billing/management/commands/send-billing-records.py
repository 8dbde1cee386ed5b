# ruff: noqa: N999 - the command is `canal send-billing-records`, like `canal billing-run`
"""`canal send-billing-records`: sends the records not sent yet to the tax agency through the backend
BILLING_RECORDS_BACKEND names (also the periodic `send-billing-records` job). Exits non-zero when no
backend is configured or a record was refused, so a cron or an operator sees it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from canal.billing import records


class Command(BaseCommand):
    help = "Send billing records not sent yet to the tax agency (VeriFactu)."

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = records.send_pending()
        if not outcome.configured:
            raise CommandError(outcome.message)
        self.stdout.write(f"{outcome.sent} records sent, {outcome.failed} refused.")
        if outcome.failed:
            raise CommandError(f"{outcome.failed} records were refused; see the records page.")
